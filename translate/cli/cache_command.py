"""``bilingual-reader cache info|clear``: the on-disk translation cache."""

from __future__ import annotations

import click

from .context import verbosity_options


@click.group("cache", short_help="Show or clear the translation cache.")
def cache_group() -> None:
    """Show or clear the translation cache (sentences translated before are reused).

    The cache lives in $TRANSLATE_CACHE_DIR, else the user cache folder. Entries are keyed by
    model, revision and settings, so a different model never reuses them.
    """


@cache_group.command("info")
@verbosity_options
def cache_info() -> None:
    """Print where the cache is, how many translations it holds and its size."""
    from ..cache import default_cache

    cache = default_cache()
    if not cache.path.exists():
        click.echo(f"cache: {cache.path} (not created yet)\nentries: 0")
        return
    files = [cache.path.with_name(cache.path.name + suffix) for suffix in ("", "-wal", "-shm")]
    size = sum(file.stat().st_size for file in files if file.exists())
    try:
        entries = len(cache)
    finally:
        cache.close()
    shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} kB"
    click.echo(f"cache: {cache.path}\nentries: {entries}\nsize: {shown}")


@cache_group.command("clear")
@verbosity_options
def cache_clear() -> None:
    """Delete every cached translation."""
    from ..cache import default_cache

    cache = default_cache()
    if not cache.path.exists():
        click.echo(f"cache {cache.path} is empty (not created yet)")
        return
    try:
        removed = cache.clear()
    finally:
        cache.close()
    click.echo(f"removed {removed} cached translations from {cache.path}")
