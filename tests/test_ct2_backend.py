"""The CTranslate2 backend on the tiny fixture model: conversion, equality with torch, options."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from translate import Translator
from translate.backends import GenerationOptions, auto_backend, load_backend
from translate.backends.ct2_backend import CTranslate2Backend, plan_sub_batches, tuned_threads
from translate.backends.ct2_convert import MARKER, ensure_converted
from translate.errors import BackendUnavailableError, ModelLoadError
from translate.registry import resolve_model

from .conftest import FIXTURE_MODEL, ROOT, reference_pairs

PAIRS = reference_pairs()
SPEC = resolve_model(str(FIXTURE_MODEL))


@pytest.fixture(scope="session")
def ct2_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One conversion folder shared by the session's backends."""
    return tmp_path_factory.mktemp("ct2")


@pytest.fixture(scope="session")
def ct2(ct2_dir: Path) -> CTranslate2Backend:
    return CTranslate2Backend(SPEC, device="cpu", cache_dir=ct2_dir)


@pytest.fixture(scope="session")
def ct2_translator(ct2: CTranslate2Backend) -> Translator:
    translator = Translator(str(FIXTURE_MODEL), backend="ct2", cache=False)
    translator._backend = ct2  # share the session's loaded model
    return translator


def _conversions(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir())


def _converting(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("converting")]


def test_seed_article_same_as_torch(ct2_translator: Translator, seed_text: str) -> None:
    torch = Translator(str(FIXTURE_MODEL), backend="torch", cache=False)
    expected = torch.translate_document(seed_text)
    got = ct2_translator.translate_document(seed_text)
    assert [s.translation for s in got.sentences] == [s.translation for s in expected.sentences]
    assert [s.translation for s in got.sentences] == [PAIRS[s.source] for s in got.sentences]
    assert got.translated_text() == expected.translated_text()
    for mine, theirs in zip(got.sentences, expected.sentences, strict=True):
        # Both are length-normalised log-probabilities; int8 moves them a little.
        assert mine.score == pytest.approx(theirs.score, abs=2e-3)


def test_every_training_pair(ct2_translator: Translator) -> None:
    outputs = ct2_translator.translate_sentences(list(PAIRS))
    assert dict(zip(PAIRS, outputs, strict=True)) == PAIRS


def test_identity_and_settings(ct2: CTranslate2Backend) -> None:
    identity = ct2.identity()
    assert identity["model"] == str(FIXTURE_MODEL)
    assert identity["revision"].startswith("sha256:")
    assert (identity["backend"], identity["compute_type"]) == ("ct2", "int8_float32")
    assert ct2.max_input_tokens == 512
    assert ct2.count_tokens(["Guten Morgen.", ""]) == [5, 1]  # pieces + </s>


@pytest.mark.parametrize(
    ("cores", "inter", "intra"),
    [(1, 1, 1), (2, 2, 1), (4, 4, 1), (8, 4, 2), (16, 8, 2)],
)
def test_tuned_threads(cores: int, inter: int, intra: int) -> None:
    assert tuned_threads(cores) == (inter, intra)


@pytest.mark.parametrize(
    ("work", "parts", "limit", "groups"),
    [
        ([40] * 8, 2, 8192, [[0, 1, 2, 3], [4, 5, 6, 7]]),  # forced lengths: equal counts
        # Real lengths: the longest alone (80), the short ones together (8 × 5 + 2 × 40).
        ([80, 5, 5, 5, 5, 5, 5, 5, 5, 40, 40], 2, 8192, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [0]]),
        ([10, 10, 10, 10], 1, 8192, [[0, 1, 2, 3]]),  # one replica: one batch
        ([10, 10, 10, 10], 1, 25, [[0, 1], [2, 3]]),  # memory bound
        ([300, 10], 1, 100, [[0], [1]]),  # a single large item still gets a group
        ([7], 4, 8192, [[0]]),
        ([], 2, 8192, []),
    ],
)
def test_plan_sub_batches(work: list[int], parts: int, limit: int, groups: list[list[int]]) -> None:
    assert plan_sub_batches(work, parts, limit) == groups


