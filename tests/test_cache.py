"""The SQLite translation cache: keys, concurrency, damaged files, and the Translator using it."""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from translate import Translator
from translate.backends import GenerationOptions, Hypothesis
from translate.cache import (
    CacheError,
    TranslationCache,
    cache_key,
    default_cache,
    default_cache_path,
)

from .conftest import FIXTURE_MODEL, reference_pairs

PAIRS = reference_pairs()
SIGNATURE = {
    "model": "Helsinki-NLP/opus-mt-de-en",
    "revision": "abc123",
    "backend": "ct2",
    "compute_type": "int8_float32",
    "num_beams": 4,
    "max_new_tokens": 512,
    "min_new_tokens": 0,
    "max_input_tokens": 512,
    "tool": "bilingual-reader 0.1.0",
}


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "translate.cache" and r.levelno == logging.WARNING
    ]


class Recorder:
    """Wraps a real backend's translate_batch and records what reaches the model."""

    def __init__(self, translator: Translator) -> None:
        self.calls: list[list[str]] = []
        backend = translator.backend
        real = backend.translate_batch

        def recording(texts: list[str], options: GenerationOptions) -> list[Hypothesis]:
            self.calls.append(list(texts))
            return real(texts, options)

        backend.translate_batch = recording  # type: ignore[method-assign]

    @property
    def sentences(self) -> list[str]:
        return [text for call in self.calls for text in call]


@pytest.mark.parametrize(
    ("change", "same"),
    [
        ({}, True),
        ({"tool": "bilingual-reader 9.9"}, True),
        ({"model": "Helsinki-NLP/opus-mt-de-fr"}, False),
        ({"revision": "def456"}, False),
        ({"backend": "torch"}, False),
        ({"compute_type": "float32"}, False),
        ({"num_beams": 2}, False),
        ({"max_new_tokens": 256}, False),
        ({"min_new_tokens": 40}, False),
        ({"max_input_tokens": 128}, False),
        ({"alignment": True}, False),  # a setting added later is keyed without code changes
    ],
)
def test_key_changes_with_model_and_settings(change: dict[str, object], same: bool) -> None:
    key = cache_key(SIGNATURE, "Guten Morgen.")
    assert (cache_key({**SIGNATURE, **change}, "Guten Morgen.") == key) is same
    assert cache_key({**SIGNATURE, **change}, "Guten Abend.") != key


def test_round_trip_and_clear(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "sub" / "cache.sqlite3")
    assert bool(cache) and len(cache) == 0  # an empty cache is still a cache
    cache.put_many(SIGNATURE, {"Guten Morgen.": Hypothesis("Good morning.", 4, -0.25)})
    assert cache.get_many(SIGNATURE, ["Guten Morgen.", "Guten Abend."]) == {
        "Guten Morgen.": Hypothesis("Good morning.", 4, -0.25)
    }
    assert cache.get_many({**SIGNATURE, "num_beams": 1}, ["Guten Morgen."]) == {}
    assert cache.clear() == 1
    assert len(cache) == 0
    assert cache.get_many(SIGNATURE, ["Guten Morgen."]) == {}


def test_default_cache_lives_in_the_cache_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path))
    assert default_cache_path() == tmp_path / "translations.sqlite3"
    cache = default_cache()
    cache.put_many(SIGNATURE, {"a": Hypothesis("b", 1)})
    assert (tmp_path / "translations.sqlite3").is_file()
    assert cache.path.with_name("translations.sqlite3-wal").exists()  # WAL mode


