"""Split German text into paragraphs and sentences with exact character spans.

Rules, in order:
1. A blank line (only whitespace) separates paragraphs.
2. Every line break is a sentence boundary: headlines, datelines and list items are their own
   segments.
3. Inside a line, sentence boundaries come from SoMaJo, a German tokenizer that handles ordinals
   ("am 9. November", "3. Liga"), abbreviations ("z. B.", "usw.") and German quotes.

Segmentation is lossless: every non-whitespace character of the input is inside exactly one
sentence, sentences do not overlap, and only whitespace lies between them.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from .document import Document, Paragraph, Sentence

if TYPE_CHECKING:
    from somajo import SoMaJo

# The same boundaries as str.splitlines(), so "\r\n" is one break and U+2028 counts too.
_LINE_BREAK = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
_LOCK = threading.Lock()
# SoMaJo reads "2:1. Die" like an ordinal ("am 9. November"); a score or clock time followed by
# a period and a capitalised word ends a sentence.
_EXTRA_BOUNDARY = re.compile(r"\b\d{1,2}:\d{1,2}\.(\s+)(?=[A-ZÄÖÜ„\"])")


@lru_cache(maxsize=1)
def _sentence_splitter() -> SoMaJo:
    from somajo import SoMaJo

    return SoMaJo("de_CMC", split_camel_case=False, split_sentences=True, character_offsets=True)


def segment(text: str) -> Document:
    """Split ``text`` into a :class:`Document` of paragraphs and sentences.

    Args:
        text: German text; any Unicode, any line-break convention.

    Returns:
        A document whose sentences carry ``start``/``end`` offsets into ``text``.
        Whitespace-only input gives a document with no paragraphs.

    Raises:
        TypeError: if ``text`` is not a ``str``.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    document = Document(text=text)
    paragraph: Paragraph | None = None
    index = 0
    for line_start, line_end in _line_spans(text):
        spans = _sentence_spans(text[line_start:line_end])
        if not spans:
            paragraph = None  # a blank line closes the paragraph
            continue
        if paragraph is None:
            paragraph = Paragraph(index=len(document.paragraphs))
            document.paragraphs.append(paragraph)
        for start, end in spans:
            start, end = start + line_start, end + line_start
            paragraph.sentences.append(Sentence(index, start, end, text[start:end]))
            index += 1
    return document


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line's content, line breaks excluded."""
    spans = []
    position = 0
    for match in _LINE_BREAK.finditer(text):
        spans.append((position, match.start()))
        position = match.end()
    spans.append((position, len(text)))
    return spans


def split_sentences(line: str) -> list[str]:
    """The sentences of one line of text (no line breaks inside), whitespace trimmed."""
    return [line[start:end] for start, end in _sentence_spans(line)]


def _sentence_spans(line: str) -> list[tuple[int, int]]:
    """Spans of the sentences in one line, trimmed of surrounding whitespace."""
    if not line or line.isspace():
        return []
    # SoMaJo only tells us where sentences start; we cut the line there ourselves, so that no
    # character SoMaJo skips or normalises can be lost.
    with _LOCK:  # SoMaJo instances are not documented as thread-safe
        sentences = list(_sentence_splitter().tokenize_text([line]))
    cuts = [0]
    for tokens in sentences[1:]:
        offset = tokens[0].character_offset[0] if tokens else None
        if offset is not None and cuts[-1] < offset < len(line):
            cuts.append(offset)
    cuts.extend(m.end(1) for m in _EXTRA_BOUNDARY.finditer(line))
    cuts = sorted(set(cuts))
    cuts.append(len(line))
    spans = []
    for start, end in pairwise(cuts):
        while start < end and line[start].isspace():
            start += 1
        while end > start and line[end - 1].isspace():
            end -= 1
        if start < end:
            spans.append((start, end))
    return spans
