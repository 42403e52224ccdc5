"""What every command shares: -v/-q, logging to stderr, one-line errors, the translator pool.

Exit codes: 0 success, 1 failure (one ``Error: ...`` line on stderr), 2 usage error (click's
own), 130 interrupted. A traceback is shown only with ``-v``.
"""

from __future__ import annotations

import functools
import logging
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

if TYPE_CHECKING:
    from ..translator import Translator

EXIT_FAILURE = 1
EXIT_INTERRUPTED = 130
_VERBOSITY = "bilingual_reader.verbosity"
"""Key in ``click.Context.meta`` (shared by a command and its group) for the -v/-q level."""

F = TypeVar("F", bound=Callable[..., Any])


class CommandFailure(click.ClickException):
    """A failure to report as one ``Error: <message>`` line with exit status 1."""

    exit_code = EXIT_FAILURE

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class Interrupted(CommandFailure):
    """Ctrl-C: exit status 130, as shells expect after SIGINT."""

    exit_code = EXIT_INTERRUPTED


def one_line(message: str) -> str:
    """``message`` with its line breaks folded into spaces (library errors can be multi-line)."""
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def describe(exc: BaseException) -> str:
    """A user-facing sentence for ``exc``: our own errors as written, others with their type."""
    from ..errors import TranslateError

    if isinstance(exc, TranslateError):
        return one_line(str(exc))
    if isinstance(exc, OSError) and exc.strerror:
        where = f"{exc.filename}: " if exc.filename else ""
        return f"{where}{exc.strerror}"
    return one_line(f"{type(exc).__name__}: {exc} (run with -v for the traceback)")


def verbosity(ctx: click.Context | None = None) -> int:
    """-1 with -q, 0 by default, the number of -v otherwise."""
    ctx = ctx or click.get_current_context(silent=True)
    return int(ctx.meta.get(_VERBOSITY, 0)) if ctx is not None else 0


def show_error(exc: BaseException, ctx: click.Context | None = None) -> str:
    """Print the traceback of ``exc`` when verbose; return its one-line description."""
    if verbosity(ctx) > 0:
        click.echo("".join(traceback.format_exception(exc)).rstrip(), err=True)
    return describe(exc)


class _StderrHandler(logging.Handler):
    """Log records as ``level: message`` lines on whatever stderr is at the time."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            # On a terminal a status line or progress bar may hold the cursor: start clean.
            clear = "\r\x1b[K" if sys.stderr.isatty() else ""
            click.echo(f"{clear}{record.levelname.lower()}: {self.format(record)}", err=True)
        except Exception:
            self.handleError(record)


def verbosity_options(command: F) -> F:
    """Add ``-v/--verbose`` and ``-q/--quiet`` to a command and apply them before it runs."""

    @click.option(
        "-v",
        "--verbose",
        count=True,
        help="Show what happens (-vv: debug details) and tracebacks on errors.",
    )
    @click.option(
        "-q", "--quiet", is_flag=True, help="Only errors: no progress bar, no status lines."
    )
    @functools.wraps(command)
    def wrapper(*args: Any, verbose: int, quiet: bool, **kwargs: Any) -> Any:
        ctx = click.get_current_context()
        if verbose and quiet:
            raise click.UsageError("-v and -q cannot be used together")
        level = -1 if quiet else verbose
        ctx.meta[_VERBOSITY] = level
        _log_to_stderr(ctx, level)
        return command(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _log_to_stderr(ctx: click.Context, level: int) -> None:
    # The library logs under "translate"; WARNING by default so a broken cache still shows.
    # The library never logs user text at INFO, so -v is safe to paste into a bug report.
    logger = logging.getLogger("translate")
    handler = _StderrHandler()
    handler.setFormatter(logging.Formatter("%(message)s"))
    previous = logger.level, logger.propagate
    levels = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}
    logger.setLevel(levels.get(level, logging.DEBUG))
    logger.propagate = False
    logger.addHandler(handler)

    def restore() -> None:
        logger.removeHandler(handler)
        logger.setLevel(previous[0])
        logger.propagate = previous[1]

    ctx.call_on_close(restore)


@dataclass
class CliEnvironment:
    """State for one process run: translators by settings, so a model loads once per run.

    ``main()`` makes a fresh one; tests pass their own (``runner.invoke(cli, args, obj=env)``)
    to reuse a loaded model across invocations.
    """

    translators: dict[tuple[Any, ...], Translator] = field(default_factory=dict)

    def translator(
        self, model: str | None, *, backend: str | None, num_beams: int | None, use_cache: bool
    ) -> Translator:
        """The translator for these settings, created on first request (the model loads lazily).

        Raises:
            UnknownModelError: ``model`` names nothing known.
        """
        from ..cache import default_cache_dir
        from ..registry import resolve_model
        from ..translator import Translator

        spec = resolve_model(model)
        cache_dir = str(default_cache_dir()) if use_cache else None
        key = (spec, backend, num_beams, cache_dir)
        if key not in self.translators:
            self.translators[key] = Translator(
                model, backend=backend, num_beams=num_beams, cache=use_cache
            )
        return self.translators[key]
