"""The command line, in-process through click's runner and as a real subprocess.

In-process runs share one :class:`CliEnvironment`, so the tiny model loads once per module.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading
import types
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from translate.cli import CliEnvironment, cli
from translate.cli.inputs import url_slug
from translate.document import Document, Paragraph, Sentence
from translate.export import read_tsv
from translate.terminal_view import (
    display_width,
    printable,
    side_by_side,
    terminal_width,
    wrap,
)

from .conftest import FIXTURE_MODEL, SEED_ARTICLE, reference_pairs

PAIRS = reference_pairs()
MODEL = str(FIXTURE_MODEL)
GREETINGS = "Guten Morgen. Wie geht es dir?\n\nGute Nacht, schlaf gut.\n"
GREETING_PAIRS = [
    ("Guten Morgen.", "Good morning."),
    ("Wie geht es dir?", "How are you?"),
    ("Gute Nacht, schlaf gut.", "Good night, sleep well."),
]
SIX_LINES = [
    "Wie heißen Sie?",
    "Ich heiße Anna.",
    "Wo ist der Bahnhof?",
    "Die Rechnung, bitte.",
    "Was kostet das?",
    "Wie spät ist es?",
]
"""More sentences than the progress bar's threshold."""
ARTICLE_HTML = (
    "<html><head><title>Artikel</title></head><body><article><h1>Guten Morgen.</h1>"
    "<p>Wie geht es dir? Mir geht es gut, danke.</p><p>Gute Nacht, schlaf gut.</p>"
    "</article></body></html>"
)
NOT_CACHED = "bilingual-reader-tests/never-downloaded"


@pytest.fixture(scope="module")
def env() -> CliEnvironment:
    """One environment (and so one loaded model) for every in-process run in this module."""
    environment = CliEnvironment()
    translator = environment.translator(MODEL, backend=None, num_beams=None, use_cache=False)
    assert translator.backend.identity()["model"] == MODEL  # loads the model
    return environment


def run(env: CliEnvironment, *args: str | Path, input: str | bytes | None = None) -> Result:
    """Invoke the CLI in-process; stdout and stderr are kept apart."""
    return CliRunner().invoke(
        cli, [str(a) for a in args], input=input, obj=env, catch_exceptions=False
    )


def translate(env: CliEnvironment, *args: str | Path, input: str | bytes | None = None) -> Result:
    """``translate`` with the fixture model and no cache."""
    return run(env, "translate", "--model", MODEL, "--no-cache", *args, input=input)


# --- formats -----------------------------------------------------------------------------------


