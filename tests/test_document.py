"""Document helpers: translated text layout and serialisation."""

from __future__ import annotations

import pytest

from translate.document import Document
from translate.segment import segment


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("Eins. Zwei.", "One. Two."),
        ("Eins.\nZwei.", "One.\nTwo."),
        ("Eins.\r\nZwei.", "One.\nTwo."),
        ("Eins.\n\nZwei.", "One.\n\nTwo."),
        ("Eins.\n \n\t\nZwei.", "One.\n\n\nTwo."),
        ("  Eins.  ", "One."),
        ("", ""),
    ],
)
def test_translated_text_keeps_breaks(text: str, english: str) -> None:
    document = segment(text)
    for sentence, word in zip(document.sentences, ["One.", "Two."], strict=False):
        sentence.translation = word
    assert document.translated_text() == english


def test_heading_detection() -> None:
    document = segment("Wetter am Wochenende\n\nEs regnet.\n\nA\n\nZwei. Sätze")
    assert [p.is_heading for p in document.paragraphs] == [True, False, False, False]


def test_dict_round_trip() -> None:
    document = segment("Titel\n\nEins. Zwei.")
    document.sentences[1].translation = "One."
    document.sentences[1].score = -0.25
    document.signature = {"model": "x"}
    rebuilt = Document.from_dict(document.to_dict())
    assert rebuilt == document
    assert not rebuilt.is_translated
