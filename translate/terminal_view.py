"""The side-by-side terminal view: German and English in two columns, sentence by sentence.

Columns are measured in terminal cells, not characters: East Asian wide characters take two
cells and combining marks none, so the columns stay straight for any script. The output is
plain text (readable in a pager or a file); ``color=True`` adds a few ANSI styles for a terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections.abc import Iterator

from .document import Document

GUTTER = " │ "
MIN_COLUMN = 16
"""Below this many cells per column the view stacks English under German instead."""
HEADINGS = ("Deutsch", "English")

_BOLD, _DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[0m"
_WORDS = re.compile(r"\S+")


def char_width(char: str) -> int:
    """Terminal cells taken by one character: 0 (combining, format), 2 (wide) or 1."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def display_width(text: str) -> int:
    """Terminal cells taken by ``text`` (no control characters expected)."""
    return sum(char_width(char) for char in text)


def printable(text: str) -> str:
    """``text`` with control characters (ESC included) shown as U+FFFD, tabs as spaces.

    Text from a file or web page must not be able to move the cursor or recolour the terminal.
    """
    return "".join(
        " " if char == "\t" else "\ufffd" if unicodedata.category(char) == "Cc" else char
        for char in text
    )


def wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap of one line of text to ``width`` cells.

    Words wider than a line are broken between characters, so nothing is ever cut off.
    Returns at least one (possibly empty) line.
    """
    if width < 1:
        raise ValueError(f"width must be positive, not {width}")
    lines: list[str] = []
    current, used = "", 0
    for word in _WORDS.findall(text):
        size = display_width(word)
        if current and used + 1 + size <= width:
            current, used = f"{current} {word}", used + 1 + size
            continue
        if current:
            lines.append(current)
        current, used = "", 0
        for piece in _break_word(word, width):
            if current:
                lines.append(current)
            current, used = piece, display_width(piece)
    lines.append(current)
    return lines


def _break_word(word: str, width: int) -> Iterator[str]:
    piece, used = "", 0
    for char in word:
        size = char_width(char)
        if piece and used + size > width:
            yield piece
            piece, used = "", 0
        piece, used = piece + char, used + size
    yield piece


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


def terminal_width(default: int = 80) -> int:
    """The width to render for: $COLUMNS, else the terminal on stdout, stderr or stdin.

    Looking past stdout means ``bilingual-reader translate a.txt | less`` still fits the
    terminal the pager shows it in.
    """
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    for fd in (1, 2, 0):
        try:
            size = os.get_terminal_size(fd).columns
        except (OSError, ValueError):
            continue
        if size > 0:
            return size
    return shutil.get_terminal_size((default, 24)).columns


def side_by_side(document: Document, width: int = 80, *, color: bool = False) -> str:
    """Render a translated ``document`` as two columns fitting ``width`` cells.

    Every sentence starts a new row in both columns, so a German sentence and its English
    translation always begin on the same line; paragraphs are separated by a blank line.
    Narrow widths (under two columns of :data:`MIN_COLUMN`) stack English under German.

    Args:
        document: a translated document.
        width: total line width in terminal cells.
        color: add ANSI bold/dim styles (only for a terminal).

    Returns:
        The text, ending in a newline (empty for an empty document).
    """
    column = (width - display_width(GUTTER)) // 2
    if column < MIN_COLUMN:
        return _stacked(document, max(width, 8), color=color)
    bold, dim, reset = (_BOLD, _DIM, _RESET) if color else ("", "", "")
    gutter = f"{dim}{GUTTER}{reset}"
    lines = [
        f"{bold}{_pad(HEADINGS[0], column)}{reset}{gutter}{bold}{HEADINGS[1]}{reset}",
        f"{dim}{'─' * column}─┼─{'─' * column}{reset}",
    ]
    for paragraph in document.paragraphs:
        if paragraph.index:
            lines.append("")
        style = bold if paragraph.is_heading else ""
        end = reset if style else ""
        for sentence in paragraph.sentences:
            left = wrap(printable(sentence.source), column)
            right = wrap(printable(sentence.translation or ""), column)
            for row in range(max(len(left), len(right))):
                german = left[row] if row < len(left) else ""
                english = right[row] if row < len(right) else ""
                line = f"{style}{_pad(german, column)}{end}{gutter}{style}{english}{end}"
                lines.append(line.rstrip())
    return "\n".join(lines) + "\n" if document.paragraphs else ""


def _stacked(document: Document, width: int, *, color: bool) -> str:
    dim, reset = (_DIM, _RESET) if color else ("", "")
    lines: list[str] = []
    for paragraph in document.paragraphs:
        if paragraph.index:
            lines.append("")
        for sentence in paragraph.sentences:
            lines += wrap(printable(sentence.source), width)
            lines += [
                f"{dim}  {line}{reset}"
                for line in wrap(printable(sentence.translation or ""), width - 2)
            ]
    return "\n".join(lines) + "\n" if document.paragraphs else ""
