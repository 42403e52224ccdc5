"""Model loading failures: which model, why, what to do; quickly; never a raw loader error."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from translate import Translator
from translate.errors import ModelLoadError, TranslateError, UnknownModelError

from .conftest import FIXTURE_MODEL


@pytest.mark.parametrize("backend", ["torch", "ct2"])
def test_offline_and_not_cached_names_model_reason_and_remedy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf-home"))
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hf-home" / "hub"))
    import huggingface_hub.constants as hub_constants

    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hf-home" / "hub"))
    translator = Translator("de-en", backend=backend, cache=False)
    started = time.monotonic()
    with pytest.raises(ModelLoadError) as caught:
        translator.translate("Guten Morgen.")
    elapsed = time.monotonic() - started
    message = str(caught.value)
    assert isinstance(caught.value, TranslateError)
    assert "Helsinki-NLP/opus-mt-de-en" in message
    assert "not in the local Hugging Face cache" in message
    assert "HF_HUB_OFFLINE" in message
    assert "TRANSLATE_MODEL" in message and "download" in message
    assert elapsed < 2.0


BACKENDS = ["torch", "ct2"]


@pytest.mark.parametrize("backend", BACKENDS)
def test_missing_local_folder(tmp_path: Path, backend: str) -> None:
    missing = tmp_path / "no-such-model"
    translator = Translator(str(missing), backend=backend, cache=False)
    with pytest.raises(ModelLoadError, match=r"model folder .*no-such-model does not exist"):
        translator.translate("Hallo.")


@pytest.mark.parametrize("backend", BACKENDS)
def test_local_folder_missing_files(tmp_path: Path, backend: str) -> None:
    broken = tmp_path / "broken"
    shutil.copytree(FIXTURE_MODEL, broken)
    (broken / "target.spm").unlink()
    (broken / "model.safetensors").unlink()
    with pytest.raises(ModelLoadError, match=r"is missing target\.spm, model\.safetensors"):
        Translator(str(broken), backend=backend, cache=False).translate("Hallo.")


@pytest.mark.parametrize("backend", BACKENDS)
def test_corrupt_weights_are_a_load_error(tmp_path: Path, backend: str) -> None:
    broken = tmp_path / "corrupt"
    shutil.copytree(FIXTURE_MODEL, broken)
    (broken / "model.safetensors").write_bytes(b"not a safetensors file")
    with pytest.raises(ModelLoadError, match=r"could not be read"):
        Translator(str(broken), backend=backend, cache=False).translate("Hallo.")


@pytest.mark.parametrize("name", ["no-such-model", "opus mt", "de_en"])
def test_unknown_name_lists_registry_keys(name: str) -> None:
    with pytest.raises(UnknownModelError, match=r"unknown model .*de-en") as caught:
        Translator(name)
    assert isinstance(caught.value, KeyError)


@pytest.mark.parametrize("backend", BACKENDS)
def test_cached_hub_model_loads_without_any_network_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    """After the one download, using a model asks no server, even without HF_HUB_OFFLINE."""
    import huggingface_hub.constants as hub_constants

    commit = "2" * 40
    repo = tmp_path / "hub" / "models--acme--tiny-de-en"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(commit)
    shutil.copytree(FIXTURE_MODEL, repo / "snapshots" / commit)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    # Nothing listens on port 9: any request would fail (and be retried for a long time).
    monkeypatch.setattr(hub_constants, "ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    started = time.monotonic()
    translator = Translator("acme/tiny-de-en", backend=backend, cache=False)
    assert translator.translate("Wie geht es dir?") == "How are you?"
    assert translator.signature()["revision"] == commit
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("backend", BACKENDS)
def test_unreachable_hub_fails_fast_without_the_offline_flag(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: str
) -> None:
    import huggingface_hub.constants as hub_constants

    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.setattr(hub_constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hub_constants, "HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setattr(hub_constants, "ENDPOINT", "http://127.0.0.1:9")
    started = time.monotonic()
    with pytest.raises(
        ModelLoadError,
        match=r"model 'Helsinki-NLP/opus-mt-de-en' is not in the local Hugging Face cache and "
        r"cannot be downloaded: no connection to the Hub \(127\.0\.0\.1: .*\)\. Connect",
    ):
        Translator("de-en", backend=backend, cache=False).translate("Guten Morgen.")
    assert time.monotonic() - started < 5
