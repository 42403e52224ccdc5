"""Writers for a translated :class:`Document`: text, HTML, Markdown, TSV, TMX and JSON.

The UI's download buttons and the CLI's ``-f`` option use these same writers. Every format
records the model and settings that produced it (``Document.signature``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from . import __version__
from .document import Document
from .errors import ExportError
from .render import standalone_html

FORMAT_VERSION = 1

# XML 1.0 cannot hold these characters at all, not even as references.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|~#])")
_MD_LINE_START = re.compile(r"^(\d*)([-+.)])(?=\s|$)")


def _require_translated(document: Document) -> None:
    if not document.is_translated:
        missing = sum(1 for s in document.sentences if s.translation is None)
        raise ExportError(f"the document is not fully translated ({missing} sentences missing)")


def _signature_line(document: Document) -> str:
    return ", ".join(f"{key}={value}" for key, value in document.signature.items())


def to_text(document: Document) -> str:
    """The English translation with the source's paragraphs and line breaks."""
    _require_translated(document)
    text = document.translated_text()
    return text + "\n" if text else ""


def to_html(document: Document) -> str:
    """A standalone bilingual HTML page (works offline, hover linking included)."""
    _require_translated(document)
    return standalone_html(document)


def _md(text: str) -> str:
    escaped = _MD_SPECIAL.sub(r"\\\1", text.replace("&", "&amp;")).replace("\t", " ")
    # A line that starts like a list item ("- ", "+ ", "1. ") would render as a list.
    return _MD_LINE_START.sub(r"\1\\\2", escaped)


def to_markdown(document: Document, style: str = "table") -> str:
    """Markdown: one two-column table row per sentence pair (``table``) or ``interlinear``.

    All Markdown and HTML syntax in the text is escaped, so the text renders as written.
    """
    _require_translated(document)
    lines = [f"<!-- {_signature_line(document).replace('--', '- -')} -->", ""]
    if style == "table":
        lines += ["| Deutsch | English |", "| --- | --- |"]
        for paragraph in document.paragraphs:
            if paragraph.index:
                lines.append("| | |")  # an empty row marks the paragraph break
            for s in paragraph.sentences:
                lines.append(f"| {_md(s.source)} | {_md(s.translation or '')} |")
    elif style == "interlinear":
        for paragraph in document.paragraphs:
            for s in paragraph.sentences:
                lines += [_md(s.source) + "  ", f"*{_md(s.translation or '')}*", ""]
            lines.append("---")
            lines.append("")
    else:
        raise ExportError(f"unknown Markdown style {style!r}; use 'table' or 'interlinear'")
    return "\n".join(lines).rstrip("-\n") + "\n"


def to_tsv(document: Document) -> str:
    """One ``German<TAB>English`` pair per line, with Anki's file headers.

    Fields that contain tabs, quotes or line breaks are quoted (RFC 4180 style), which Anki and
    every CSV reader understand, so no text is altered. A row whose German starts with ``#`` is
    quoted too: a line starting with ``#`` is a comment to Anki.
    """
    _require_translated(document)
    buffer = io.StringIO()
    buffer.write("#separator:tab\n#html:false\n#columns:Deutsch\tEnglish\n")
    buffer.write(f"# {_signature_line(document)}\n")
    minimal = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    quoted = csv.writer(buffer, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_ALL)
    for s in document.sentences:
        (quoted if s.source.startswith("#") else minimal).writerow([s.source, s.translation])
    return buffer.getvalue()


def read_tsv(text: str) -> list[tuple[str, str]]:
    """Parse :func:`to_tsv` output back into (German, English) pairs."""
    lines = [line for line in text.splitlines(keepends=True) if not line.startswith("#")]
    return [(row[0], row[1]) for row in csv.reader(lines, delimiter="\t") if row]


def to_tmx(document: Document) -> str:
    """A TMX 1.4 translation memory: one ``<tu>`` per sentence, de source, en target.

    Characters that XML 1.0 cannot represent (C0 controls other than tab/newline) become
    U+FFFD; everything else is kept exactly.
    """
    _require_translated(document)
    signature = document.signature
    root = ET.Element("tmx", version="1.4")
    header = ET.SubElement(
        root,
        "header",
        creationtool="bilingual-reader",
        creationtoolversion=__version__,
        segtype="sentence",
        adminlang="en",
        srclang="de",
        datatype="plaintext",
        creationdate=datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
    )
    header.set("o-tmf", "bilingual-reader")
    for key, value in signature.items():
        prop = ET.SubElement(header, "prop", type=f"x-{key}")
        prop.text = _xml_text(str(value))
    body = ET.SubElement(root, "body")
    for s in document.sentences:
        unit = ET.SubElement(body, "tu", tuid=str(s.index + 1))
        ET.SubElement(unit, "prop", type="x-paragraph").text = str(_paragraph_of(document, s.index))
        for lang, text in (("de", s.source), ("en", s.translation or "")):
            variant = ET.SubElement(unit, "tuv", {"xml:lang": lang})
            ET.SubElement(variant, "seg").text = _xml_text(text)
    ET.indent(root, space=" ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _xml_text(text: str) -> str:
    return _XML_INVALID.sub("\ufffd", text)


def _paragraph_of(document: Document, index: int) -> int:
    for paragraph in document.paragraphs:
        if paragraph.sentences[0].index <= index <= paragraph.sentences[-1].index:
            return paragraph.index
    raise ExportError(f"sentence {index} is in no paragraph")


def to_json(document: Document) -> str:
    """The whole Document (text, paragraphs, sentences with spans, signature) as JSON."""
    _require_translated(document)
    data = {"format": "bilingual-reader", "version": FORMAT_VERSION, **document.to_dict()}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


FORMATS: dict[str, tuple[str, Callable[[Document], str]]] = {
    "text": (".txt", to_text),
    "html": (".html", to_html),
    "markdown": (".md", to_markdown),
    "tsv": (".tsv", to_tsv),
    "tmx": (".tmx", to_tmx),
    "json": (".json", to_json),
}
"""Format name -> (file extension, writer)."""


def export(document: Document, fmt: str) -> str:
    """``document`` in format ``fmt`` (one of :data:`FORMATS`).

    Raises:
        ExportError: unknown format, or the document is not fully translated.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return FORMATS[fmt][1](document)


def write_atomic(path: str | os.PathLike[str], content: str) -> Path:
    """Write ``content`` to ``path`` via a temporary file and rename: all or nothing."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(content)
        # mkstemp makes the file private (0600): keep the replaced file's mode, else 0644.
        mode = target.stat().st_mode & 0o777 if target.exists() else 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
