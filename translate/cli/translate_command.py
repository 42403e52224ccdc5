"""``bilingual-reader translate``: files, stdin and URLs to the terminal, stdout or files."""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..document import Document
from ..errors import ExportError, InputError
from ..export import FORMATS, export, write_atomic
from ..ingest import MAX_TEXT_CHARS
from ..registry import BACKENDS
from .context import CliEnvironment, CommandFailure, show_error, verbosity, verbosity_options
from .inputs import Source

if TYPE_CHECKING:
    from ..translator import Translator

SIDE = "side"
FORMAT_NAMES = (SIDE, *FORMATS)
"""Every -f choice: the terminal view plus the export writers the reader UI uses."""
EXTENSIONS = {SIDE: ".txt", **{name: extension for name, (extension, _) in FORMATS.items()}}
# -o names a file: its extension picks the format unless -f is given (.txt means English only).
FORMAT_OF_EXTENSION = {extension: name for name, (extension, _) in FORMATS.items()} | {
    ".htm": "html",
    ".markdown": "markdown",
}
PROGRESS_MIN_SENTENCES = 5
"""Shorter inputs finish before a progress bar would tell anything."""


def plan_outputs(sources: list[Source], output: str | None, fmt: str) -> list[Path | None]:
    """Where each input's result goes: ``None`` for stdout, else a file.

    With several inputs, or when ``output`` is a folder (existing, or written with a trailing
    slash), each input gets ``<stem><extension>`` in it; a name that is already taken in this
    run, or that is one of the inputs, gets ``-2``, ``-3``, ... so nothing is overwritten.

    Raises:
        click.UsageError: several inputs without a folder, or ``output`` would overwrite an input.
    """
    if output in (None, "-"):
        if len(sources) > 1:
            raise click.UsageError(
                "several inputs need -o DIR (one output file per input); "
                "only one input can go to stdout"
            )
        return [None]
    assert output is not None
    inputs = {Path(s.name).resolve() for s in sources if not (s.is_stdin or s.is_url)}
    target = Path(output)
    folder_mode = len(sources) > 1 or output.endswith(("/", os.sep)) or target.is_dir()
    if not folder_mode:
        if target.resolve() in inputs:
            raise click.BadParameter(
                f"{output} is an input; it would be overwritten", param_hint="-o"
            )
        return [target]
    if target.exists() and not target.is_dir():
        raise click.BadParameter(
            f"{output} is a file; with several inputs -o must be a folder", param_hint="-o"
        )
    taken = set(inputs)
    planned: list[Path | None] = []
    for source in sources:
        stem, extension = source.stem(), EXTENSIONS[fmt]
        candidate, number = target / f"{stem}{extension}", 1
        while candidate.resolve() in taken:
            number += 1
            candidate = target / f"{stem}-{number}{extension}"
        taken.add(candidate.resolve())
        planned.append(candidate)
    return planned


def choose_format(fmt: str | None, output: str | None) -> str:
    """``-f`` if given, else the format of ``-o``'s extension, else the side-by-side view."""
    if fmt:
        return fmt
    if output and output != "-" and not output.endswith(("/", os.sep)):
        return FORMAT_OF_EXTENSION.get(Path(output).suffix.lower(), SIDE)
    return SIDE


def _translate(translator: Translator, text: str, label: str, show_progress: bool) -> Document:
    """Translate ``text`` with a progress bar on stderr for more than a few sentences."""
    bar = None
    document = None
    try:
        for step in translator.translate_iter(text):
            document = step.document
            if bar is None and show_progress and step.total >= PROGRESS_MIN_SENTENCES:
                from tqdm import tqdm

                bar = tqdm(
                    total=step.total,
                    desc=label if len(label) <= 30 else "…" + label[-29:],
                    unit=" sentences",
                    file=sys.stderr,
                    leave=False,
                    dynamic_ncols=True,
                    mininterval=0,  # one update per batch: few enough to draw every one
                )
            if bar is not None:
                bar.update(step.done - bar.n)
    finally:
        if bar is not None:
            bar.close()
    assert document is not None  # translate_iter always yields at least once
    return document


def _load_model(translator: Translator, show_status: bool) -> None:
    """Load the model now, saying so on a terminal (a large model takes a few seconds)."""
    if show_status:
        click.echo(f"loading model {translator.spec.name} …", err=True, nl=False)
    try:
        translator.backend  # noqa: B018 -- the property loads the model
    finally:
        if show_status:
            click.echo("\r\x1b[K", err=True, nl=False)  # erase the status line


def _render(document: Document, fmt: str, width: int | None, color: bool) -> str:
    if fmt == SIDE:
        from ..terminal_view import side_by_side, terminal_width

        return side_by_side(document, width or terminal_width(), color=color)
    return export(document, fmt)


def _silence_library_progress() -> None:
    # transformers draws its own "Loading weights" bar on stderr, terminal or not; the CLI
    # shows one bar of its own instead. Must run before transformers is first imported.
    from huggingface_hub.utils import disable_progress_bars

    disable_progress_bars()