def test_text_format_keeps_paragraphs(env: CliEnvironment) -> None:
    result = translate(env, "-", "-f", "text", input=GREETINGS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Good morning. How are you?\n\nGood night, sleep well.\n"
    assert result.stderr == ""


def test_side_by_side_is_the_default(env: CliEnvironment) -> None:
    result = translate(env, "-", "--width", "40", input=GREETINGS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == [
        "Deutsch            │ English",
        "───────────────────┼───────────────────",
        "Guten Morgen.      │ Good morning.",
        "Wie geht es dir?   │ How are you?",
        "",
        "Gute Nacht, schlaf │ Good night, sleep",
        "gut.               │ well.",
    ]
    assert "\x1b" not in result.stdout  # no colour codes in a pipe


def test_side_by_side_follows_columns(env: CliEnvironment) -> None:
    result = CliRunner(env={"COLUMNS": "30"}).invoke(
        cli, ["translate", "--model", MODEL, "--no-cache", "-"], input="Guten Morgen.", obj=env
    )
    # 30 cells leave columns narrower than 16: English goes under German, indented.
    assert result.stdout == "Guten Morgen.\n  Good morning.\n"


def test_tsv_one_pair_per_line(env: CliEnvironment) -> None:
    # A tab inside a sentence, Windows line breaks between sentences.
    text = "Guten Morgen.\r\nDie Rechnung,\tbitte.\r\nGute Nacht, schlaf gut."
    result = translate(env, "-", "-f", "tsv", input=text)
    assert result.exit_code == 0, result.stderr
    pairs = read_tsv(result.stdout)
    assert [german for german, _ in pairs] == [
        "Guten Morgen.",
        "Die Rechnung,\tbitte.",
        "Gute Nacht, schlaf gut.",
    ]
    assert pairs[0][1] == "Good morning." and pairs[2][1] == "Good night, sleep well."
    data_lines = [line for line in result.stdout.splitlines() if not line.startswith("#")]
    assert len(data_lines) == 3
    rows = list(csv.reader(io.StringIO(result.stdout), delimiter="\t"))
    assert all(len(row) == 2 for row in rows if not row[0].startswith("#"))


def test_tmx_has_one_tu_per_sentence(env: CliEnvironment) -> None:
    result = translate(env, "-", "-f", "tmx", input=GREETINGS)
    assert result.exit_code == 0, result.stderr
    root = ET.fromstring(result.stdout.encode("utf-8"))
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    units = root.findall("./body/tu")
    assert [
        tuple(variant.findtext("seg") for variant in unit.findall("tuv")) for unit in units
    ] == GREETING_PAIRS
    assert [variant.get(lang) for variant in units[0].findall("tuv")] == ["de", "en"]
    assert root.find("header").get("srclang") == "de"  # type: ignore[union-attr]


def test_html_is_escaped(env: CliEnvironment) -> None:
    text = "Mir geht es gut, danke.\n\n<script>alert(1)</script> & Co."
    result = translate(env, "-", "-f", "html", input=text)
    assert result.exit_code == 0, result.stderr
    html = result.stdout
    assert html.startswith("<!DOCTYPE html>")
    assert "I&#x27;m fine, thank you." in html and "I'm fine" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co." in html
    assert "alert(1)</script>" not in html


def test_markdown_table_rows(env: CliEnvironment) -> None:
    result = translate(env, "-", "-f", "markdown", input=GREETINGS)
    lines = result.stdout.splitlines()
    assert lines[2:] == [
        "| Deutsch | English |",
        "| --- | --- |",
        "| Guten Morgen. | Good morning. |",
        "| Wie geht es dir? | How are you? |",
        "| | |",
        "| Gute Nacht, schlaf gut. | Good night, sleep well. |",
    ]


def test_json_of_the_seed_article(env: CliEnvironment) -> None:
    result = translate(env, SEED_ARTICLE, "-f", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    document = Document.from_dict({k: data[k] for k in ("text", "paragraphs", "signature")})
    assert document.text == SEED_ARTICLE.read_text(encoding="utf-8")
    assert len(document) == 17
    assert [s.translation for s in document] == [PAIRS[s.source] for s in document]
    assert data["signature"]["model"] == MODEL
    assert result.stderr == ""  # 17 sentences, but stderr is not a terminal: no progress bar


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.tmx", lambda text: text.count("<tu ") == 3),
        ("out.tsv", lambda text: read_tsv(text) == GREETING_PAIRS),
        ("out.txt", lambda text: text == "Good morning. How are you?\n\nGood night, sleep well.\n"),
        ("out.md", lambda text: "| Guten Morgen. | Good morning. |" in text),
        ("out.htm", lambda text: text.startswith("<!DOCTYPE html>")),
        ("out.json", lambda text: json.loads(text)["format"] == "bilingual-reader"),
        ("out.text", lambda text: text.startswith("Deutsch") and "│ Good morning." in text),
    ],
)
def test_output_file_extension_picks_the_format(
    env: CliEnvironment, tmp_path: Path, name: str, check: object
) -> None:
    result = translate(env, "-", "-o", tmp_path / name, "--width", "60", input=GREETINGS)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"stdin → {tmp_path / name} (3 sentences)\n"
    assert callable(check) and check((tmp_path / name).read_text(encoding="utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no temporary files left


def test_format_option_beats_the_extension(env: CliEnvironment, tmp_path: Path) -> None:
    result = translate(env, "-", "-f", "tsv", "-o", tmp_path / "pairs.txt", "-q", input=GREETINGS)
    assert result.exit_code == 0 and result.stderr == ""
    assert read_tsv((tmp_path / "pairs.txt").read_text(encoding="utf-8")) == GREETING_PAIRS


# --- inputs ------------------------------------------------------------------------------------


def test_stdin_without_dash_and_windows_1252(env: CliEnvironment) -> None:
    result = translate(env, "-f", "text", input="Wie heißen Sie?".encode("cp1252"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "What is your name?\n"


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """A local web server: /artikel is a German article page, anything else is 404."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path == "/artikel"
            body = ARTICLE_HTML.encode("utf-8") if found else b"not here"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_url_to_html_file(env: CliEnvironment, server: str, tmp_path: Path) -> None:
    result = translate(env, f"{server}/artikel", "-f", "html", "-o", tmp_path / "artikel.html")
    assert result.exit_code == 0, result.stderr
    html = (tmp_path / "artikel.html").read_text(encoding="utf-8")
    for german in ("Guten Morgen.", "Wie geht es dir?", "Gute Nacht, schlaf gut."):
        assert german in html and PAIRS[german].replace("'", "&#x27;") in html


def test_several_inputs_one_file_each(env: CliEnvironment, server: str, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Guten Morgen.", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Gute Nacht, schlaf gut.", encoding="utf-8")
    (tmp_path / "b.md").write_text("Wie geht es dir?", encoding="utf-8")
    out = tmp_path / "out"
    inputs = [tmp_path / "a.txt", tmp_path / "sub" / "a.txt", tmp_path / "b.md"]
    result = translate(env, *inputs, f"{server}/artikel", "-f", "tmx", "-o", out)
    assert result.exit_code == 0, result.stderr
    expected = {
        "a.tmx": "Good morning.",
        "a-2.tmx": "Good night, sleep well.",  # same stem: a suffix, nothing overwritten
        "b.tmx": "How are you?",
        "127.0.0.1-artikel.tmx": "I'm fine, thank you.",
    }
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name, english in expected.items():
        assert english in (out / name).read_text(encoding="utf-8")
    assert result.stderr.splitlines()[1] == f"{inputs[1]} → {out / 'a-2.tmx'} (1 sentence)"


def test_output_folder_never_overwrites_an_input(env: CliEnvironment, tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Guten Morgen.", encoding="utf-8")
    result = translate(env, source, "-f", "text", "-o", f"{tmp_path}/")
    assert result.exit_code == 0, result.stderr
    assert source.read_text(encoding="utf-8") == "Guten Morgen."
    assert (tmp_path / "a-2.txt").read_text(encoding="utf-8") == "Good morning.\n"


def test_one_failing_input_does_not_stop_the_others(env: CliEnvironment, tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("Guten Morgen.", encoding="utf-8")
    missing = tmp_path / "missing.txt"
    result = translate(env, missing, tmp_path / "good.txt", "-f", "json", "-o", tmp_path / "out")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: {missing}: no such file",
        f"{tmp_path / 'good.txt'} → {tmp_path / 'out' / 'good.json'} (1 sentence)",
        "Error: 1 of 2 inputs failed",
    ]
    assert json.loads((tmp_path / "out" / "good.json").read_text(encoding="utf-8"))["text"] == (
        "Guten Morgen."
    )


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://www.dw.com/de/seoul-tokio/a-69463018", "dw.com-de-seoul-tokio-a-69463018"),
        ("https://example.org/", "example.org"),
        ("https://example.org/artikel.html?id=3", "example.org-artikel"),
        ("http://EXAMPLE.org/%C3%9Cber%20uns", "example.org-über-uns"),
    ],
)
def test_url_slug(url: str, slug: str) -> None:
    assert url_slug(url) == slug


# --- errors ------------------------------------------------------------------------------------


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("make_args", "stdin", "message"),
    [
        (lambda d: [d / "nope.txt"], None, "{d}/nope.txt: no such file"),
        (
            lambda d: [_write(d, "bin.txt", b"\x00\x01\x02\xff" * 8)],
            None,
            "bin.txt is not readable text",
        ),
        (lambda d: [_write(d, "empty.txt", b" \n\n ")], None, "empty.txt contains no text"),
        (lambda d: ["-"], "  \n", "stdin is empty: there is no text to translate"),
        (
            lambda d: ["-", "--max-chars", "10"],
            "Guten Morgen. Wie geht es dir?",
            "stdin: the text has 30 characters; the limit is 10.",
        ),
        (lambda d: [_write(d, "a.xyz", b"Hallo")], None, "a.xyz: unsupported file type .xyz"),
        (lambda d: ["-", "--model", "nonsense"], "Hallo.", "unknown model 'nonsense'"),
        (
            lambda d: ["-", "--model", NOT_CACHED],
            "Hallo.",
            f"model '{NOT_CACHED}' is not in the local Hugging Face cache and cannot be "
            "downloaded: offline mode (HF_HUB_OFFLINE is set)",
        ),
        (lambda d: ["-", "--model", d / "no-model"], "Hallo.", "model folder {d}/no-model does"),
        (lambda d: ["http://127.0.0.1:9/artikel"], None, "could not fetch http://127.0.0.1:9/"),
        (lambda d: ["ftp://example.org/a.txt"], None, "not a web address: 'ftp://example.org/a"),
    ],
)
def test_failures_are_one_line_and_exit_1(
    env: CliEnvironment, tmp_path: Path, make_args: object, stdin: str | None, message: str
) -> None:
    assert callable(make_args)
    result = run(env, "translate", "--no-cache", *make_args(tmp_path), input=stdin)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert message.format(d=tmp_path) in lines[0]


def test_url_http_error(env: CliEnvironment, server: str) -> None:
    result = translate(env, f"{server}/gone")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: could not fetch {server}/gone: the server answered 404 Not Found\n"
    )


def test_verbose_shows_the_traceback(env: CliEnvironment, tmp_path: Path) -> None:
    result = translate(env, tmp_path / "nope.txt", "-v")
    assert result.exit_code == 1
    assert result.stderr.startswith("Traceback (most recent call last):")
    assert "FileNotFoundError" in result.stderr
    assert result.stderr.endswith(f"Error: {tmp_path}/nope.txt: no such file\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["a.txt", "b.txt"], "several inputs need -o DIR"),
        (["-", "-"], "stdin (-) can only be read once"),
        (["a.txt", "--beams", "0"], "Invalid value for '-b' / '--beams'"),
        (["a.txt", "-f", "docx"], "Invalid value for '-f' / '--format'"),
        (["a.txt", "--backend", "onnx"], "Invalid value for '--backend'"),
        (["a.txt", "-v", "-q"], "-v and -q cannot be used together"),
        (["a.txt", "--width", "5"], "Invalid value for '-w' / '--width'"),
        (["--frobnicate"], "No such option '--frobnicate'"),
    ],
)
def test_usage_errors_exit_2(env: CliEnvironment, args: list[str], message: str) -> None:
    result = run(env, "translate", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith("Usage: ")
    assert message in result.stderr.splitlines()[-1]


def test_output_that_is_an_input_is_a_usage_error(env: CliEnvironment, tmp_path: Path) -> None:
    source = _write(tmp_path, "a.txt", b"Guten Morgen.")
    result = translate(env, source, "-f", "text", "-o", source)
    assert result.exit_code == 2
    assert "is an input; it would be overwritten" in result.stderr
    assert source.read_text(encoding="utf-8") == "Guten Morgen."


def test_several_inputs_into_a_file_is_a_usage_error(env: CliEnvironment, tmp_path: Path) -> None:
    target = _write(tmp_path, "out.tmx", b"old")
    result = translate(env, "a.txt", "b.txt", "-o", target)
    assert result.exit_code == 2
    assert "with several inputs -o must be a folder" in result.stderr


def test_failed_run_leaves_the_old_output(env: CliEnvironment, tmp_path: Path) -> None:
    target = _write(tmp_path, "out.tsv", b"old")
    result = run(env, "translate", "-", "--model", NOT_CACHED, "-o", target, input="Hallo.")
    assert result.exit_code == 1
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.tsv"]


def test_interrupt_writes_nothing(
    env: CliEnvironment, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    translator = env.translator(MODEL, backend=None, num_beams=None, use_cache=False)
    real = translator.translate_iter

    def interrupted(text: str, **kwargs: object) -> Iterator[object]:
        yield next(iter(real(text)))
        raise KeyboardInterrupt

    monkeypatch.setattr(translator, "translate_iter", interrupted)
    result = translate(env, SEED_ARTICLE, "-o", tmp_path / "out.tmx")
    assert result.exit_code == 130
    assert result.stderr == "Error: interrupted; files not yet written were not created\n"
    assert list(tmp_path.iterdir()) == []


# --- cache, models, download, ui ----------------------------------------------------------------


def test_cache_info_and_clear(env: CliEnvironment, tmp_path: Path) -> None:
    cache_dir = Path(os.environ["TRANSLATE_CACHE_DIR"])
    assert run(env, "cache", "info").stdout.splitlines()[1] == "entries: 0"
    result = run(env, "translate", "--model", MODEL, "-f", "text", "-", input=GREETINGS)
    assert result.stdout == "Good morning. How are you?\n\nGood night, sleep well.\n"
    info = run(env, "cache", "info").stdout.splitlines()
    assert info[:2] == [f"cache: {cache_dir / 'translations.sqlite3'}", "entries: 3"]
    cleared = run(env, "cache", "clear")
    assert (
        cleared.stdout == f"removed 3 cached translations from {cache_dir}/translations.sqlite3\n"
    )
    assert run(env, "cache", "info").stdout.splitlines()[1] == "entries: 0"


def test_no_cache_creates_no_cache(env: CliEnvironment) -> None:
    translate(env, "-", input="Guten Morgen.")
    assert not (Path(os.environ["TRANSLATE_CACHE_DIR"]) / "translations.sqlite3").exists()


@pytest.fixture
def hub_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A Hugging Face cache holding one complete (empty-file) Marian model, acme/cached."""
    from huggingface_hub import constants

    cache = tmp_path / "hub"
    repo = cache / "models--acme--cached"
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text("0" * 40)
    snapshot = repo / "snapshots" / ("0" * 40)
    snapshot.mkdir(parents=True)
    for name in ("config.json", "vocab.json", "source.spm", "target.spm", "model.safetensors"):
        (snapshot / name).write_text("{}")
    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    return snapshot


def test_models_lists_availability(
    env: CliEnvironment, tmp_path: Path, hub_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = tmp_path / "models.yaml"
    registry.write_text(
        f"""default: tiny
models:
  tiny: {{model: {MODEL}, source: de, target: en, backend: torch, description: trained fixture}}
  gone: {{model: ./no-such-folder, source: de, target: en, backend: torch}}
  cached: {{model: acme/cached, source: de, target: en, backend: torch}}
  remote: {{model: acme/remote, source: de, target: en, backend: ct2}}
""",
        encoding="utf-8",
    )
    monkeypatch.setenv("TRANSLATE_MODELS_FILE", str(registry))
    result = run(env, "models")
    assert result.exit_code == 0, result.stderr
    rows = [line.split() for line in result.stdout.splitlines()]
    assert rows[0] == ["KEY", "MODEL", "BACKEND", "AVAILABLE", "DESCRIPTION"]
    assert rows[1:5] == [
        ["*", "tiny", MODEL, "torch", "folder", "trained", "fixture"],
        ["gone", str(tmp_path / "no-such-folder"), "torch", "missing", "folder"],
        ["cached", "acme/cached", "torch", "cached"],
        ["remote", "acme/remote", "ct2", "not", "cached"],
    ]
    assert result.stdout.endswith(f"* default model; registry: {registry}\n")


@pytest.mark.parametrize(
    ("model", "exit_code", "output"),
    [
        (
            "de-en",
            1,
            "Error: cannot download 'Helsinki-NLP/opus-mt-de-en': offline mode "
            "(HF_HUB_OFFLINE is set) and it is not in the Hugging Face cache. Unset "
            "HF_HUB_OFFLINE on a connected machine and run this again.\n",
        ),
        ("acme/cached", 0, "acme/cached is ready in {snapshot}; it now works offline"),
        (MODEL, 0, f"{MODEL} is a local model folder: nothing to download\n"),
        ("./no-such-folder", 1, "Error: model folder "),
        ("no-such-key", 1, "Error: unknown model 'no-such-key'"),
    ],
)
def test_download_offline(
    env: CliEnvironment, hub_cache: Path, model: str, exit_code: int, output: str
) -> None:
    result = run(env, "download", model)
    assert result.exit_code == exit_code
    assert (result.stdout + result.stderr).startswith(output.format(snapshot=hub_cache))
    assert len((result.stdout + result.stderr).splitlines()) == 1


def test_ui_passes_host_and_port(env: CliEnvironment, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    monkeypatch.setitem(sys.modules, "ui", types.SimpleNamespace(main=calls.append))
    result = run(env, "ui", "--port", "7999", "--model", "de-en")
    assert result.exit_code == 0, result.stderr
    assert calls == [["--host", "127.0.0.1", "--port", "7999", "--model", "de-en"]]


def test_ui_not_importable(env: CliEnvironment, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ui", None)  # makes `import ui` fail
    result = run(env, "ui")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the reading page (ui.py) is not importable here")


def test_help_lists_every_command_and_format(env: CliEnvironment) -> None:
    top = run(env, "--help").stdout
    for command in ("translate", "models", "download", "cache", "ui"):
        assert f"\n  {command} " in top
    text = run(env, "translate", "--help").stdout
    for option in ("--format", "--output", "--model", "--beams", "--backend", "--no-cache"):
        assert option in text
    for fmt in ("side", "text", "html", "markdown", "tsv", "tmx", "json"):
        assert f"\n    {fmt} " in text


# --- the terminal view -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width"),
    [("abc", 3), ("Übergröße", 9), ("日本語", 6), ("e\u0301", 1), ("", 0), ("a\u200bb", 2)],
)
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        ("Guten Morgen", 5, ["Guten", "Morge", "n"]),
        ("a b c", 3, ["a b", "c"]),
        ("日本語テキスト", 6, ["日本語", "テキス", "ト"]),
        ("Gute  Nacht,\tschlaf gut.", 12, ["Gute Nacht,", "schlaf gut."]),
        ("", 10, [""]),
    ],
)
def test_wrap(text: str, width: int, lines: list[str]) -> None:
    assert wrap(text, width) == lines


def test_side_by_side_aligns_wide_characters() -> None:
    source, english = "東京は日本の首都です。", "Tokyo is the capital of Japan."
    document = Document(
        text=source,
        paragraphs=[Paragraph(0, [Sentence(0, 0, len(source), source, english)])],
    )
    lines = side_by_side(document, 39).splitlines()
    assert lines[2:] == [
        "東京は日本の首都で │ Tokyo is the",
        "す。               │ capital of Japan.",
    ]
    assert {display_width(line.split("│")[0]) for line in lines if "│" in line} == {19}


def test_side_by_side_colour_and_control_characters() -> None:
    source = "Guten \x1b[31mMorgen."
    document = Document(
        text=source,
        paragraphs=[Paragraph(0, [Sentence(0, 0, len(source), source, "Good morning.")])],
    )
    assert "\x1b[31m" not in side_by_side(document, 60, color=True)
    assert "\x1b[1mDeutsch" in side_by_side(document, 60, color=True)
    assert "\x1b" not in side_by_side(document, 60)
    assert printable("a\tb\x1bc\x07") == "a b\ufffdc\ufffd"


def test_terminal_width_respects_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "123")
    assert terminal_width() == 123


# --- real processes ------------------------------------------------------------------------------


def _subprocess_env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "TRANSLATE_MODEL": MODEL,
        "TRANSLATE_CACHE_DIR": str(tmp_path / "cache"),
        "HF_HUB_OFFLINE": "1",
        "COLUMNS": "100",
    }


@pytest.fixture(scope="module")
def piped_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, bytes, bytes]]:
    """Two real runs at once: stderr piped, and stderr on a terminal (a pty, 100 columns)."""
    folder = tmp_path_factory.mktemp("piped")
    command = [sys.executable, "-m", "translate", "translate", "-", "-f", "tsv"]
    text = "\n".join(SIX_LINES).encode("utf-8")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    # Separate caches: neither run may find the other's translations.
    piped = subprocess.Popen(
        command,
        env=_subprocess_env(folder / "piped"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    on_terminal = subprocess.Popen(
        command,
        env=_subprocess_env(folder / "terminal"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    terminal_output = bytearray()

    def drain() -> None:
        while True:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the pty is closed once the child has exited
                return
            if not chunk:
                return
            terminal_output.extend(chunk)

    reader = threading.Thread(target=drain)
    reader.start()
    out_piped, err_piped = piped.communicate(text, timeout=120)
    out_terminal, _ = on_terminal.communicate(text, timeout=120)
    reader.join(timeout=10)
    os.close(master)
    return {
        "piped": (piped.returncode, out_piped, err_piped),
        "terminal": (on_terminal.returncode, out_terminal, bytes(terminal_output)),
    }


@pytest.mark.parametrize("stderr_kind", ["piped", "terminal"])
def test_subprocess_pipes_stdin_to_stdout(
    piped_runs: dict[str, tuple[int, bytes, bytes]], stderr_kind: str
) -> None:
    code, stdout, _ = piped_runs[stderr_kind]
    assert code == 0
    assert read_tsv(stdout.decode("utf-8")) == [(german, PAIRS[german]) for german in SIX_LINES]


def test_subprocess_no_progress_bar_when_piped(
    piped_runs: dict[str, tuple[int, bytes, bytes]],
) -> None:
    stderr = piped_runs["piped"][2].decode("utf-8")
    # No bar of ours, no "Loading weights" bar of transformers', no status line: nothing that
    # redraws a line. (A one-time library warning, such as a model conversion, may appear.)
    assert "\r" not in stderr and "%|" not in stderr and "loading model" not in stderr
    assert all(line.startswith("warning: ") for line in stderr.splitlines()), stderr


def test_subprocess_progress_bar_on_a_terminal(
    piped_runs: dict[str, tuple[int, bytes, bytes]],
) -> None:
    shown = piped_runs["terminal"][2].decode("utf-8")
    assert shown.startswith(f"loading model {MODEL} …\r\x1b[K")  # a status line, then erased
    assert "stdin:" in shown and "6/6" in shown and "sentences/s" in shown
    assert "Loading weights" not in shown
    assert shown.endswith("\r")  # the bar clears its line: nothing is left on the screen


def test_subprocess_error_is_one_line(tmp_path: Path) -> None:
    missing = tmp_path / "artikel.txt"
    result = subprocess.run(
        [sys.executable, "-m", "translate", "translate", str(missing)],
        env=_subprocess_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"Error: {missing}: no such file\n"


def test_console_script_and_version(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "bilingual-reader"
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("bilingual-reader, version ")


def test_download_without_network_is_one_line(tmp_path: Path) -> None:
    env = _subprocess_env(tmp_path)
    del env["HF_HUB_OFFLINE"]
    # A closed local port stands in for an unreachable Hub: no real network is touched.
    env.update(HF_ENDPOINT="http://127.0.0.1:9", HF_HOME=str(tmp_path / "hf"))
    result = subprocess.run(
        [sys.executable, "-m", "translate", "download", "de-en"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.startswith(
        "Error: cannot download 'Helsinki-NLP/opus-mt-de-en': the Hugging Face Hub could not "
        "be reached"
    )
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr


def test_import_translate_stays_light() -> None:
    code = "import sys, translate; print(sorted({'click', 'torch', 'tqdm'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout == "[]\n"
