"""The model registry: models.yaml -> validated :class:`ModelSpec` objects.

A model can be named three ways: a registry key (``de-en``), a local folder, or a Hugging Face
id (``Helsinki-NLP/opus-mt-de-en``). :func:`resolve_model` turns any of them into a spec.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import RegistryError, UnknownModelError

DEFAULT_REGISTRY = Path(__file__).resolve().parent.parent / "models.yaml"
"""models.yaml at the repository root (a source checkout or an editable install)."""
_PACKAGED_REGISTRY = Path(__file__).resolve().parent / "models.yaml"
"""The copy shipped inside the wheel."""

BACKENDS = ("torch", "ct2", "auto")
"""Inference engines. ``auto``: ct2 when CTranslate2 is installed (the faster one, see bench/),
else torch."""
_HF_ID = re.compile(r"^[A-Za-z0-9][\w.-]*/[\w.-]+$")
_ENTRY_KEYS = {
    "model",
    "source",
    "target",
    "backend",
    "description",
    "max_input_tokens",
    "generation",
    "revision",
}
_GENERATION_KEYS = {"num_beams": int, "max_new_tokens": int}


@dataclass(frozen=True)
class GenerationDefaults:
    """Decoding settings a model is used with unless the caller overrides them."""

    num_beams: int = 4
    max_new_tokens: int = 512


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to load and run one model.

    Attributes:
        name: the key or identifier the user gave.
        model: a Hugging Face id or an absolute local folder.
        is_local: True when ``model`` is a folder on disk.
        source, target: language codes.
        backend: ``torch``, ``ct2`` or ``auto`` (ct2 when installed, else torch).
        revision: the Hugging Face revision (branch, tag or commit), for HF ids.
        max_input_tokens: the longest input (in source tokens, incl. ``</s>``) the model accepts.
        generation: decoding defaults.
    """

    name: str
    model: str
    is_local: bool
    source: str = "de"
    target: str = "en"
    backend: str = "auto"
    revision: str | None = None
    description: str = ""
    max_input_tokens: int = 512
    generation: GenerationDefaults = field(default_factory=GenerationDefaults)


@dataclass(frozen=True)
class Registry:
    """The parsed models.yaml."""

    path: Path
    default: str
    models: dict[str, ModelSpec]


def registry_path() -> Path:
    """The models.yaml in use: $TRANSLATE_MODELS_FILE, the checkout's, or the packaged copy."""
    env = os.environ.get("TRANSLATE_MODELS_FILE")
    if env:
        return Path(env).expanduser()
    return DEFAULT_REGISTRY if DEFAULT_REGISTRY.is_file() else _PACKAGED_REGISTRY


def load_registry(path: str | os.PathLike[str] | None = None) -> Registry:
    """Read and validate a models.yaml.

    Raises:
        RegistryError: the file is missing, not YAML, or an entry is malformed; the message
            names the file and the entry.
    """
    import yaml

    file = Path(path) if path is not None else registry_path()
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RegistryError(f"cannot read model registry {file}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise RegistryError(f"model registry {file} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("models"), dict):
        raise RegistryError(f"{file}: expected a mapping with a 'models:' mapping")
    unknown_top = set(data) - {"default", "models"}
    if unknown_top:
        raise RegistryError(f"{file}: unknown top-level key(s): {', '.join(sorted(unknown_top))}")
    models = {
        str(key): _parse_entry(file, str(key), entry) for key, entry in data["models"].items()
    }
    if not models:
        raise RegistryError(f"{file}: 'models:' is empty")
    default = data.get("default", next(iter(models)))
    if default not in models:
        raise RegistryError(f"{file}: default model {default!r} is not one of the models")
    return Registry(path=file, default=str(default), models=models)


def _parse_entry(file: Path, key: str, entry: Any) -> ModelSpec:
    where = f"{file}: model {key!r}"
    if not isinstance(entry, dict):
        raise RegistryError(f"{where}: expected a mapping, got {type(entry).__name__}")
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise RegistryError(f"{where}: unknown field(s): {', '.join(sorted(unknown))}")
    for required in ("model", "source", "target"):
        if not isinstance(entry.get(required), str) or not entry[required].strip():
            raise RegistryError(f"{where}: field {required!r} is required and must be a string")
    backend = entry.get("backend", "auto")
    if backend not in BACKENDS:
        raise RegistryError(
            f"{where}: backend must be one of {', '.join(BACKENDS)}, not {backend!r}"
        )
    max_input = entry.get("max_input_tokens", 512)
    if not isinstance(max_input, int) or isinstance(max_input, bool) or max_input < 8:
        raise RegistryError(f"{where}: max_input_tokens must be an integer >= 8")
    generation = entry.get("generation", {}) or {}
    if not isinstance(generation, dict):
        raise RegistryError(f"{where}: 'generation' must be a mapping")
    for name, value in generation.items():
        if name not in _GENERATION_KEYS:
            raise RegistryError(f"{where}: unknown generation setting {name!r}")
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise RegistryError(f"{where}: generation.{name} must be a positive integer")
    for optional in ("description", "revision"):
        if optional in entry and not isinstance(entry[optional], str):
            raise RegistryError(f"{where}: field {optional!r} must be a string")
    model, is_local = _locate(entry["model"], base=file.parent) or (
        str((file.parent / entry["model"]).resolve()),
        True,
    )
    return ModelSpec(
        name=key,
        model=model,
        is_local=is_local,
        source=entry["source"],
        target=entry["target"],
        backend=backend,
        revision=entry.get("revision"),
        description=entry.get("description", ""),
        max_input_tokens=max_input,
        generation=GenerationDefaults(**generation),
    )


def _is_explicit_path(name: str) -> bool:
    return name.startswith((".", "/", "~")) or "\\" in name or name.count("/") > 1


def _locate(name: str, base: Path | None = None) -> tuple[str, bool] | None:
    """(model, is_local) for a folder or a Hugging Face id; None when it is neither."""
    folder = Path(name).expanduser()
    if not folder.is_absolute() and base is not None:
        folder = base / folder
    if folder.is_dir() or _is_explicit_path(name):
        return str(folder.resolve()), True
    if _HF_ID.match(name):
        return name, False
    return None


def resolve_model(name: str | None = None, registry: Registry | None = None) -> ModelSpec:
    """Turn a registry key, local folder or Hugging Face id into a :class:`ModelSpec`.

    Args:
        name: the model; ``None`` means $TRANSLATE_MODEL, else the registry's default.
        registry: the registry to look keys up in; default: :func:`load_registry`.

    Raises:
        UnknownModelError: ``name`` is none of the three; the message lists the registry keys.
        RegistryError: the registry file is malformed.
    """
    name = name or os.environ.get("TRANSLATE_MODEL") or None
    registry = registry or load_registry()
    if name is None:
        return registry.models[registry.default]
    if name in registry.models:
        return registry.models[name]
    located = _locate(name)
    if located is None:
        known = ", ".join(sorted(registry.models))
        raise UnknownModelError(
            f"unknown model {name!r}: not a key in {registry.path} ({known}), not a local folder "
            "and not a Hugging Face id like 'Helsinki-NLP/opus-mt-de-en'"
        )
    model, is_local = located
    return ModelSpec(name=name, model=model, is_local=is_local)
