"""What ``translate`` reads: a file, ``-`` for stdin, or a URL, with one name for messages."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import InputError
from ..ingest import MAX_FILE_BYTES, check_text, decode_bytes, fetch_url, read_file

_URL = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
"""Any scheme counts as a URL, so ftp://... gets fetch_url's "http or https only" message."""


@dataclass(frozen=True)
class Source:
    """One input as the user named it: a file path, ``-`` for stdin, or an http(s) URL."""

    name: str

    @property
    def is_stdin(self) -> bool:
        """True for ``-``."""
        return self.name == "-"

    @property
    def is_url(self) -> bool:
        """True for anything with a scheme (``https://...``); only http(s) can be fetched."""
        return bool(_URL.match(self.name))

    @property
    def label(self) -> str:
        """How messages name this input."""
        return "stdin" if self.is_stdin else self.name

    def stem(self) -> str:
        """The base of the output file name: the file's stem, a slug of the URL, or ``stdin``."""
        if self.is_stdin:
            return "stdin"
        if self.is_url:
            return url_slug(self.name)
        return Path(self.name).stem or "output"

    def read(self, max_chars: int) -> str:
        """The input's text, checked to be non-empty and within ``max_chars``.

        Raises:
            InputError: missing or unreadable, a failed download, empty, or too long.
        """
        if self.is_stdin:
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise InputError(f"stdin is larger than {MAX_FILE_BYTES / 1e6:.0f} MB")
            text = decode_bytes(data, "stdin")
        elif self.is_url:
            text = fetch_url(self.name)
        else:
            text = read_file(self.name)
        if not text.strip():
            raise InputError(f"{self.label} is empty: there is no text to translate")
        try:
            return check_text(text, max_chars)
        except InputError as exc:
            raise InputError(f"{self.label}: {exc} Or raise the limit: --max-chars N.") from exc


def url_slug(url: str) -> str:
    """A file-name-safe name for a web page: host and path, e.g. ``example.org-artikel``."""
    parts = urlsplit(url)
    host = (parts.hostname or "page").removeprefix("www.")
    path = unquote(parts.path).strip("/")
    path = re.sub(r"\.(html?|php|aspx?)$", "", path, flags=re.IGNORECASE)
    slug = re.sub(r"[^\w.-]+", "-", f"{host}-{path}" if path else host)
    return slug.strip("-._").lower()[:80] or "page"
