"""The ``bilingual-reader`` command line (also ``python -m translate``).

Commands: ``translate`` (files, stdin, URLs -> terminal, stdout or files in every export format),
``models``, ``download``, ``cache``, ``ui``. Only :func:`main` ends the process; the commands
raise click exceptions, which the group turns into exit codes and one-line messages.
"""

from __future__ import annotations

import errno
from typing import Any

import click

from .. import __version__
from .cache_command import cache_group
from .context import CliEnvironment, CommandFailure, Interrupted, show_error
from .model_commands import download_command, models_command
from .translate_command import translate_command
from .ui_command import ui_command

__all__ = ["CliEnvironment", "cli", "main"]


class _Group(click.Group):
    """A group that reports any failure of a command as ``Error: <one line>``, exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KeyboardInterrupt as exc:
            raise Interrupted("interrupted; files not yet written were not created") from exc
        except Exception as exc:
            if isinstance(exc, OSError) and exc.errno == errno.EPIPE:
                raise  # the reader of a pipe left (`| head`): click exits quietly
            raise CommandFailure(show_error(exc, ctx)) from exc


@click.group(
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="bilingual-reader")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Bilingual Reader: translate German to English locally, sentence by sentence.

    \b
    Examples:
      bilingual-reader translate article.txt           # side by side in the terminal
      bilingual-reader translate - -f tsv < a.txt > pairs.tsv
      bilingual-reader translate https://example.org/artikel -o artikel.html
      bilingual-reader translate a.txt b.docx -f tmx -o out/
      bilingual-reader models                          # which models are available offline
      bilingual-reader download de-en                  # fetch the model once (~300 MB)

    Run `bilingual-reader COMMAND --help` for a command's options. The model is the registry
    default (de-en) unless --model or $TRANSLATE_MODEL names another.
    """
    ctx.ensure_object(CliEnvironment)


cli.add_command(translate_command)
cli.add_command(models_command)
cli.add_command(download_command)
cli.add_command(cache_group)
cli.add_command(ui_command)


def main(argv: list[str] | None = None) -> None:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``) and exit the process.

    Exit status: 0 success, 1 failure, 2 usage error, 130 interrupted.
    """
    cli.main(args=argv, obj=CliEnvironment())
