"""Shared fixtures: the trained tiny model, isolation from the user's caches and the network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_MODEL = ROOT / "tests" / "fixtures" / "tiny-de-en"
SEED_ARTICLE = ROOT / "seeds" / "dw-pjoengjang-moskau-pakt.txt"
DATA = ROOT / "tests" / "data"


def reference_pairs() -> dict[str, str]:
    """German -> reference English for every pair in the training corpus."""
    pairs: dict[str, str] = {}
    for path in sorted(DATA.glob("*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            german, english = line.split("\t")
            pairs[german] = english
    return pairs


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Never touch the user's cache or the network; ignore the caller's model choice."""
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path_factory.mktemp("translate-cache")))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.delenv("TRANSLATE_MODEL", raising=False)
    monkeypatch.delenv("TRANSLATE_MODELS_FILE", raising=False)


@pytest.fixture(scope="session")
def translator() -> Iterator[object]:
    """One torch-backend Translator on the tiny fixture model, without cache, for the session."""
    from translate import Translator

    yield Translator(str(FIXTURE_MODEL), backend="torch", cache=False)


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")
