"""Orchestration: text -> segments -> unique sentences -> cache -> backend batches -> Document."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import __version__
from .clauses import split_once, split_to_fit
from .document import Document
from .registry import ModelSpec, Registry, resolve_model
from .segment import segment

if TYPE_CHECKING:
    from .backends import Backend, Hypothesis
    from .cache import TranslationCache

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TranslationProgress:
    """A snapshot while a document is being translated.

    Attributes:
        document: the document; sentences translated so far have their ``translation`` set.
        done: how many of the document's sentences are translated.
        total: how many sentences the document has.
    """

    document: Document
    done: int
    total: int

    @property
    def finished(self) -> bool:
        """True once every sentence is translated."""
        return self.done == self.total


class Translator:
    """Translates German text with one model, loaded lazily on first use.

    Args:
        model: a key from models.yaml, a Hugging Face id or a local folder; default
            $TRANSLATE_MODEL, else the registry's default (``de-en``).
        backend: ``torch``, ``ct2`` or ``auto`` (ct2 when CTranslate2 is installed, else
            torch); default: the model's entry in models.yaml.
        num_beams: beam size; default from the registry (4 for opus-mt).
        batch_size: sentences per ``generate`` call.
        max_input_tokens: split inputs longer than this (default: the model's own limit).
        max_new_tokens: the most tokens to generate for one input.
        min_new_tokens: force at least this many output tokens (for benchmarks only).
        cache: a :class:`~translate.cache.TranslationCache`, ``True`` for the default on-disk
            cache, or ``False``/``None`` for none.
        registry: the model registry to resolve ``model`` in.

    Raises:
        UnknownModelError: ``model`` names nothing known.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        backend: str | None = None,
        num_beams: int | None = None,
        batch_size: int = 16,
        max_input_tokens: int | None = None,
        max_new_tokens: int | None = None,
        min_new_tokens: int = 0,
        cache: TranslationCache | bool | None = True,
        registry: Registry | None = None,
    ) -> None:
        self.spec: ModelSpec = resolve_model(model, registry)
        self.backend_name = backend or self.spec.backend
        self.num_beams = _positive("num_beams", num_beams or self.spec.generation.num_beams)
        self.batch_size = _positive("batch_size", batch_size)
        self.max_new_tokens = _positive(
            "max_new_tokens", max_new_tokens or self.spec.generation.max_new_tokens
        )
        self.min_new_tokens = min_new_tokens
        self._max_input_tokens = max_input_tokens
        self._cache_option = cache
        self._cache: TranslationCache | None = None
        self._backend: Backend | None = None
        self._load_lock = threading.Lock()
        self._generate_lock = threading.Lock()

    @property
    def backend(self) -> Backend:
        """The loaded engine (loads the model on first access).

        Raises:
            ModelLoadError: the model cannot be loaded.
            BackendUnavailableError: the engine is not installed.
        """
        if self._backend is None:
            with self._load_lock:
                if self._backend is None:
                    from .backends import load_backend

                    self._backend = load_backend(self.spec, self.backend_name)
        return self._backend

    @property
    def is_loaded(self) -> bool:
        """True once the model has been loaded (the first translation loads it)."""
        return self._backend is not None

    @property
    def max_input_tokens(self) -> int:
        """The longest input sent to the model in one piece, ``</s>`` included."""
        limit = self.backend.max_input_tokens
        return min(limit, self._max_input_tokens) if self._max_input_tokens else limit

    def signature(self, num_beams: int | None = None) -> dict[str, Any]:
        """The exact settings that produce this translator's output (for exports and caching)."""
        return {
            **self.backend.identity(),
            "num_beams": num_beams or self.num_beams,
            "max_new_tokens": self.max_new_tokens,
            "min_new_tokens": self.min_new_tokens,
            "max_input_tokens": self.max_input_tokens,
            "tool": f"bilingual-reader {__version__}",
        }

    @property
    def cache(self) -> TranslationCache | None:
        """The translation cache in use, or None."""
        if self._cache is None and self._cache_option:
            from .cache import TranslationCache, default_cache

            option = self._cache_option
            self._cache = option if isinstance(option, TranslationCache) else default_cache()
        return self._cache

    def translate(self, text: str, *, num_beams: int | None = None) -> str:
        """Translate ``text``; paragraphs and line breaks are kept.

        Raises:
            TypeError: ``text`` is not a str.
            TranslateError: the model cannot be loaded.
        """
        return self.translate_document(text, num_beams=num_beams).translated_text()

    def translate_document(self, text: str, *, num_beams: int | None = None) -> Document:
        """Segment and translate ``text`` into a :class:`Document`."""
        *_, last = self.translate_iter(text, num_beams=num_beams)
        return last.document

    def translate_iter(
        self, text: str, *, num_beams: int | None = None
    ) -> Iterator[TranslationProgress]:
        """Translate ``text``, yielding a progress snapshot after each batch.

        The first snapshot comes before any model work (nothing translated yet, or everything,
        when all sentences were cached); the last has ``finished`` set.

        Args:
            text: the German text.
            num_beams: beam size for this call only (default: the translator's).
        """
        beams = _positive("num_beams", num_beams or self.num_beams)
        document = segment(text)
        sentences = document.sentences
        if not sentences:
            yield TranslationProgress(document, 0, 0)
            return
        document.signature = self.signature(beams)
        by_source: dict[str, list[int]] = {}
        for position, sentence in enumerate(sentences):
            by_source.setdefault(sentence.source, []).append(position)
        done = 0

        def fill(source: str, hypothesis: Hypothesis) -> int:
            for position in by_source[source]:
                sentences[position].translation = hypothesis.text
                sentences[position].score = hypothesis.score
            return len(by_source[source])

        pending = list(by_source)
        cache = self.cache
        if cache is not None:
            found = cache.get_many(document.signature, pending)
            for source, hypothesis in found.items():
                done += fill(source, hypothesis)
            pending = [source for source in pending if source not in found]
        yield TranslationProgress(document, done, len(sentences))
        for finished in self._translate_unique(pending, beams):
            for source, hypothesis in finished.items():
                done += fill(source, hypothesis)
            if cache is not None:
                cache.put_many(document.signature, finished)
            yield TranslationProgress(document, done, len(sentences))

    def translate_sentences(
        self, sentences: list[str], *, num_beams: int | None = None
    ) -> list[str]:
        """Translate a list of single sentences (no segmentation, no cache), in order."""
        beams = _positive("num_beams", num_beams or self.num_beams)
        results: dict[str, str] = {}
        for finished in self._translate_unique(list(dict.fromkeys(sentences)), beams):
            results.update({source: hyp.text for source, hyp in finished.items()})
        return [results[s] for s in sentences]

    def _translate_unique(
        self, sources: list[str], num_beams: int
    ) -> Iterator[dict[str, Hypothesis]]:
        """Translate distinct sentences in length-sorted batches; yield each batch's results."""
        if not sources:
            return
        backend = self.backend
        limit = self.max_input_tokens
        counts = dict(zip(sources, backend.count_tokens(sources), strict=True))
        pieces: dict[str, list[str]] = {}
        for source in sources:
            if counts[source] <= limit:
                pieces[source] = [source]
            else:
                pieces[source] = split_to_fit(
                    source, lambda piece: backend.count_tokens([piece])[0], limit
                )
                logger.info(
                    "split a %d-token sentence into %d pieces", counts[source], len(pieces[source])
                )
        work = [(source, i, piece) for source in sources for i, piece in enumerate(pieces[source])]
        # Length-sorted batches waste little work on padding.
        lengths = backend.count_tokens([piece for _, _, piece in work])
        ordered = sorted(zip(lengths, work, strict=True), key=lambda pair: pair[0])
        work = [item for _, item in ordered]
        partial: dict[str, list[Hypothesis | None]] = {
            source: [None] * len(pieces[source]) for source in sources
        }
        for start in range(0, len(work), self.batch_size):
            batch = work[start : start + self.batch_size]
            hypotheses = self._generate([piece for _, _, piece in batch], num_beams)
            finished: dict[str, Hypothesis] = {}
            for (source, i, _), hypothesis in zip(batch, hypotheses, strict=True):
                slots = partial[source]
                slots[i] = hypothesis
                if all(slot is not None for slot in slots):
                    finished[source] = _join([slot for slot in slots if slot is not None])
            yield finished

    def _generate(self, texts: list[str], num_beams: int) -> list[Hypothesis]:
        """One backend batch; an output cut off at the length limit is split and redone."""
        from .backends import GenerationOptions

        options = GenerationOptions(
            num_beams=num_beams,
            max_new_tokens=self.max_new_tokens,
            min_new_tokens=self.min_new_tokens,
        )
        with self._generate_lock:
            hypotheses = self.backend.translate_batch(texts, options)
        forced = options.min_new_tokens >= options.max_new_tokens
        results = []
        for text, hypothesis in zip(texts, hypotheses, strict=True):
            halves = (
                None if forced or hypothesis.length < options.max_new_tokens else split_once(text)
            )
            if halves is None:
                if not forced and hypothesis.length >= options.max_new_tokens:
                    logger.warning("a translation reached max_new_tokens and cannot be split")
                results.append(hypothesis)
            else:
                # Marian ends a cut-off output with </s> too, so it looks complete: redo in halves.
                results.append(_join(self._generate(list(halves), num_beams)))
        return results


def _join(parts: list[Hypothesis]) -> Hypothesis:
    from .backends import Hypothesis

    if len(parts) == 1:
        return parts[0]
    scores = [p.score for p in parts if p.score is not None]
    return Hypothesis(
        text=" ".join(p.text for p in parts if p.text),
        length=sum(p.length for p in parts),
        score=sum(scores) / len(scores) if len(scores) == len(parts) else None,
    )


def _positive(name: str, value: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer, not {value!r}")
    return value


_default_translators: dict[str | None, Translator] = {}
_default_lock = threading.Lock()


def translate(text: str, model: str | None = None) -> str:
    """Translate German ``text`` to English, keeping paragraphs and line breaks.

    The model is loaded once per process and name, on first use.

    Args:
        text: the German text.
        model: registry key, Hugging Face id or folder; default $TRANSLATE_MODEL or ``de-en``.

    Raises:
        TypeError: ``text`` is not a str.
        TranslateError: the model cannot be loaded.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    if not text.strip():
        return ""
    with _default_lock:
        translator = _default_translators.get(model)
        if translator is None:
            translator = _default_translators[model] = Translator(model)
    return translator.translate(text)
