"""Bilingual Reader: the local reading page (Gradio).

    python ui.py                      # http://127.0.0.1:7860
    python ui.py --port 8000          # or BILINGUAL_READER_PORT=8000
    python ui.py --host 0.0.0.0       # only if you really want other machines to reach it

Paste, upload or fetch a German article, press Translate, and read German and English side by
side; hover or click a sentence to see its partner, step with j/k or the arrow keys.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr

from translate import Document, Translator
from translate.errors import TranslateError
from translate.export import FORMATS, export, write_atomic
from translate.ingest import MAX_TEXT_CHARS, check_text, fetch_url, read_file
from translate.registry import load_registry
from translate.render import READER_CSS, READER_JS, render_reader, text_html

logger = logging.getLogger("bilingual_reader.ui")

ROOT = Path(__file__).resolve().parent
EXAMPLE = ROOT / "seeds" / "dw-pjoengjang-moskau-pakt.txt"
DEFAULT_PORT = 7860
MAX_BEAMS = 8
MAX_UPLOAD = "20mb"
LAYOUT_CHOICES = [("Side by side", "side"), ("Interlinear", "inter")]
DOWNLOAD_LABELS = {
    "html": "Bilingual HTML",
    "markdown": "Markdown",
    "tsv": "TSV (Anki)",
    "tmx": "TMX",
    "json": "JSON",
    "text": "English text",
}

APP_CSS = """
#br-reader-box { min-height: 14rem; padding: 1.2rem 1.4rem; border: 1px solid #e5e7eb;
  border-radius: 10px; background: #fff; }
