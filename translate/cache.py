"""A persistent translation cache: one SQLite file in the user's cache directory.

Keys hash the model identity (id + revision, or a local folder's content hash), the backend, the
generation settings and the source sentence, so a different model or setting never reuses an
entry. The cache is an optimisation only: if the file is corrupt or read-only, it turns itself
off with one warning and translation goes on.
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

logger = logging.getLogger(__name__)

_KEY_FIELDS = (
    "model",
    "revision",
    "backend",
    "num_beams",
    "max_new_tokens",
    "min_new_tokens",
    "max_input_tokens",
)
_SCHEMA = """
CREATE TABLE IF NOT EXISTS translations (
    key TEXT PRIMARY KEY,
    translation TEXT NOT NULL,
    length INTEGER NOT NULL,
    score REAL,
    created REAL NOT NULL
)
"""


def default_cache_dir() -> Path:
    """$TRANSLATE_CACHE_DIR, else the platform's user cache dir for bilingual-reader."""
    env = os.environ.get("TRANSLATE_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("bilingual-reader", appauthor=False))


def default_cache() -> TranslationCache:
    """The cache file in :func:`default_cache_dir`."""
    return TranslationCache(default_cache_dir() / "translations.sqlite3")


def cache_key(signature: Mapping[str, Any], source: str) -> str:
    """The key of ``source`` translated under ``signature`` (model, backend, settings)."""
    settings = {name: signature.get(name) for name in _KEY_FIELDS}
    payload = json.dumps(settings, sort_keys=True) + "\x00" + source
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class TranslationCache:
    """Sentence translations stored in SQLite (WAL mode), safe to share between threads.

    Args:
        path: the database file; created (with its folder) on first use.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._disabled = False
        self._warn_lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """False once the cache has turned itself off after an error."""
        return not self._disabled

    def _connection(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "connection", None)
        if connection is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=NORMAL")
            connection.execute(_SCHEMA)
            self._local.connection = connection
        return connection

    def _disable(self, exc: BaseException) -> None:
        with self._warn_lock:
            if not self._disabled:
                self._disabled = True
                logger.warning(
                    "translation cache %s is unusable (%s); continuing without it", self.path, exc
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
            for start in range(0, len(items), 500):
                chunk = items[start : start + 500]
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
        """Delete every entry; returns how many there were."""
        count = len(self)
        if not self._disabled:
            try:
                self._connection().execute("DELETE FROM translations")
            except (sqlite3.Error, OSError) as exc:
                self._disable(exc)
        return count

    def close(self) -> None:
        """Close this thread's connection."""
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None
