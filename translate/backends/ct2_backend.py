"""MarianMT through CTranslate2: int8 on the CPU, several translations in parallel.

On first use the transformers model is converted once into the user's cache directory
(:mod:`.ct2_convert`); afterwards translating needs only ``ctranslate2`` and ``sentencepiece``.
Outputs equal the torch backend's (token for token with float32 weights, checked on the
opus-mt-de-en-shaped benchmark model; int8 moves scores slightly): same tokenization
(SentencePiece, ``</s>`` appended), same decoder-start token, ``<pad>`` never generated, same
length limits. One difference: an output cut off at ``max_new_tokens`` ends in ``</s>`` with
transformers (``forced_eos_token_id``) but in one more word here; the translator splits and
redoes such sentences anyway, and both engines take the same number of decoding steps.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

# Imported here, not lazily, so that a missing package fails the import of this module, which
# load_backend turns into a BackendUnavailableError that says how to install it.
import ctranslate2
import sentencepiece

from ..errors import ModelLoadError
from ..registry import ModelSpec
from .base import GenerationOptions, Hypothesis
from .ct2_convert import ensure_converted

logger = logging.getLogger(__name__)

DEFAULT_PATIENCE = 2.0
"""Beam-search patience. CTranslate2 stops once ``beam_size × patience`` hypotheses have ended;
with 1 it sometimes stops before the best one has ended (two seed-article sentences lose a
word), which transformers' stopping rule would not do. 2 finds the same translations."""

SUB_BATCHES_PER_REPLICA = 1
"""A batch is cut into this many sub-batches of equal estimated work per replica (see
:func:`plan_sub_batches`). Measured on 2 cores with 50 sentences (bench/ct2_threads.py): 1 gave
15.2 sentences/s, 2 gave 13.5, 3-4 about 11 (smaller matrix products are less efficient).
CTranslate2's own splitting (fixed sizes by examples or source tokens) peaked at 13.9."""

MAX_BATCH_TOKENS = 8192
"""The most (estimated) tokens in one sub-batch, which bounds its memory."""

_SPECIAL = frozenset({"</s>", "<unk>", "<pad>"})
"""Tokens transformers drops when decoding with ``skip_special_tokens=True``."""