@pytest.mark.parametrize(
    ("options", "length"),
    [
        (GenerationOptions(num_beams=4), 6),
        (GenerationOptions(num_beams=1), 6),
        (GenerationOptions(num_beams=4, max_new_tokens=3), 3),  # cut off, no </s>
        (GenerationOptions(num_beams=4, min_new_tokens=9, max_new_tokens=9), 9),  # forced
    ],
)
def test_lengths(ct2: CTranslate2Backend, options: GenerationOptions, length: int) -> None:
    [hypothesis] = ct2.translate_batch(["Guten Morgen."], options)
    assert hypothesis.length == length
    if length == 6:
        assert hypothesis.text == "Good morning."
    assert hypothesis.score is not None and hypothesis.score < 0


def test_n_best(ct2: CTranslate2Backend) -> None:
    [best] = ct2.translate_batch(["Guten Morgen."], GenerationOptions(num_hypotheses=3))
    assert best.text == "Good morning."
    assert len(best.alternatives) == 2
    scores = [best.score, *(alt.score for alt in best.alternatives)]
    assert scores == sorted(scores, reverse=True)  # type: ignore[type-var]
    assert len({best.text, *(alt.text for alt in best.alternatives)}) == 3


def test_over_long_input_is_refused_not_truncated(ct2: CTranslate2Backend) -> None:
    with pytest.raises(ValueError, match="longer than max_input_tokens"):
        ct2.translate_batch(["Guten Morgen. " * 200], GenerationOptions())


def test_over_long_sentence_is_split_like_torch(ct2: CTranslate2Backend) -> None:
    sentence = next(s for s in PAIRS if s.startswith("Die Annäherung"))
    torch = Translator(str(FIXTURE_MODEL), backend="torch", cache=False, max_input_tokens=40)
    mine = Translator(str(FIXTURE_MODEL), backend="ct2", cache=False, max_input_tokens=40)
    mine._backend = ct2
    assert ct2.count_tokens([sentence])[0] > 40
    assert mine.translate_sentences([sentence]) == torch.translate_sentences([sentence])


def test_conversion_is_reused(
    ct2: CTranslate2Backend, ct2_dir: Path, caplog: pytest.LogCaptureFixture
) -> None:
    before = _conversions(ct2_dir)
    again = CTranslate2Backend(SPEC, device="cpu", cache_dir=ct2_dir)
    assert again.conversion.folder == ct2.conversion.folder
    assert _conversions(ct2_dir) == before
    assert _converting(caplog) == []


def test_conversion_says_so_once(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    conversion = ensure_converted(SPEC, tmp_path, "int8")
    [message] = _converting(caplog)
    assert message.startswith(f"converting model {FIXTURE_MODEL} to CTranslate2 (int8) into ")
    assert "this happens once" in message
    meta = json.loads((conversion.folder / MARKER).read_text())
    assert meta["model"] == str(FIXTURE_MODEL) and meta["quantization"] == "int8"
    assert {p.name for p in conversion.folder.iterdir()} >= {
        "model.bin",
        "source.spm",
        "target.spm",
        MARKER,
    }
    ensure_converted(SPEC, tmp_path, "int8")
    assert len(_converting(caplog)) == 1


def test_a_different_model_or_quantization_gets_its_own_conversion(
    tmp_path: Path, ct2: CTranslate2Backend
) -> None:
    other = tmp_path / "other-model"
    shutil.copytree(FIXTURE_MODEL, other)
    config = json.loads((other / "generation_config.json").read_text())
    (other / "generation_config.json").write_text(json.dumps({**config, "num_beams": 5}))
    root = tmp_path / "ct2"
    first = ensure_converted(resolve_model(str(other)), root, "int8")
    assert first.folder != ct2.conversion.folder
    assert first.fingerprint["revision"] != ct2.identity()["revision"]
    second = ensure_converted(resolve_model(str(other)), root, "float32")
    assert second.folder != first.folder and second.quantization == "float32"
    assert len(_conversions(root)) == 2


def test_a_half_written_conversion_is_never_used(
    tmp_path: Path, ct2: CTranslate2Backend, caplog: pytest.LogCaptureFixture
) -> None:
    # A crash after model.bin but before the marker: same name as the real conversion.
    broken = tmp_path / ct2.conversion.folder.name
    broken.mkdir()
    (broken / "model.bin").write_bytes(b"half a model")
    stale = tmp_path / ".tmp-interrupted"
    stale.mkdir()
    backend = CTranslate2Backend(SPEC, device="cpu", cache_dir=tmp_path)
    assert backend.conversion.folder == broken
    assert len(_converting(caplog)) == 1
    assert (broken / MARKER).is_file()
    assert backend.translate_batch(["Guten Morgen."], GenerationOptions())[0].text == (
        "Good morning."
    )
    assert stale.exists()  # a recent temporary folder may be another process at work


def test_a_failed_conversion_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"could not be converted to CTranslate2: .*int3"):
        ensure_converted(SPEC, tmp_path, "int3")
    assert _conversions(tmp_path) == []


