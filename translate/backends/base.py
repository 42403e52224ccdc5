"""The interface every inference engine implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class GenerationOptions:
    """Decoding settings for one batch.

    Attributes:
        num_beams: beam size (1 = greedy).
        max_new_tokens: the most target tokens to generate, ``</s>`` included.
        min_new_tokens: force at least this many tokens (benchmarks use it to fix the work).
        num_hypotheses: how many translations to return per input (n-best, at most
            ``num_beams``); the best is the :class:`Hypothesis`, the rest its ``alternatives``.
    """

    num_beams: int = 4
    max_new_tokens: int = 512
    min_new_tokens: int = 0
    num_hypotheses: int = 1


@dataclass(frozen=True)
class Hypothesis:
    """One translated input.

    Attributes:
        text: the decoded translation.
        length: number of generated tokens, ``</s>`` included.
        score: length-normalised log-probability, or None when the engine does not give one.
        alternatives: the next-best translations, best first, when ``num_hypotheses`` > 1.
    """

    text: str
    length: int
    score: float | None = None
    alternatives: tuple[Hypothesis, ...] = ()


class Backend(Protocol):
    """A loaded translation model. Implementations live in this package only."""

    name: str
    """Short engine name, e.g. ``torch``."""

    max_input_tokens: int
    """The longest accepted input, in source tokens including ``</s>``."""

    def count_tokens(self, texts: list[str]) -> list[int]:
        """Source-token counts (``</s>`` included) for each text."""
        ...

    def translate_batch(self, texts: list[str], options: GenerationOptions) -> list[Hypothesis]:
        """Translate ``texts`` (each within :attr:`max_input_tokens`) in one batch, in order."""
        ...

    def identity(self) -> dict[str, str]:
        """What makes this model unique: id/path, revision or content hash, engine."""
        ...
