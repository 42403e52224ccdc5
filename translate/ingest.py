"""Turn what a user gives us (a file or a URL) into plain text, with clear errors and limits."""

from __future__ import annotations

import io
import logging
import re
import time
import urllib.error
import urllib.request
from pathlib import Path

from .errors import InputError

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 200_000
"""Default limit on the text of one article (about 30,000 words)."""
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_URL_BYTES = 5 * 1024 * 1024
URL_TIMEOUT_S = 15.0

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".epub", ".pdf")


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def check_text(text: str, max_chars: int = MAX_TEXT_CHARS) -> str:
    """Return ``text`` if it is non-empty and within ``max_chars``.

    Raises:
        InputError: empty (or whitespace only), or too long; the message gives both sizes.
    """
    if not text.strip():
        raise InputError("the text is empty: paste a German article, upload a file or give a URL")
    if len(text) > max_chars:
        raise InputError(
            f"the text has {len(text):,} characters; the limit is {max_chars:,}. "
            "Split it into smaller parts."
        )
    return text


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")


def decode_bytes(data: bytes, name: str = "input") -> str:
    """Decode text of unknown encoding: a BOM's encoding, else UTF-8, else Windows-1252.

    German text that is not UTF-8 is almost always Windows-1252 (or its subset Latin-1);
    statistical detectors misread short German texts as East Asian encodings, so we do not guess.

    Raises:
        InputError: the bytes are binary or in none of these encodings.
    """
    data = data.rstrip(b"\x1a")  # the old DOS end-of-file mark
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        control = _CONTROL.search(text)
        if not control:
            return text
        if b"\x00" not in data:
            raise InputError(
                f"{name} is not plain text: it contains the control character "
                f"U+{ord(control.group()):04X} at character {control.start():,}"
            )
    raise InputError(
        f"{name} is not readable text: not UTF-8, UTF-16 or Windows-1252 (or a binary file). "
        "Save it as UTF-8 and try again."
    )


def read_file(path: str | Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Extract the text of a .txt, .md, .html/.htm, .docx, .epub or .pdf file.

    Raises:
        InputError: missing, too large, unsupported type, unreadable, or no text inside.
    """
    file = Path(path)
    name = file.name
    suffix = file.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(
            f"{name}: unsupported file type {suffix or '(none)'}; "
            f"use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    try:
        size = file.stat().st_size
        if size > max_bytes:
            raise InputError(f"{name} is {_size(size)}; the limit is {_size(max_bytes)}")
        data = file.read_bytes()
    except FileNotFoundError as exc:
        raise InputError(f"{path}: no such file") from exc
    except IsADirectoryError as exc:
        raise InputError(f"{path} is a folder, not a file") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    try:
        if suffix in (".txt", ".md"):
            text = decode_bytes(data, name)
        elif suffix in (".html", ".htm"):
            text = html_to_text(decode_bytes(data, name))
        elif suffix == ".docx":
            text = _docx_text(data)
        elif suffix == ".epub":
            text = _epub_text(data)
        else:
            text = _pdf_text(data)
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{name} could not be read as {suffix[1:].upper()}: {exc}") from exc
    if not text.strip():
        raise InputError(f"{name} contains no text")
    return text


def html_to_text(html: str, url: str | None = None) -> str:
    """The main article text of an HTML page (trafilatura), paragraphs separated by blank lines.

    Raises:
        InputError: no article text found.
    """
    import trafilatura

    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_recall=True
    )
    if not text or not text.strip():
        raise InputError(f"no article text found in {url or 'the HTML'}")
    # trafilatura puts one paragraph per line; our paragraphs are separated by blank lines.
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def _docx_text(data: bytes) -> str:
    import docx

    document = docx.Document(io.BytesIO(data))
    return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())


_EPUB_BLOCKS = ("h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "blockquote", "dd", "dt")


def _epub_text(data: bytes) -> str:
    import tempfile

    import ebooklib
    from ebooklib import epub
    from lxml import html as lxml_html

    with tempfile.NamedTemporaryFile(suffix=".epub") as handle:
        handle.write(data)
        handle.flush()
        book = epub.read_epub(handle.name)
    blocks: list[str] = []
    # Reading order is the spine; the navigation document (table of contents) is not text.
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or isinstance(item, epub.EpubNav):
            continue
        if item.get_type() != ebooklib.ITEM_DOCUMENT:
            continue
        tree = lxml_html.fromstring(item.get_content())
        for element in tree.iter(*_EPUB_BLOCKS):
            if any(True for _ in element.iterdescendants(*_EPUB_BLOCKS)):
                continue  # its inner blocks are taken one by one; don't repeat their text
            text = " ".join(element.text_content().split())
            if text:
                blocks.append(text)
    return "\n\n".join(blocks)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    pages = [page.extract_text() or "" for page in reader.pages]
    # PDF lines are wrapped at the page width: join wrapped lines, keep blank-line paragraphs;
    # "Verein-\nbarung" is one hyphenated word ("Nord-\nKorea", capitalised, keeps its hyphen).
    text = "\n\n".join(pages)
    text = re.sub(r"(?<=[a-zäöüß])-[ \t]*\n[ \t]*(?=[a-zäöüß])", "", text)
    return re.sub(r"(?<=\S)[ \t]*\n(?=[ \t]*\S)", " ", text)


def fetch_url(url: str, *, timeout: float = URL_TIMEOUT_S, max_bytes: int = MAX_URL_BYTES) -> str:
    """Download a web page and extract its article text.

    Only http and https are allowed. The download stops at ``max_bytes`` and ``timeout``.

    Raises:
        InputError: bad URL, network failure, HTTP error, too large, or no article text.
    """
    url = url.strip()
    if not re.match(r"^https?://[^\s/$.?#][^\s]*$", url, re.IGNORECASE):
        raise InputError(f"not a web address: {url!r} (it must start with http:// or https://)")
    request = urllib.request.Request(
        url, headers={"User-Agent": "bilingual-reader/0.1 (+article fetch)", "Accept": "text/html"}
    )
    try:
        # `timeout` bounds each socket read; the deadline bounds the whole download, so a
        # server that trickles bytes cannot hold us for long.
        deadline = time.monotonic() + timeout
        with urllib.request.urlopen(request, timeout=timeout) as response:
            charset = response.headers.get_content_charset()
            chunks: list[bytes] = []
            size = 0
            while size <= max_bytes:
                chunk = response.read1(64 * 1024)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
                if time.monotonic() > deadline:
                    raise TimeoutError
            data = b"".join(chunks)
    except urllib.error.HTTPError as exc:
        raise InputError(
            f"could not fetch {url}: the server answered {exc.code} {exc.reason}"
        ) from exc
    except urllib.error.URLError as exc:
        raise InputError(f"could not fetch {url}: {exc.reason}") from exc
    except TimeoutError as exc:
        raise InputError(f"could not fetch {url}: no complete answer within {timeout:g} s") from exc
    except OSError as exc:
        raise InputError(f"could not fetch {url}: {exc}") from exc
    if len(data) > max_bytes:
        raise InputError(f"{url} is larger than {_size(max_bytes)}; not fetched")
    try:
        html = data.decode(charset) if charset else decode_bytes(data, url)
    except (LookupError, UnicodeDecodeError):
        html = decode_bytes(data, url)
    return html_to_text(html, url=url)
