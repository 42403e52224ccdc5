"""Bilingual Reader: German→English sentence-aligned translation with MarianMT.

Public API::

    from translate import translate, Translator
    translate("Guten Morgen.")                    # -> "Good morning."
    doc = Translator("de-en").translate_document(text)

Importing this package loads no model and touches no files.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "Document",
    "Paragraph",
    "Sentence",
    "TranslateError",
    "TranslationProgress",
    "Translator",
    "__version__",
    "segment",
    "translate",
]

if TYPE_CHECKING:
    from .document import Document, Paragraph, Sentence
    from .errors import TranslateError
    from .segment import segment
    from .translator import TranslationProgress, Translator, translate

_LAZY = {
    "Document": "document",
    "Paragraph": "document",
    "Sentence": "document",
    "TranslateError": "errors",
    "segment": "segment",
    "TranslationProgress": "translator",
    "Translator": "translator",
    "translate": "translator",
}


def __getattr__(name: str) -> Any:
    # Lazy so that `import translate` stays instant (no torch, no somajo).
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
