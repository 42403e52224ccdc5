"""A persistent translation cache: one SQLite file in the user's cache directory.

Keys hash the model identity (id + revision, or a local folder's content hash), the backend and
its compute type, the generation settings and the source sentence, so a different model or
setting never reuses an entry. The cache is an optimisation only: if the file is corrupt,
read-only or cannot be created, it turns itself off with one warning and translation goes on.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from .backends.base import Hypothesis
from .errors import TranslateError

logger = logging.getLogger(__name__)

KEY_VERSION = 2
"""Part of every key; bump when what a cached entry means changes."""
_NOT_KEYED = frozenset({"tool"})
"""Signature fields that do not change a sentence's translation."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    translation TEXT NOT NULL,
    length INTEGER NOT NULL,
    score REAL,
    created REAL NOT NULL
)
"""
_CHUNK = 500
"""Keys per SELECT: below SQLite's oldest host-parameter limit (999)."""


class CacheError(TranslateError, OSError):
    """The cache cannot be cleared (the file or its folder is read-only)."""


def default_cache_dir() -> Path:
    """$TRANSLATE_CACHE_DIR, else the platform's user cache dir for bilingual-reader."""
    env = os.environ.get("TRANSLATE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bilingual-reader", appauthor=False))


def default_cache_path() -> Path:
    """The translation cache file: ``translations.sqlite3`` in :func:`default_cache_dir`."""
    return default_cache_dir() / "translations.sqlite3"


def default_cache() -> TranslationCache:
    """The cache at :func:`default_cache_path`."""
    return TranslationCache(default_cache_path())


def cache_key(signature: Mapping[str, Any], source: str) -> str:
    """The key of ``source`` translated under ``signature``.

    Every field of the signature counts (model, revision, backend, compute type, beams, length
    limits, ...) except the tool version, so a setting added later is keyed automatically
    rather than silently shared.
    """
    settings = {name: value for name, value in signature.items() if name not in _NOT_KEYED}
    payload = f"{KEY_VERSION}\x00{json.dumps(settings, sort_keys=True, default=str)}\x00{source}"
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache:
    """Sentence translations stored in SQLite (WAL mode), safe to share between threads.

    Each thread uses its own connection; writes are single transactions, so concurrent writers
    (threads or processes) never lose or half-write entries.

    Args:
        path: the database file; created (with its folder) on first use.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._disabled = False
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TranslationCache({str(self.path)!r})"

    def __bool__(self) -> bool:
        # Without this an empty cache would be falsy (``__len__`` is 0), and code such as
        # ``if cache:`` would skip a perfectly good cache.
        return True

    @property
    def enabled(self) -> bool:
        """False once the cache has turned itself off after an error."""
        return not self._disabled

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.execute(_SCHEMA)
            except BaseException:
                connection.close()
                raise
            self._local.connection = connection
        return connection

    def _disable(self, exc: BaseException) -> None:
        with self._lock:
            if not self._disabled:
                self._disabled = True
                logger.warning(
                    "translation cache %s is unusable (%s); continuing without it. "
                    "Clearing the cache deletes a damaged file.",
                    self.path,
                    exc,
                )

    def get_many(
        self, signature: Mapping[str, Any], sources: Iterable[str]
    ) -> dict[str, Hypothesis]:
        """Cached translations of ``sources`` under ``signature``; missing ones are absent."""
        if self._disabled:
            return {}
        keys = {cache_key(signature, source): source for source in sources}
        found: dict[str, Hypothesis] = {}
        try:
            connection = self._connection()
            items = list(keys)
            for start in range(0, len(items), _CHUNK):
                chunk = items[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                rows = connection.execute(
                    "SELECT key, translation, length, score FROM translations "
                    f"WHERE key IN ({marks})",
                    chunk,
                )
                for key, translation, length, score in rows:
                    found[keys[key]] = Hypothesis(translation, length, score)
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)
            return {}
        return found

    def put_many(self, signature: Mapping[str, Any], results: Mapping[str, Hypothesis]) -> None:
        """Store translations of sources under ``signature``, all in one transaction."""
        if self._disabled or not results:
            return
        now = time.time()
        rows = [
            (cache_key(signature, source), hyp.text, hyp.length, hyp.score, now)
            for source, hyp in results.items()
        ]
        try:
            connection = self._connection()
            # IMMEDIATE takes the write lock up front (waiting up to the timeout), so two
            # writers never deadlock upgrading read locks.
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.executemany(
                    "INSERT OR REPLACE INTO translations VALUES (?, ?, ?, ?, ?)", rows
                )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)

    def __len__(self) -> int:
        if self._disabled:
            return 0
        try:
            return int(
                self._connection().execute("SELECT COUNT(*) FROM translations").fetchone()[0]
            )
        except (sqlite3.Error, OSError) as exc:
            self._disable(exc)
            return 0

    def clear(self) -> int:
        """Delete every entry and return how many there were.

        A damaged file (not a database, or malformed) is deleted instead, which makes the
        cache usable again; its entries count as 0.

        Raises:
            CacheError: the file cannot be written or deleted (for example a read-only file).
        """
        self.close()
        try:
            connection = self._connection()
            connection.execute("BEGIN IMMEDIATE")
            count = int(connection.execute("SELECT COUNT(*) FROM translations").fetchone()[0])
            connection.execute("DELETE FROM translations")
            connection.execute("COMMIT")
        except (sqlite3.Error, OSError) as exc:
            self.close()
            if not (isinstance(exc, sqlite3.DatabaseError) and _is_damaged(exc)):
                raise CacheError(f"cannot clear the translation cache {self.path}: {exc}") from exc
            try:
                for suffix in ("", "-wal", "-shm", "-journal"):
                    Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            except OSError as unlink_error:
                raise CacheError(
                    f"cannot delete the damaged translation cache {self.path}: {unlink_error}"
                ) from unlink_error
            logger.warning("deleted the damaged translation cache %s", self.path)
            count = 0
        with self._lock:
            self._disabled = False
        return count

    def close(self) -> None:
        """Close this thread's connection (others close when their thread ends)."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None


def _is_damaged(exc: sqlite3.DatabaseError) -> bool:
    """True for errors that mean the file is not a usable SQLite database."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text
