"""Inference engines. The only package that imports torch, transformers or ctranslate2."""

from __future__ import annotations

from ..errors import BackendUnavailableError
from ..registry import BACKENDS, ModelSpec
from .base import Backend, GenerationOptions, Hypothesis
from .loading import check_downloadable

__all__ = ["Backend", "GenerationOptions", "Hypothesis", "auto_backend", "load_backend"]


def auto_backend() -> str:
    """The engine ``auto`` stands for: ``ct2`` when CTranslate2 is installed, else ``torch``.

    ct2 (int8) translates several times faster than torch on a CPU (``python bench/bench.py``).
    """
    try:
        import ctranslate2  # noqa: F401  (light: no torch)
        import sentencepiece  # noqa: F401
    except ImportError:
        return "torch"
    return "ct2"


def load_backend(spec: ModelSpec, backend: str | None = None) -> Backend:
    """Load ``spec`` with the named engine (default: the spec's own).

    Raises:
        BackendUnavailableError: the engine's package is not installed, or the name is unknown.
        ModelLoadError: the model cannot be loaded.
    """
    name = backend or spec.backend
    check_downloadable(spec)
    if name == "auto":
        name = auto_backend()
    if name == "torch":
        try:
            from .torch_backend import TorchBackend
        except ImportError as exc:
            raise BackendUnavailableError(
                f"the torch backend needs torch and transformers ({exc.name} is missing): "
                "pip install 'bilingual-reader'"
            ) from exc
        return TorchBackend(spec)
    if name == "ct2":
        try:
            from .ct2_backend import CTranslate2Backend
        except ImportError as exc:
            raise BackendUnavailableError(
                f"the ct2 backend needs CTranslate2 ({exc.name} is missing): "
                "pip install 'bilingual-reader[ct2]'"
            ) from exc
        return CTranslate2Backend(spec)
    raise BackendUnavailableError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
