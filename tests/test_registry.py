"""models.yaml parsing and validation; resolving names to model specs."""

from __future__ import annotations

from pathlib import Path

import pytest

from translate.errors import RegistryError
from translate.registry import DEFAULT_REGISTRY, load_registry, resolve_model

from .conftest import FIXTURE_MODEL


def test_default_registry() -> None:
    registry = load_registry()
    assert registry.path == DEFAULT_REGISTRY
    spec = registry.models["de-en"]
    assert registry.default == "de-en"
    assert spec.model == "Helsinki-NLP/opus-mt-de-en"
    assert not spec.is_local
    # auto: ct2 where CTranslate2 is installed (fastest in bench/bench.py), else torch.
    assert (spec.source, spec.target, spec.backend) == ("de", "en", "auto")
    assert spec.generation.num_beams == 4
    assert spec.max_input_tokens == 512


def test_resolve_default_and_env(monkeypatch: pytest.MonkeyPatch) -> None:
    assert resolve_model().model == "Helsinki-NLP/opus-mt-de-en"
    monkeypatch.setenv("TRANSLATE_MODEL", str(FIXTURE_MODEL))
    spec = resolve_model()
    assert spec.is_local and spec.model == str(FIXTURE_MODEL)


@pytest.mark.parametrize(
    ("name", "model", "is_local"),
    [
        ("de-en", "Helsinki-NLP/opus-mt-de-en", False),
        ("Helsinki-NLP/opus-mt-de-fr", "Helsinki-NLP/opus-mt-de-fr", False),
        (str(FIXTURE_MODEL), str(FIXTURE_MODEL), True),
        ("./does/not/exist", str(Path("does/not/exist").resolve()), True),
    ],
)
def test_resolve_names(name: str, model: str, is_local: bool) -> None:
    spec = resolve_model(name)
    assert (spec.model, spec.is_local) == (model, is_local)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "models.yaml"
    path.write_text(text, encoding="utf-8")
    return path


GOOD = "models:\n  tiny:\n    model: ./m\n    source: de\n    target: en\n"


def test_relative_local_path_is_relative_to_the_file(tmp_path: Path) -> None:
    registry = load_registry(_write(tmp_path, GOOD))
    assert registry.default == "tiny"
    assert registry.models["tiny"].model == str((tmp_path / "m").resolve())
    assert registry.models["tiny"].is_local


def test_env_var_selects_registry_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_MODELS_FILE", str(_write(tmp_path, GOOD)))
    assert resolve_model("tiny").name == "tiny"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("models: [1, 2]", r"expected a mapping with a 'models:' mapping"),
        ("models: {}", r"'models:' is empty"),
        ("models:\n  x: 3\n", r"model 'x': expected a mapping, got int"),
        (
            "models:\n  x:\n    model: a/b\n    source: de\n",
            r"model 'x': field 'target' is required",
        ),
        (GOOD + "    colour: blue\n", r"model 'tiny': unknown field\(s\): colour"),
        (GOOD + "    backend: tensorflow\n", r"backend must be one of torch, ct2, auto, not"),
        (GOOD + "    max_input_tokens: big\n", r"max_input_tokens must be an integer"),
        (
            GOOD + "    generation:\n      num_beams: 0\n",
            r"generation.num_beams must be a positive",
        ),
        (
            GOOD + "    generation:\n      temperature: 1\n",
            r"unknown generation setting 'temperature'",
        ),
        (GOOD + "default: other\n", r"default model 'other' is not one of the models"),
        (GOOD + "extra: 1\n", r"unknown top-level key\(s\): extra"),
        ("models:\n  x: [\n", r"is not valid YAML"),
    ],
)
def test_invalid_registry_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(RegistryError, match=message) as caught:
        load_registry(path)
    assert str(path) in str(caught.value)


def test_missing_registry_file(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="cannot read model registry"):
        load_registry(tmp_path / "nope.yaml")


@pytest.mark.parametrize(
    ("line", "backend"),
    [
        ("", "auto"),
        ("    backend: auto\n", "auto"),
        ("    backend: torch\n", "torch"),
        ("    backend: ct2\n", "ct2"),
    ],
)
def test_backend_field(tmp_path: Path, line: str, backend: str) -> None:
    assert load_registry(_write(tmp_path, GOOD + line)).models["tiny"].backend == backend


def test_names_outside_the_registry_use_auto() -> None:
    assert resolve_model(str(FIXTURE_MODEL)).backend == "auto"
    assert resolve_model("Helsinki-NLP/opus-mt-de-fr").backend == "auto"
