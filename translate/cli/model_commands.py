"""``bilingual-reader models`` and ``download``: what the registry offers and fetching it."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..backends.loading import MARIAN_FILES, WEIGHT_FILES, hub_cache_commit
from ..errors import ModelLoadError
from ..registry import ModelSpec, load_registry, resolve_model
from .context import verbosity, verbosity_options

MODEL_FILES = (
    "config.json",
    "generation_config.json",
    "tokenizer_config.json",
    "special_tokens_map.json",
    "vocab.json",
    "source.spm",
    "target.spm",
)
"""What MarianMT needs besides the weights (TF, Flax and Rust weights are not downloaded)."""
WEIGHTS = WEIGHT_FILES
"""Weight files in order of preference; the second is fetched only when the first is absent."""


def availability(spec: ModelSpec) -> str:
    """``folder`` / ``missing folder`` for local models, ``cached`` / ``not cached`` for HF ids.

    Only looks at the disk: no network call.
    """
    if spec.is_local:
        return "folder" if Path(spec.model).is_dir() else "missing folder"
    return "cached" if hub_cache_commit(spec) else "not cached"


@click.command("models", short_help="List the models and which are available offline.")
@verbosity_options
def models_command() -> None:
    """List the models in models.yaml and whether each is available offline.

    AVAILABLE is "cached" when a Hugging Face model is in the local Hugging Face cache (fetch
    one with `bilingual-reader download KEY`), "folder" for a model folder that exists. The
    default model is marked with *.
    """
    registry = load_registry()
    override = os.environ.get("TRANSLATE_MODEL")
    rows = [("", "KEY", "MODEL", "BACKEND", "AVAILABLE", "DESCRIPTION")]
    for key, spec in registry.models.items():
        mark = "*" if key == registry.default else ""
        rows.append((mark, key, spec.model, spec.backend, availability(spec), spec.description))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())
    click.echo(f"\n* default model; registry: {registry.path}")
    if override:
        click.echo(f"TRANSLATE_MODEL={override} is used when no --model is given")


def _offline() -> bool:
    from huggingface_hub import constants

    return bool(constants.HF_HUB_OFFLINE) or os.environ.get("HF_HUB_OFFLINE", "") not in ("", "0")


def _download_error(spec: ModelSpec, exc: Exception, offline: bool) -> ModelLoadError:
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    name = repr(spec.model)
    if offline:
        return ModelLoadError(
            f"cannot download {name}: offline mode (HF_HUB_OFFLINE is set) and it is not in the "
            "Hugging Face cache. Unset HF_HUB_OFFLINE on a connected machine and run this again."
        )
    if isinstance(exc, RevisionNotFoundError):
        return ModelLoadError(f"{name} has no revision {spec.revision!r} on the Hugging Face Hub")
    if isinstance(exc, RepositoryNotFoundError):
        return ModelLoadError(
            f"{name} was not found on the Hugging Face Hub; check the id "
            "(e.g. Helsinki-NLP/opus-mt-de-en) or use a key from `bilingual-reader models`"
        )
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return ModelLoadError(
        f"cannot download {name}: the Hugging Face Hub could not be reached ({reason}). "
        "Check the internet connection (or HF_ENDPOINT / proxy settings) and try again."
    )


def download_model(spec: ModelSpec, *, quiet: bool = False) -> Path:
    """Fetch the MarianMT files of ``spec`` into the Hugging Face cache; return their folder.

    Raises:
        ModelLoadError: offline, not found, no connection, or an incomplete download.
    """
    from huggingface_hub import snapshot_download
    from huggingface_hub.utils import disable_progress_bars

    if quiet:
        disable_progress_bars()
    offline = _offline()

    def fetch(patterns: list[str]) -> Path:
        try:
            return Path(
                snapshot_download(
                    spec.model,
                    revision=spec.revision,
                    allow_patterns=patterns,
                    local_files_only=offline,
                )
            )
        except Exception as exc:
            raise _download_error(spec, exc, offline) from exc

    folder = fetch([*MODEL_FILES, WEIGHTS[0]])
    if not (folder / WEIGHTS[0]).is_file():
        folder = fetch([WEIGHTS[1]])
    missing = [name for name in MARIAN_FILES if not (folder / name).is_file()]
    if not any((folder / weights).is_file() for weights in WEIGHTS):
        missing.append(" or ".join(WEIGHTS))
    if missing:
        raise ModelLoadError(
            f"{spec.model!r} is incomplete in {folder}: {', '.join(missing)} missing"
            + (" (offline mode: unset HF_HUB_OFFLINE to fetch them)" if offline else "")
        )
    return folder


@click.command("download", short_help="Download a model for offline use.")
@click.argument("model", metavar="KEY|ID")
@verbosity_options
def download_command(model: str) -> None:
    """Download a model (registry KEY or Hugging Face ID) for later offline use.

    The files go into the standard Hugging Face cache (~/.cache/huggingface, or $HF_HOME), so
    afterwards translation works with HF_HUB_OFFLINE=1. Only the files MarianMT needs are
    fetched (about 300 MB for opus-mt-de-en).
    """
    spec = resolve_model(model)
    if spec.is_local:
        from ..backends.loading import check_local_model

        check_local_model(spec)
        click.echo(f"{spec.model} is a local model folder: nothing to download")
        return
    folder = download_model(spec, quiet=verbosity() < 0)
    click.echo(f"{spec.model} is ready in {folder}; it now works offline (HF_HUB_OFFLINE=1)")
