"""``bilingual-reader ui``: the Gradio reading page, the same as ``python ui.py``."""

from __future__ import annotations

import click

from .context import CommandFailure, verbosity_options


@click.command("ui", short_help="Serve the reading page (same as python ui.py).")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; 127.0.0.1 keeps the page on this machine.",
)
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    help="Port [default: $BILINGUAL_READER_PORT or 7860].",
)
@click.option("-m", "--model", help="Registry key, Hugging Face id or model folder.")
@verbosity_options
def ui_command(host: str, port: int | None, model: str | None) -> None:
    """Serve the bilingual reading page in the browser (Ctrl-C stops it)."""
    try:
        # ui.py sits at the root of the source checkout (importable in an editable install);
        # it is the only module that imports gradio.
        import ui
    except ImportError as exc:
        if exc.name == "ui":
            raise CommandFailure(
                "the reading page (ui.py) is not importable here: it ships with the source "
                "checkout; run `python ui.py` there, or install the checkout with pip install -e ."
            ) from exc
        raise CommandFailure(
            f"the reading page needs {exc.name or 'a missing package'}: {exc}"
        ) from exc
    argv = ["--host", host]
    if port is not None:
        argv += ["--port", str(port)]
    if model:
        argv += ["--model", model]
    ui.main(argv)
