"""Files and URLs to text: every supported type, limits, and clear errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from translate.errors import InputError
from translate.ingest import check_text, decode_bytes, fetch_url, read_file

ARTICLE_HTML = (
    "<html><head><title>Seite</title></head><body><nav><a href='/'>Startseite</a> "
    "<a href='/x'>Impressum</a></nav><article><h1>Wetter am Wochenende</h1>"
    "<p>Guten Morgen. Es wird am Samstag sonnig und warm, sagen die Meteorologen "
    "des Deutschen Wetterdienstes.</p><p>Am Sonntag zieht Regen auf, und die Temperaturen "
    "sinken deutlich auf unter zehn Grad.</p></article>"
    "<footer>© 2024 Zeitung</footer></body></html>"
)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ("Grüße aus Köln.".encode(), "Grüße aus Köln."),
        ("\ufeffGrüße aus Köln.".encode(), "Grüße aus Köln."),
        (
            "Die Straße in München ist schön, äußerst ruhig und grün.".encode("cp1252"),
            "Die Straße in München ist schön, äußerst ruhig und grün.",
        ),
    ],
)
def test_decode_bytes(data: bytes, text: str) -> None:
    assert decode_bytes(data) == text


def test_control_characters() -> None:
    assert decode_bytes(b"Hallo Welt.\x1a\x1a") == "Hallo Welt."
    with pytest.raises(InputError, match=r"control character U\+0007 at character 5"):
        decode_bytes(b"Hallo\x07 Welt.", "a.txt")


def test_binary_is_not_text() -> None:
    with pytest.raises(InputError, match="is not readable text"):
        decode_bytes(bytes(range(256)) * 4, "blob.txt")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the text is empty"),
        (" \n\t", "the text is empty"),
        ("x" * 11, "has 11 characters; the limit is 10"),
    ],
)
def test_check_text_limits(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        check_text(text, max_chars=10)
    assert check_text("x" * 10, max_chars=10) == "x" * 10


def test_txt_and_md(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Titel\n\nErster Satz.", encoding="utf-8")
    (tmp_path / "b.md").write_bytes("Käse & Brot".encode("cp1252"))
    assert read_file(tmp_path / "a.txt") == "Titel\n\nErster Satz."
    assert read_file(tmp_path / "b.md") == "Käse & Brot"


def test_html_article_extraction(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text(ARTICLE_HTML, encoding="utf-8")
    text = read_file(tmp_path / "a.html")
    assert text.startswith("Wetter am Wochenende\n\nGuten Morgen. Es wird am Samstag sonnig")
    assert "Am Sonntag zieht Regen auf" in text
    assert "Impressum" not in text and "© 2024" not in text


def test_docx(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("Wetter am Wochenende", level=1)
    document.add_paragraph("Guten Morgen. Wie geht es dir?")
    document.add_paragraph("")
    document.add_paragraph("Am Sonntag regnet es.")
    document.save(str(tmp_path / "a.docx"))
    assert read_file(tmp_path / "a.docx") == (
        "Wetter am Wochenende\n\nGuten Morgen. Wie geht es dir?\n\nAm Sonntag regnet es."
    )


def test_epub(tmp_path: Path) -> None:
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("id-1")
    book.set_title("Buch")
    book.set_language("de")
    chapter = epub.EpubHtml(title="Eins", file_name="eins.xhtml", lang="de")
    chapter.content = (
        "<h1>Kapitel eins</h1><p>Guten Morgen.</p><blockquote><p>Wie geht es dir?</p></blockquote>"
    )
    book.add_item(chapter)
    book.toc = [chapter]
    book.spine = ["nav", chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    epub.write_epub(str(tmp_path / "a.epub"), book)
    text = read_file(tmp_path / "a.epub")
    assert text == "Kapitel eins\n\nGuten Morgen.\n\nWie geht es dir?"


def _minimal_pdf(lines: list[str]) -> bytes:
    stream = (
        "BT /F1 12 Tf 72 720 Td 14 TL "
        + " ".join("(" + line.replace("(", r"\(").replace(")", r"\)") + ") '" for line in lines)
        + " ET"
    )
    content = stream.encode("cp1252")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def test_pdf_joins_wrapped_lines(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(
        _minimal_pdf(
            ["Südkorea und Japan verurteilten am Montag", "das Ab-", "kommen mit Nord-", "Korea."]
        )
    )
    assert read_file(tmp_path / "a.pdf") == (
        "Südkorea und Japan verurteilten am Montag das Abkommen mit Nord- Korea."
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.odt", b"x", r"unsupported file type \.odt"),
        ("noext", b"x", r"unsupported file type \(none\)"),
        ("a.docx", b"not a zip", r"a\.docx could not be read as DOCX"),
        ("a.pdf", b"%PDF-garbage", r"a\.pdf could not be read as PDF"),
        ("a.txt", b"   \n ", r"a\.txt contains no text"),
        ("a.html", b"<html><body></body></html>", r"no article text found"),
    ],
)
def test_unreadable_files(tmp_path: Path, name: str, content: bytes, message: str) -> None:
    (tmp_path / name).write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_file(tmp_path / name)


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_file(tmp_path / "nope.txt")
    (tmp_path / "big.txt").write_bytes(b"a" * 2_000_001)
    with pytest.raises(InputError, match=r"big\.txt is 2\.0 MB; the limit is 1\.0 MB"):
        read_file(tmp_path / "big.txt", max_bytes=1_000_000)


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/artikel":
            body = ARTICLE_HTML.encode()
        elif self.path == "/gross":
            body = b"<html><body><p>" + b"x" * 3000 + b"</p></body></html>"
        elif self.path == "/tropfen":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            for _ in range(40):  # each read is quick; the whole page takes 4 s
                self.wfile.write(b"<p>x</p>" * 2)
                self.wfile.flush()
                time.sleep(0.1)
            return
        elif self.path == "/langsam":
            time.sleep(1.5)
            body = ARTICLE_HTML.encode()
        elif self.path == "/leer":
            body = b"<html><body><script>var menu = 1;</script></body></html>"
        else:
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_fetch_article(site: str) -> None:
    text = fetch_url(site + "/artikel")
    assert text.startswith("Wetter am Wochenende\n\nGuten Morgen.")


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/fehlt", {}, r"could not fetch .*/fehlt: the server answered 404"),
        ("/gross", {"max_bytes": 1000}, r"/gross is larger than 1\.0 kB; not fetched"),
        (
            "/langsam",
            {"timeout": 0.3},
            r"could not fetch .*/langsam: no complete answer within 0\.3 s",
        ),
        (
            "/tropfen",
            {"timeout": 1.0},
            r"could not fetch .*/tropfen: no complete answer within 1 s",
        ),
        ("/leer", {}, r"no article text found in http://127\.0\.0\.1:\d+/leer"),
    ],
)
def test_fetch_failures(site: str, path: str, kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(InputError, match=message):
        fetch_url(site + path, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "example.org", ""])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(InputError, match="not a web address"):
        fetch_url(url)
