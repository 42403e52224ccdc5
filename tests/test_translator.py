"""End to end through the real transformers loading and generate code, on the tiny model.

These tests pin the torch backend; tests/test_ct2_backend.py checks that CTranslate2 gives the
same translations.
"""

from __future__ import annotations

import pytest

from translate import Translator, translate
from translate.backends import GenerationOptions

from .conftest import FIXTURE_MODEL, reference_pairs

PAIRS = reference_pairs()


def test_readme_example(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRANSLATE_MODEL", str(FIXTURE_MODEL))
    assert translate("Guten Morgen. Wie geht es dir?") == "Good morning. How are you?"


def test_seed_article_translates_to_the_reference(translator: Translator, seed_text: str) -> None:
    document = translator.translate_document(seed_text)
    assert len(document) == 17
    for sentence in document.sentences:
        assert sentence.translation == PAIRS[sentence.source], sentence.source
    # Paragraph 1 is three lines; paragraph 3 is two sentences on one line.
    joiners = {1: "\n", 3: " "}
    expected_paragraphs = [
        joiners.get(paragraph.index, "").join(PAIRS[s.source] for s in paragraph.sentences)
        for paragraph in document.paragraphs
    ]
    assert document.translated_text() == "\n\n".join(expected_paragraphs)
    english = translator.translate(seed_text)
    assert english.split("\n\n")[0] == (
        "Seoul, Tokyo and Washington condemn the Pyongyang-Moscow pact – DW – 24.06.2024"
    )
    assert english.split("\n\n")[3].endswith('Northeast." Asia and Europe.')
    assert len(english.split("\n\n")) == 14


@pytest.mark.parametrize("batch_size", [1, 4, 32])
def test_batch_size_does_not_change_output(batch_size: int, seed_text: str) -> None:
    translator = Translator(str(FIXTURE_MODEL), backend="torch", batch_size=batch_size, cache=False)
    document = translator.translate_document(seed_text)
    assert [s.translation for s in document.sentences] == [
        PAIRS[s.source] for s in document.sentences
    ]


def test_every_sentence_once_and_in_order(seed_text: str) -> None:
    calls: list[list[str]] = []
    translator = Translator(str(FIXTURE_MODEL), backend="torch", batch_size=4, cache=False)
    backend = translator.backend
    real = backend.translate_batch

    def recording(texts: list[str], options: GenerationOptions) -> list:  # type: ignore[type-arg]
        calls.append(list(texts))
        return real(texts, options)

    backend.translate_batch = recording  # type: ignore[method-assign]
    progress = list(translator.translate_iter(seed_text))
    sent = [text for call in calls for text in call]
    # The headline occurs three times and "-" twice: each distinct sentence is sent once.
    assert len(sent) == len(set(sent)) == 14
    assert all(len(call) <= 4 for call in calls)
    document = progress[-1].document
    assert [s.index for s in document.sentences] == list(range(17))
    assert [s.start for s in document.sentences] == sorted(s.start for s in document.sentences)
    # Progress: one snapshot before any work, then one per batch, counts rising to the total.
    assert progress[0].done == 0
    assert len(progress) == 1 + len(calls)
    assert progress[-1].finished and progress[-1].done == progress[-1].total == 17
    assert [p.done for p in progress] == sorted(p.done for p in progress)


def test_results_return_in_input_order(translator: Translator) -> None:
    sentences = ["Wie geht es dir?", "Guten Morgen.", "Asien und Europa.", "Guten Morgen."]
    assert translator.translate_sentences(sentences) == [
        "How are you?",
        "Good morning.",
        "Asia and Europe.",
        "Good morning.",
    ]


@pytest.mark.parametrize("text", ["", "   ", "\n\n\t\n"])
def test_empty_input_gives_empty_output_without_loading(text: str) -> None:
    translator = Translator(str(FIXTURE_MODEL) + "-does-not-exist", cache=False)
    assert translator.translate(text) == ""
    assert not translator.is_loaded
    assert translate(text) == ""


@pytest.mark.parametrize("value", [None, b"Hallo", 42, ["Hallo"]])
def test_non_str_input_is_a_type_error(value: object, translator: Translator) -> None:
    with pytest.raises(TypeError, match="must be str"):
        translator.translate(value)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="must be str"):
        translate(value)  # type: ignore[arg-type]


def test_model_loads_lazily_and_once() -> None:
    translator = Translator(str(FIXTURE_MODEL), backend="torch", cache=False)
    assert not translator.is_loaded
    first = translator.backend
    translator.translate("Guten Morgen.")
    assert translator.backend is first


def test_signature_names_model_and_settings(translator: Translator) -> None:
    document = translator.translate_document("Guten Morgen.")
    signature = document.signature
    assert signature["model"] == str(FIXTURE_MODEL)
    assert signature["revision"].startswith("sha256:")
    assert signature["backend"] == "torch"
    assert signature["num_beams"] == 4


def test_long_sentence_is_split_at_clauses_never_truncated() -> None:
    # Known clauses joined by commas; with a small input limit every clause is its own piece,
    # so the exact expected English is the clause translations joined in order.
    clauses = ["Die Regierung hat entschieden,", "Wie die Polizei mitteilte,"]
    assert all(clause in PAIRS for clause in clauses), "corpus must contain the clauses"
    sentence = " ".join(clauses * 3)
    probe = Translator(str(FIXTURE_MODEL), backend="torch", cache=False)
    limit = max(probe.backend.count_tokens(clauses))
    translator = Translator(
        str(FIXTURE_MODEL), backend="torch", max_input_tokens=limit, cache=False
    )
    expected = " ".join(PAIRS[c] for c in clauses * 3)
    assert translator.translate_sentences([sentence]) == [expected]


def test_two_thousand_token_sentence_keeps_every_piece(translator: Translator) -> None:
    clause = "Südkorea, Japan und die Vereinigten Staaten verurteilten am Montag das Abkommen,"
    sentence = " ".join([clause] * 120).rstrip(",") + "."
    backend = translator.backend
    assert backend.count_tokens([sentence])[0] >= 2000
    seen: list[str] = []
    real = backend.translate_batch

    def recording(texts: list[str], options: GenerationOptions) -> list:  # type: ignore[type-arg]
        seen.extend(texts)
        assert max(backend.count_tokens(texts)) <= backend.max_input_tokens
        return real(texts, options)

    backend.translate_batch = recording  # type: ignore[method-assign]
    try:
        [english] = translator.translate_sentences([sentence])
    finally:
        del backend.translate_batch
    assert len(seen) >= 4
    # Every word of the input went to the model exactly once, in order.
    assert " ".join(seen).split() == sentence.split()
    # The answer is the pieces' translations, joined in order (none dropped or cut).
    pieces = translator.translate_sentences(seen)
    assert all(pieces)
    assert english == " ".join(pieces)


def test_torch_n_best(translator: Translator) -> None:
    backend = translator.backend
    [best, other] = backend.translate_batch(
        ["Guten Morgen.", "Wie geht es dir?"], GenerationOptions(num_hypotheses=3)
    )
    assert (best.text, other.text) == ("Good morning.", "How are you?")
    for hypothesis in (best, other):
        assert len(hypothesis.alternatives) == 2
        scores = [hypothesis.score, *(alt.score for alt in hypothesis.alternatives)]
        assert scores == sorted(scores, reverse=True)
        assert len({hypothesis.text, *(alt.text for alt in hypothesis.alternatives)}) == 3