@click.command("translate", short_help="Translate files, stdin or web pages.")
@click.argument("inputs", nargs=-1, metavar="[INPUT]...")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(FORMAT_NAMES),
    help="Output format (see above) [default: from -o's extension, else side].",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE|DIR",
    help="Write here instead of stdout. With several inputs, or a folder (existing or ending "
    "in /): one file per input, named <input stem><format extension>; an existing file of that "
    "name is replaced, two inputs with one stem get -2, -3, ...",
)
@click.option(
    "-m",
    "--model",
    help="Registry key, Hugging Face id or model folder [default: $TRANSLATE_MODEL, else the "
    "registry default].",
)
@click.option(
    "-b",
    "--beams",
    type=click.IntRange(min=1),
    help="Beam size (1 = greedy, fastest) [default: the model's, 4 for opus-mt].",
)
@click.option(
    "--backend",
    type=click.Choice(BACKENDS),
    help=(
        "Inference engine; auto = ct2 when CTranslate2 is installed, else torch "
        "[default: the model's entry in models.yaml]."
    ),
)
@click.option("--no-cache", is_flag=True, help="Neither read nor store cached translations.")
@click.option(
    "--max-chars",
    type=click.IntRange(min=1),
    default=MAX_TEXT_CHARS,
    show_default=True,
    help="Refuse inputs longer than this many characters.",
)
@click.option(
    "-w",
    "--width",
    type=click.IntRange(min=20),
    help="Line width of the side view [default: $COLUMNS or the terminal's].",
)
@verbosity_options
@click.pass_obj
def translate_command(
    env: CliEnvironment,
    inputs: tuple[str, ...],
    fmt: str | None,
    output: str | None,
    model: str | None,
    beams: int | None,
    backend: str | None,
    no_cache: bool,
    max_chars: int,
    width: int | None,
) -> None:
    """Translate German files, stdin (-) or web pages (http/https URLs) into English.

    INPUT is a .txt, .md, .html, .docx, .epub or .pdf file, - for stdin, or a URL. With no
    INPUT, text is read from stdin when it is piped. Results go to stdout, or to -o. A progress
    bar appears on stderr for longer texts when stderr is a terminal (not with -q).

    \b
    Formats (-f):
      side      German and English in two columns, wrapped to the terminal
      text      the English translation only, paragraphs kept
      html      a standalone bilingual HTML page
      markdown  a Deutsch | English Markdown table
      tsv       German<TAB>English, one pair per line (Anki-ready)
      tmx       a TMX 1.4 translation memory, one <tu> per sentence
      json      the whole document: sentences, spans, model signature

    \b
    Examples:
      bilingual-reader translate article.txt | less
      bilingual-reader translate - -f tsv < article.txt > pairs.tsv
      bilingual-reader translate https://example.org/artikel -o artikel.html
      bilingual-reader translate a.txt b.html c.docx -f tmx -o out/

    Exits with 0 on success, 1 when any input failed (the others are still written), 2 on a
    usage error. Files are written atomically: an interrupted run leaves no partial file.
    """
    if not inputs:
        if sys.stdin.isatty():
            raise click.UsageError("give a file, a URL, or - to read stdin")
        inputs = ("-",)
    if inputs.count("-") > 1:
        raise click.UsageError("stdin (-) can only be read once")
    sources = [Source(name) for name in inputs]
    fmt = choose_format(fmt, output)
    targets = plan_outputs(sources, output, fmt)
    quiet = verbosity() < 0
    show_progress = not quiet and sys.stderr.isatty()
    color = (
        fmt == SIDE and targets == [None] and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    )
    _silence_library_progress()
    translator = env.translator(model, backend=backend, num_beams=beams, use_cache=not no_cache)
    failed, loaded = 0, False
    for source, target in zip(sources, targets, strict=True):
        try:
            text = source.read(max_chars)
            if not loaded:
                _load_model(translator, show_progress)
                loaded = True
            document = _translate(translator, text, source.label, show_progress)
            content = _render(document, fmt, width, color)
            if target is None:
                stdout = sys.stdout.buffer
                stdout.write(content.encode("utf-8"))
                stdout.flush()
            else:
                write_atomic(target, content)
                if not quiet:
                    count = f"{len(document)} sentence{'' if len(document) == 1 else 's'}"
                    click.echo(f"{source.label} → {target} ({count})", err=True)
        except (InputError, ExportError, OSError) as exc:
            # One input's trouble must not cost the others; a model error (any other
            # TranslateError) would fail them all, so it ends the run instead.
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:  # click handles it
                raise
            failed += 1
            click.echo(f"Error: {show_error(exc)}", err=True)
    if failed and len(sources) > 1:
        raise CommandFailure(f"{failed} of {len(sources)} inputs failed")
    if failed:
        raise click.exceptions.Exit(1)
