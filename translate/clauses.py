"""Split a sentence that is too long for the model at clause boundaries, never truncating it."""

from __future__ import annotations

import re
from collections.abc import Callable

# Preferred cut points, best first: after ; or :, after a comma, around a dash, any whitespace.
_TIERS = (
    re.compile(r"(?<=[;:])\s+"),
    re.compile(r"(?<=,)\s+"),
    re.compile(r"\s+(?=[–—-]\s)|(?<=\s[–—-])\s+"),
    re.compile(r"\s+"),
)


def split_once(text: str) -> tuple[str, str] | None:
    """Cut ``text`` in two at the best clause boundary nearest its middle.

    Returns ``None`` for a text too short to cut (a single character). Both halves are
    non-empty and, with the whitespace between them, make up ``text``.
    """
    middle = len(text) / 2
    for tier in _TIERS:
        cuts = [m for m in tier.finditer(text) if m.start() > 0 and m.end() < len(text)]
        if cuts:
            best = min(cuts, key=lambda m: abs((m.start() + m.end()) / 2 - middle))
            return text[: best.start()], text[best.end() :]
    if len(text) < 2:
        return None
    cut = len(text) // 2
    return text[:cut], text[cut:]


def split_to_fit(text: str, count_tokens: Callable[[str], int], limit: int) -> list[str]:
    """Pieces of ``text``, in order, each at most ``limit`` tokens by ``count_tokens``.

    The pieces joined with the whitespace that was between them give ``text`` back; pieces are
    cut at clause boundaries where there are any.
    """
    if count_tokens(text) <= limit:
        return [text]
    halves = split_once(text)
    if halves is None:
        return [text]  # one character over the limit: nothing left to cut
    left, right = halves
    return split_to_fit(left, count_tokens, limit) + split_to_fit(right, count_tokens, limit)
