"""The data types that flow through the whole tool: Document -> Paragraph -> Sentence.

A :class:`Document` keeps the original text and, for every sentence, its exact character span in
it, so that views can map back to the source and nothing the user typed is lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

_TERMINAL_PUNCTUATION = (".", "!", "?", "…", ":", ";", "“", "”", '"', "»", "«", ")")


@dataclass
class Sentence:
    """One source segment and its translation.

    Attributes:
        index: position of the sentence in the whole document (0-based).
        start: offset of the first character in :attr:`Document.text`.
        end: offset one past the last character; ``text[start:end] == source``.
        source: the German text, exactly as in the input.
        translation: the English text, ``None`` until translated.
        score: the model's length-normalised log-probability, when known.
    """

    index: int
    start: int
    end: int
    source: str
    translation: str | None = None
    score: float | None = None


@dataclass
class Paragraph:
    """A block of text separated from its neighbours by blank lines."""

    index: int
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def start(self) -> int:
        """Offset of the paragraph's first character."""
        return self.sentences[0].start

    @property
    def end(self) -> int:
        """Offset one past the paragraph's last character."""
        return self.sentences[-1].end

    @property
    def is_heading(self) -> bool:
        """True for a one-sentence paragraph that does not end like a sentence (a headline)."""
        if len(self.sentences) != 1:
            return False
        source = self.sentences[0].source
        return len(source) > 1 and not source.endswith(_TERMINAL_PUNCTUATION)


@dataclass
class Document:
    """A segmented text: paragraphs of sentences with spans into :attr:`text`.

    Attributes:
        text: the original input, unchanged.
        paragraphs: the paragraphs in order; empty for whitespace-only input.
        signature: what produced the translations (model id, backend, settings); empty until
            a translator fills it.
    """

    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    signature: dict[str, Any] = field(default_factory=dict)

    @property
    def sentences(self) -> list[Sentence]:
        """All sentences in document order."""
        return [s for p in self.paragraphs for s in p.sentences]

    def __iter__(self) -> Iterator[Sentence]:
        return iter(self.sentences)

    def __len__(self) -> int:
        return sum(len(p.sentences) for p in self.paragraphs)

    @property
    def is_translated(self) -> bool:
        """True when every sentence has a translation."""
        return all(s.translation is not None for s in self.sentences)

    def translated_text(self) -> str:
        """The translation as plain text with the input's line and paragraph breaks.

        Sentences that shared a line are joined by a space; where the source had line breaks
        between two sentences, the translation has the same number of line breaks.
        """
        parts: list[str] = []
        previous: Sentence | None = None
        for sentence in self.sentences:
            if previous is not None:
                gap = self.text[previous.end : sentence.start]
                newlines = _count_line_breaks(gap)
                parts.append("\n" * newlines if newlines else " ")
            parts.append(sentence.translation or "")
            previous = sentence
        return "".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict of the whole document."""
        return {
            "text": self.text,
            "signature": dict(self.signature),
            "paragraphs": [
                {
                    "index": p.index,
                    "heading": p.is_heading,
                    "sentences": [asdict(s) for s in p.sentences],
                }
                for p in self.paragraphs
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        """Rebuild a document written by :meth:`to_dict`."""
        paragraphs = [
            Paragraph(index=p["index"], sentences=[Sentence(**s) for s in p["sentences"]])
            for p in data["paragraphs"]
        ]
        return cls(text=data["text"], paragraphs=paragraphs, signature=dict(data["signature"]))


def _count_line_breaks(gap: str) -> int:
    # splitlines knows every Unicode line boundary and counts "\r\n" once; a piece that
    # splitlines leaves unchanged has no break at its end.
    return sum(1 for piece in gap.splitlines(keepends=True) if piece.splitlines() != [piece])