def test_missing_model_folder(tmp_path: Path) -> None:
    spec = resolve_model(str(tmp_path / "nothing-here"))
    with pytest.raises(ModelLoadError, match=r"model folder .*nothing-here does not exist"):
        CTranslate2Backend(spec, cache_dir=tmp_path)


def test_translating_needs_no_torch(ct2: CTranslate2Backend, ct2_dir: Path) -> None:
    code = (
        "import sys\n"
        "from translate.backends.ct2_backend import CTranslate2Backend\n"
        "from translate.backends import GenerationOptions\n"
        "from translate.registry import resolve_model\n"
        f"b = CTranslate2Backend(resolve_model({str(FIXTURE_MODEL)!r}), device='cpu',"
        f" cache_dir={str(ct2_dir)!r})\n"
        "print(b.translate_batch(['Wie geht es dir?'], GenerationOptions())[0].text)\n"
        "print(sorted({'torch', 'transformers'} & set(sys.modules)))\n"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.splitlines() == ["How are you?", "[]"]
    assert time.monotonic() - started < 20


def test_auto_is_ct2_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert SPEC.backend == "auto"
    assert auto_backend() == "ct2"
    translator = Translator(str(FIXTURE_MODEL), cache=False)
    assert translator.backend.name == "ct2"
    assert translator.translate("Guten Morgen.") == "Good morning."


def test_without_ctranslate2(monkeypatch: pytest.MonkeyPatch) -> None:
    # Make `import ctranslate2` fail as it does where the extra is not installed.
    monkeypatch.setitem(sys.modules, "ctranslate2", None)
    monkeypatch.delitem(sys.modules, "translate.backends.ct2_backend", raising=False)
    assert auto_backend() == "torch"
    with pytest.raises(
        BackendUnavailableError,
        match=r"the ct2 backend needs CTranslate2 \(ctranslate2 is missing\): "
        r"pip install 'bilingual-reader\[ct2\]'",
    ):
        load_backend(SPEC, "ct2")
    assert load_backend(SPEC).name == "torch"  # auto falls back


@pytest.fixture
def hub_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The fixture model as a Hugging Face id in a local hub cache, offline."""
    import huggingface_hub.constants as hub_constants

    commit = "1" * 40
    repo = tmp_path / "hub" / "models--acme--tiny-de-en"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(FIXTURE_MODEL, repo / "snapshots" / commit)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    return "acme/tiny-de-en"


def test_hugging_face_id_is_keyed_by_commit(hub_model: str, tmp_path: Path) -> None:
    backend = CTranslate2Backend(resolve_model(hub_model), device="cpu", cache_dir=tmp_path / "ct2")
    assert backend.identity() == {
        "model": hub_model,
        "revision": "1" * 40,
        "backend": "ct2",
        "compute_type": "int8_float32",
    }
    assert backend.conversion.folder.name.startswith("tiny-de-en-int8-")
    assert backend.translate_batch(["Wie geht es dir?"], GenerationOptions())[0].text == (
        "How are you?"
    )


def test_hugging_face_id_offline_and_not_cached(hub_model: str, tmp_path: Path) -> None:
    with pytest.raises(
        ModelLoadError,
        match=r"model 'acme/other' is not in the local Hugging Face cache and cannot be "
        r"downloaded: offline mode",
    ):
        CTranslate2Backend(resolve_model("acme/other"), device="cpu", cache_dir=tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["hub"]  # no conversion folder begun
