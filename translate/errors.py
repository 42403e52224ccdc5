"""Exceptions raised by the translate library.

Every error a user can meet is a :class:`TranslateError`, so callers (the CLI, the UI) can catch
one type and show its message. Messages say what went wrong and what to do about it.
"""

from __future__ import annotations


class TranslateError(Exception):
    """Base class for all errors raised by this library."""


class RegistryError(TranslateError):
    """The model registry (models.yaml) is malformed."""


class UnknownModelError(TranslateError, KeyError):
    """A model name is neither a registry key, a local folder, nor a Hugging Face id."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ModelLoadError(TranslateError):
    """A model exists in principle but cannot be loaded (offline, missing files, bad id)."""


class BackendUnavailableError(TranslateError):
    """The requested inference backend is not installed."""


class InputError(TranslateError, ValueError):
    """The text, file or URL given by the user cannot be used (too large, unreadable, ...)."""


class ExportError(TranslateError):
    """A document cannot be written in the requested format."""