.br-placeholder { color: #6b7280; font: 15px system-ui, sans-serif; }
.br-notice { color: #9a3412; background: #fff7ed; border: 1px solid #fdba74; border-radius: 6px;
  padding: .6rem .8rem; font: 14px system-ui, sans-serif; }
footer { display: none !important; }
"""
PLACEHOLDER = (
    '<p class="br-placeholder">Paste a German article above (or upload a file, fetch a web page, '
    "or load the example) and press <b>Translate</b>. The German appears on the left, the "
    "English on the right; hover a sentence to see its partner, press j/k to step.</p>"
)


class TranslatorPool:
    """One lazily loaded Translator per model name, shared by all sessions of the page."""

    def __init__(self) -> None:
        self._translators: dict[str, Translator] = {}
        self._lock = threading.Lock()

    def get(self, model: str) -> Translator:
        with self._lock:
            translator = self._translators.get(model)
            if translator is None:
                translator = self._translators[model] = Translator(model)
            return translator


def model_choices() -> tuple[list[tuple[str, str]], str]:
    """(label, value) pairs for the model menu, and the default value."""
    registry = load_registry()
    choices = [
        (f"{key} — {spec.description}" if spec.description else key, key)
        for key, spec in registry.models.items()
    ]
    chosen = os.environ.get("TRANSLATE_MODEL") or registry.default
    if chosen not in registry.models:
        choices.insert(0, (f"{chosen} (TRANSLATE_MODEL)", chosen))
    return choices, chosen


def notice(message: str) -> str:
    """An inline, escaped error notice for the reading area."""
    return f'<div class="br-notice" role="alert">{text_html(message)}</div>'


def info(message: str) -> str:
    """An inline, escaped information line for the reading area."""
    return f'<p class="br-placeholder" role="status">{text_html(message)}</p>'


def _slug(document: Document) -> str:
    first = document.sentences[0].source if len(document) else "article"
    slug = re.sub(r"[^\w]+", "-", first.lower(), flags=re.UNICODE).strip("-")[:40]
    return slug or "article"


DOWNLOADS_KEPT_S = 3600
"""Export files older than this are deleted (Gradio serves its own copies)."""


def write_downloads(document: Document) -> dict[str, str]:
    """Write every export format into a fresh temporary folder; format -> file path.

    Folders of earlier translations older than :data:`DOWNLOADS_KEPT_S` are removed first, so a
    long-running reader does not fill the temporary directory.
    """
    base = Path(tempfile.gettempdir()) / "bilingual-reader-downloads"
    base.mkdir(exist_ok=True)
    now = time.time()
    for old in base.iterdir():
        with contextlib.suppress(OSError):
            if now - old.stat().st_mtime > DOWNLOADS_KEPT_S:
                shutil.rmtree(old, ignore_errors=True)
    folder = Path(tempfile.mkdtemp(dir=base))
    slug = _slug(document)
    return {
        fmt: str(write_atomic(folder / f"{slug}{extension}", export(document, fmt)))
        for fmt, (extension, _writer) in FORMATS.items()
    }


def build_ui(pool: TranslatorPool | None = None, *, max_chars: int = MAX_TEXT_CHARS) -> gr.Blocks:
    """The reader page. Launch it with :func:`launch` (which adds the page CSS)."""
    pool = pool or TranslatorPool()
    choices, default_model = model_choices()

    def loaded(text: str, where: str) -> tuple[str, str]:
        return text, info(f"Loaded {len(text):,} characters from {where}. Press Translate.")

    def load_example() -> tuple[str, str]:
        return loaded(EXAMPLE.read_text(encoding="utf-8"), "the example article")

    # Errors go into the reading area, where the reader looks, rather than into toasts that
    # cover the buttons; the text box keeps what the user had.
    def load_file(path: str | None) -> tuple[Any, str]:
        if not path:
            return gr.update(), notice("No file received.")
        try:
            return loaded(check_text(read_file(path), max_chars), Path(path).name)
        except TranslateError as exc:
            return gr.update(), notice(str(exc))

    def load_url(url: str) -> tuple[Any, str]:
        try:
            return loaded(check_text(fetch_url(url), max_chars), url.strip())
        except TranslateError as exc:
            return gr.update(), notice(str(exc))

    def render(
        document: Document | None, layout: str, blur: bool, numbers: bool, status: str = ""
    ) -> str:
        if document is None:
            return PLACEHOLDER
        return render_reader(document, layout, blur=blur, numbers=numbers, status=status)  # type: ignore[arg-type]

    def hidden_downloads() -> list[Any]:
        return [gr.DownloadButton(visible=False) for _ in DOWNLOAD_LABELS]

    def run(
        text: str,
        model: str,
        beams: float,
        layout: str,
        blur: bool,
        numbers: bool,
        progress: gr.Progress = gr.Progress(),  # noqa: B008 - Gradio's injection idiom
    ) -> Iterator[list[Any]]:
        try:
            check_text(text or "", max_chars)
            translator = pool.get(model)
        except TranslateError as exc:
            yield [notice(str(exc)), None, *hidden_downloads()]
            return
        started = time.monotonic()
        if not translator.is_loaded:
            yield [
                info(
                    f"Loading model {model}… (its first use downloads it and, for the fast "
                    "CTranslate2 engine, converts it once: up to a few minutes)"
                ),
                None,
                *hidden_downloads(),
            ]
        document: Document | None = None
        try:
            for step in translator.translate_iter(text, num_beams=int(beams)):
                document = step.document
                progress((step.done, step.total), desc="Translating", unit="sentences")
                status = f"Translating… {step.done} of {step.total} sentences"
                yield [
                    render(document, layout, blur, numbers, status),
                    document,
                    *hidden_downloads(),
                ]
        except TranslateError as exc:
            yield [notice(str(exc)), None, *hidden_downloads()]
            return
        assert document is not None
        files = write_downloads(document)
        seconds = time.monotonic() - started
        sig = document.signature
        status = (
            f"{len(document)} sentences in {len(document.paragraphs)} paragraphs · "
            f"{sig.get('model', model)} · beam {sig.get('num_beams')} · {seconds:.1f} s"
        )
        yield [
            render(document, layout, blur, numbers, status),
            document,
            *[
                gr.DownloadButton(label=label, value=files[fmt], visible=True)
                for fmt, label in DOWNLOAD_LABELS.items()
            ],
        ]

    def api_translate(text: str, model: str = "", num_beams: int = 0) -> dict[str, Any]:
        """Translate German text; returns sentence pairs with spans, paragraphs and settings.

        ``num_beams`` 0 means the model's default; otherwise 1 to 8, as in the page.
        """
        if not isinstance(num_beams, int) or not 0 <= num_beams <= MAX_BEAMS:
            raise gr.Error(f"num_beams must be 0 (the model's default) or 1 to {MAX_BEAMS}")
        try:
            check_text(text, max_chars)
            document = pool.get(model or default_model).translate_document(
                text, num_beams=num_beams or None
            )
        except TranslateError as exc:
            raise gr.Error(str(exc)) from exc
        return {
            "pairs": [
                {
                    "index": s.index,
                    "paragraph": p.index,
                    "source": s.source,
                    "translation": s.translation,
                    "start": s.start,
                    "end": s.end,
                }
                for p in document.paragraphs
                for s in p.sentences
            ],
            "text": document.translated_text(),
            "signature": document.signature,
        }

    with gr.Blocks(title="Bilingual Reader") as demo:
        gr.Markdown("## Bilingual Reader · Deutsch → English")
        with gr.Tabs():
            with gr.Tab("Paste"):
                source = gr.Textbox(
                    label="German text",
                    lines=8,
                    max_lines=10,
                    elem_id="br-source",
                    placeholder="Artikel hier einfügen …",
                )
            with gr.Tab("Upload"):
                upload = gr.File(
                    label=".txt .md .html .docx .epub .pdf",
                    type="filepath",
                    file_types=[".txt", ".md", ".html", ".htm", ".docx", ".epub", ".pdf"],
                    elem_id="br-upload",
                )
            with gr.Tab("Web address"), gr.Row():
                url = gr.Textbox(label="Article URL (http/https)", scale=4, elem_id="br-url")
                fetch = gr.Button("Fetch article", scale=1)
        with gr.Row(equal_height=True):
            model = gr.Dropdown(
                choices=choices,
                value=default_model,
                label="Model",
                scale=3,
                allow_custom_value=True,
                elem_id="br-model",
            )
            beams = gr.Slider(
                1,
                MAX_BEAMS,
                value=4,
                step=1,
                label="Beam size (quality ↔ speed)",
                scale=2,
                elem_id="br-beams",
            )
            example = gr.Button("Load example article", scale=1, elem_id="br-example")
            go = gr.Button("Translate", variant="primary", scale=1, elem_id="br-translate")
        with gr.Row():
            layout = gr.Radio(LAYOUT_CHOICES, value="side", label="Layout", elem_id="br-layout")
            blur = gr.Checkbox(label="Hide English until hover", value=False, elem_id="br-blur")
            numbers = gr.Checkbox(label="Sentence numbers", value=False, elem_id="br-numbers")
        reader = gr.HTML(
            PLACEHOLDER, elem_id="br-reader-box", js_on_load=READER_JS + "\nbrInstall(element);"
        )
        with gr.Row():
            downloads = [
                gr.DownloadButton(label, visible=False, size="sm", elem_id=f"br-dl-{fmt}")
                for fmt, label in DOWNLOAD_LABELS.items()
            ]
        document_state = gr.State(None)

        example.click(load_example, None, [source, reader], api_visibility="private")
        upload.upload(load_file, upload, [source, reader], api_visibility="private")
        fetch.click(load_url, url, [source, reader], api_visibility="private")
        url.submit(load_url, url, [source, reader], api_visibility="private")
        go.click(
            run,
            [source, model, beams, layout, blur, numbers],
            [reader, document_state, *downloads],
            api_visibility="private",
            concurrency_limit=2,
        )
        for control in (layout, blur, numbers):
            control.change(
                render,
                [document_state, layout, blur, numbers],
                reader,
                api_visibility="private",
                queue=False,
            )
        gr.api(api_translate, api_name="translate")
    return demo


def launch(
    demo: gr.Blocks, host: str = "127.0.0.1", port: int = DEFAULT_PORT, **kwargs: Any
) -> tuple[Any, str, str]:
    """Start the server (queue, limits and page CSS included)."""
    demo.queue(default_concurrency_limit=2, max_size=32)
    return demo.launch(
        server_name=host,
        server_port=port,
        css=READER_CSS + APP_CSS,
        max_file_size=MAX_UPLOAD,
        footer_links=[],
        **kwargs,
    )


def port_number(value: str) -> int:
    """argparse type: a TCP port (a bad value becomes a usage error, not a traceback)."""
    try:
        port = int(value)
    except ValueError:
        port = -1
    if not 0 < port < 65536:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r} (1-65535)")
    return port


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Bilingual Reader: the local reading page.")
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)"
    )
    parser.add_argument(
        "--port",
        type=port_number,
        default=os.environ.get("BILINGUAL_READER_PORT", str(DEFAULT_PORT)),
        help="port (default $BILINGUAL_READER_PORT or 7860)",
    )
    parser.add_argument("--model", help="model key, HF id or folder (default $TRANSLATE_MODEL)")
    args = parser.parse_args(argv)
    if args.model:
        os.environ["TRANSLATE_MODEL"] = args.model
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    launch(build_ui(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