def cpu_cores() -> int:
    """The CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def tuned_threads(cores: int) -> tuple[int, int]:
    """``(inter_threads, intra_threads)`` for ``cores`` CPU cores, chosen by measurement.

    One single-threaded replica per core, translating different sub-batches at the same
    time, beats one replica using every core. Measured on 2 cores with the opus-mt-de-en-sized
    model (``python bench/ct2_threads.py``, 50 sentences, beam 4): inter 2 × intra 1 gave 15
    sentences/s, inter 1 × intra 2 (one replica) 9-12, and inter 2 × intra 2 (4 threads on 2
    cores) 13-15 with large sub-batches but 8-9 with small ones; with CTranslate2's own small
    sub-batches (max_batch_size 1-4) inter 1 × intra 2 fell to 1.5-5 against 6-14, the 3× gap.
    Past 4 cores (not measured: no such machine was available) a replica gets two threads, so
    that a batch of 16 sentences still gives each replica a few sentences to work on.
    """
    if cores <= 4:
        return max(cores, 1), 1
    return cores // 2, 2


def default_device() -> str:
    """``cuda`` when CTranslate2 sees a GPU, else ``cpu``."""
    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def plan_sub_batches(work: list[int], parts: int, max_work: int) -> list[list[int]]:
    """Cut items into about ``parts`` groups of similar total work, largest group first.

    Items are sorted by work first, so each group holds items of similar length (little
    padding); a group closes when it would pass its share of the total, or ``max_work``.

    Args:
        work: the estimated work (tokens to generate) of each item.
        parts: how many groups to aim for.
        max_work: the most work in one group (a single larger item gets a group of its own).

    Returns:
        Lists of item indices, in order of decreasing total work.
    """
    order = sorted(range(len(work)), key=lambda i: work[i])
    share = sum(work) / max(parts, 1)
    groups: list[list[int]] = []
    current: list[int] = []
    total = 0
    for i in order:
        # Close the group when this item would take it further past its share than not.
        if current and (total + work[i] / 2 > share or total + work[i] > max_work):
            groups.append(current)
            current, total = [], 0
        current.append(i)
        total += work[i]
    if current:
        groups.append(current)
    return sorted(groups, key=lambda group: -sum(work[i] for i in group))


class CTranslate2Backend:
    """Runs a MarianMT model converted to CTranslate2.

    Args:
        spec: the model (Hugging Face id or local folder of a transformers MarianMT model).
        device: ``cpu``, ``cuda`` or ``auto`` (a GPU when CTranslate2 sees one).
        compute_type: CTranslate2 compute type; default ``int8`` on the CPU (it runs as
            ``int8_float32``), ``int8_float16`` on a GPU.
        inter_threads: model replicas translating sub-batches in parallel (CPU); default
            :func:`tuned_threads`.
        intra_threads: threads per replica (CPU); default :func:`tuned_threads`.
        sub_batches_per_replica: a batch from the translator is cut into this many
            sub-batches per replica, of about equal work, which the replicas share.
        max_batch_tokens: the most tokens to generate in one sub-batch (bounds memory).
        patience: beam-search patience (see :data:`DEFAULT_PATIENCE`).
        cache_dir: where conversions are kept; default ``<user cache>/ct2``.

    Raises:
        ModelLoadError: the model cannot be found, downloaded, converted or loaded.
    """

    name = "ct2"

    def __init__(
        self,
        spec: ModelSpec,
        *,
        device: str = "auto",
        compute_type: str | None = None,
        inter_threads: int | None = None,
        intra_threads: int | None = None,
        sub_batches_per_replica: int = SUB_BATCHES_PER_REPLICA,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
        patience: float = DEFAULT_PATIENCE,
        cache_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.spec = spec
        self.device = default_device() if device == "auto" else device
        on_cpu = self.device == "cpu"
        requested = compute_type or ("int8" if on_cpu else "int8_float16")
        if cache_dir is None:
            from ..cache import default_cache_dir

            cache_dir = default_cache_dir() / "ct2"
        # Stored weights: int8 whenever the compute type is an int8 one (4× smaller file,
        # faster load); otherwise the compute type itself.
        quantization = "int8" if requested.startswith("int8") else requested
        self.conversion = ensure_converted(spec, Path(cache_dir), quantization)
        tuned_inter, tuned_intra = tuned_threads(cpu_cores())
        self.inter_threads = inter_threads or (tuned_inter if on_cpu else 1)
        self.intra_threads = intra_threads or (tuned_intra if on_cpu else 0)
        folder = self.conversion.folder
        try:
            self.translator = ctranslate2.Translator(
                str(folder),
                device=self.device,
                compute_type=requested,
                inter_threads=self.inter_threads,
                intra_threads=self.intra_threads,
            )
            self._source = sentencepiece.SentencePieceProcessor(
                model_file=str(folder / "source.spm")
            )
            self._target = sentencepiece.SentencePieceProcessor(
                model_file=str(folder / "target.spm")
            )
        except (RuntimeError, ValueError, OSError) as exc:
            raise ModelLoadError(
                f"the CTranslate2 model in {folder} (from {spec.model!r}) could not be loaded: "
                f"{exc}. Delete that folder to convert the model again."
            ) from exc
        self.compute_type = str(self.translator.compute_type)
        self.sub_batches_per_replica = sub_batches_per_replica
        self.max_batch_tokens = max_batch_tokens
        self.patience = patience
        self.max_input_tokens = min(spec.max_input_tokens, self.conversion.max_position_embeddings)
        pad = self.conversion.pad_token
        self._suppress = [[pad]] if pad else None

    def identity(self) -> dict[str, str]:
        """Model id, revision/content hash, engine and compute type."""
        return {
            **self.conversion.fingerprint,
            "backend": self.name,
            "compute_type": self.compute_type,
        }

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source-token counts, ``</s>`` included."""
        return [len(ids) + 1 for ids in self._source.encode(list(texts))]

    def translate_batch(self, texts: list[str], options: GenerationOptions) -> list[Hypothesis]:
        """Translate one batch; inputs must already fit :attr:`max_input_tokens`."""
        if not texts:
            return []
        sources = [[*pieces, "</s>"] for pieces in self._source.encode(list(texts), out_type=str)]
        if max(len(tokens) for tokens in sources) > self.max_input_tokens:
            raise ValueError("input longer than max_input_tokens reached the backend")
        nbest = max(1, options.num_hypotheses)
        beams = max(options.num_beams, nbest)
        settings: dict[str, Any] = {
            "beam_size": beams,
            "patience": self.patience if beams > 1 else 1.0,
            "num_hypotheses": nbest,
            "length_penalty": 1.0,
            "max_decoding_length": options.max_new_tokens,
            "min_decoding_length": options.min_new_tokens,
            # 0 = no limit: CTranslate2 would otherwise silently cut inputs at 1024 tokens.
            "max_input_length": 0,
            "return_scores": True,
            "return_end_token": True,
            "suppress_sequences": self._suppress,
        }
        # Work is dominated by decoding steps: about one per output token, and an output is
        # about as long as its input, within the forced minimum and maximum.
        work = [
            max(options.min_new_tokens, min(options.max_new_tokens, len(tokens)))
            for tokens in sources
        ]
        parts = self.inter_threads * self.sub_batches_per_replica if self.inter_threads > 1 else 1
        plan = plan_sub_batches(work, parts, self.max_batch_tokens)
        # Submitted at once, the largest first; the replicas take them as they become free.
        pending = [
            (
                group,
                self.translator.translate_batch(
                    [sources[i] for i in group], asynchronous=True, **settings
                ),
            )
            for group in plan
        ]
        results: list[Any] = [None] * len(sources)
        for group, futures in pending:
            for i, future in zip(group, futures, strict=True):
                results[i] = future.result()
        return [self._hypothesis(result) for result in results]

    def _hypothesis(self, result: Any) -> Hypothesis:
        ranked = [
            Hypothesis(text=self._decode(tokens), length=len(tokens), score=float(score))
            for tokens, score in zip(result.hypotheses, result.scores, strict=True)
        ]
        best = ranked[0]
        if len(ranked) == 1:
            return best
        return Hypothesis(best.text, best.length, best.score, alternatives=tuple(ranked[1:]))

    def _decode(self, tokens: list[str]) -> str:
        # As MarianTokenizer.decode(skip_special_tokens=True): drop specials, join with the
        # target SentencePiece model; pieces it does not know stay as they are, "▁" as space.
        pieces = [token for token in tokens if token not in _SPECIAL]
        return str(self._target.decode_pieces(pieces)).replace("▁", " ").strip()