def test_eight_threads_writing_at_once(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def write(thread: int) -> None:
        try:
            start.wait()
            for i in range(250):
                cache.put_many(SIGNATURE, {f"Satz {thread}-{i}": Hypothesis(f"s{thread}-{i}", 2)})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            cache.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors and cache.enabled
    assert len(cache) == 2000
    sources = [f"Satz {t}-{i}" for t in range(8) for i in range(250)]
    found = cache.get_many(SIGNATURE, sources)
    assert len(found) == 2000 and found["Satz 7-249"].text == "s7-249"


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "cache.sqlite3"
    cache = TranslationCache(path)
    cache.put_many(SIGNATURE, {"a": Hypothesis("A", 1)})
    broken = Hypothesis(None, 1)  # type: ignore[arg-type]  # violates NOT NULL mid-transaction
    cache.put_many(SIGNATURE, {"b": Hypothesis("B", 1), "c": broken})
    assert len(_warnings(caplog)) == 1 and not cache.enabled
    assert sorted(TranslationCache(path).get_many(SIGNATURE, ["a", "b", "c"])) == ["a"]


@pytest.fixture
def seed_sentences(seed_text: str) -> list[str]:
    from translate.segment import segment

    return list(dict.fromkeys(s.source for s in segment(seed_text).sentences))


def test_reopening_an_article_is_served_from_the_cache(
    tmp_path: Path, seed_text: str, seed_sentences: list[str]
) -> None:
    cache = TranslationCache(tmp_path / "cache.sqlite3")
    translator = Translator(str(FIXTURE_MODEL), cache=cache)
    assert translator.cache is cache
    recorder = Recorder(translator)
    first = translator.translate_document(seed_text)
    assert sorted(recorder.sentences) == sorted(seed_sentences)  # 14 distinct of 17
    assert len(cache) == 14
    recorder.calls.clear()
    steps = list(translator.translate_iter(seed_text))
    assert recorder.calls == []  # not one sentence reached the model
    assert len(steps) == 1 and steps[0].finished  # everything at once, before any model work
    again = steps[0].document
    assert [s.translation for s in again.sentences] == [s.translation for s in first.sentences]
    assert [s.translation for s in again.sentences] == [PAIRS[s.source] for s in again.sentences]
    assert [s.score for s in again.sentences] == [s.score for s in first.sentences]

    # A new session (a new Translator on the same file) reuses it too.
    reopened = Translator(str(FIXTURE_MODEL), cache=TranslationCache(cache.path))
    recorder = Recorder(reopened)
    assert reopened.translate(seed_text) == translator.translate(seed_text)
    assert recorder.calls == []


def test_repeated_sentences_come_from_the_cache(tmp_path: Path) -> None:
    translator = Translator(str(FIXTURE_MODEL), cache=TranslationCache(tmp_path / "c.sqlite3"))
    recorder = Recorder(translator)
    assert translator.translate("Guten Morgen. Wie geht es dir?") == "Good morning. How are you?"
    recorder.calls.clear()
    text = "Wie geht es dir? Guten Abend. Guten Morgen."
    assert translator.translate(text) == "How are you? Good evening. Good morning."
    assert recorder.sentences == ["Guten Abend."]


def test_other_settings_are_not_served_from_the_cache(tmp_path: Path) -> None:
    cache = TranslationCache(tmp_path / "c.sqlite3")
    translator = Translator(str(FIXTURE_MODEL), cache=cache)
    recorder = Recorder(translator)
    translator.translate("Guten Morgen.")
    translator.translate("Guten Morgen.", num_beams=2)
    assert recorder.sentences == ["Guten Morgen.", "Guten Morgen."]
    other_backend = Translator(str(FIXTURE_MODEL), backend="torch", cache=cache)
    recorder = Recorder(other_backend)
    assert other_backend.translate("Guten Morgen.") == "Good morning."
    assert recorder.sentences == ["Guten Morgen."]
    assert len(cache) == 3


@contextlib.contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make ``path`` unwritable even for root (chattr +i), or skip."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr +i: cannot make a read-only file")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.fixture(params=["corrupt", "read-only", "folder is a file"])
def unusable_cache(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Path]:
    """A cache path that cannot be used, each way it happens."""
    path = tmp_path / "translations.sqlite3"
    if request.param == "corrupt":
        path.write_bytes(b"this is not a SQLite database, just bytes " * 200)
        yield path
    elif request.param == "read-only":
        cache = TranslationCache(path)
        cache.put_many(SIGNATURE, {"x": Hypothesis("y", 1)})
        cache.close()
        with _read_only(path):
            yield path
    else:
        (tmp_path / "file").write_text("a file where the cache folder should be")
        yield tmp_path / "file" / "translations.sqlite3"


def test_unusable_cache_warns_once_and_translation_goes_on(
    unusable_cache: Path,
    seed_text: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    translator = Translator(str(FIXTURE_MODEL), cache=TranslationCache(unusable_cache))
    document = translator.translate_document(seed_text)
    assert [s.translation for s in document.sentences] == [
        PAIRS[s.source] for s in document.sentences
    ]
    assert translator.translate("Guten Morgen.") == "Good morning."
    warnings = _warnings(caplog)
    assert len(warnings) == 1, warnings
    assert warnings[0].startswith(f"translation cache {unusable_cache} is unusable (")
    assert warnings[0].endswith("continuing without it. Clearing the cache deletes a damaged file.")
    assert translator.cache is not None and not translator.cache.enabled
    assert len(translator.cache) == 0


def test_default_cache_file_corrupt_still_translates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("TRANSLATE_CACHE_DIR", str(tmp_path))
    (tmp_path / "translations.sqlite3").write_bytes(b"\x00garbage" * 1000)
    translator = Translator(str(FIXTURE_MODEL))  # cache=True: the default file
    assert translator.translate("Guten Morgen. Wie geht es dir?") == "Good morning. How are you?"
    assert len(_warnings(caplog)) == 1


def test_clearing_a_corrupt_cache_deletes_it_and_it_works_again(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "translations.sqlite3"
    path.write_bytes(b"not a database" * 100)
    cache = TranslationCache(path)
    assert cache.get_many(SIGNATURE, ["a"]) == {} and not cache.enabled
    assert cache.clear() == 0
    assert f"deleted the damaged translation cache {path}" in _warnings(caplog)
    assert cache.enabled
    cache.put_many(SIGNATURE, {"a": Hypothesis("A", 1)})
    assert len(cache) == 1


def test_clearing_a_read_only_cache_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "translations.sqlite3"
    cache = TranslationCache(path)
    cache.put_many(SIGNATURE, {"a": Hypothesis("A", 1)})
    cache.close()
    message = r"cannot clear the translation cache .*readonly"
    with _read_only(path), pytest.raises(CacheError, match=message):
        TranslationCache(path).clear()
    assert len(TranslationCache(path)) == 1
