"""Segmentation: German sentence boundaries, line/paragraph structure, lossless spans."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.segment import segment, split_sentences

SEED = Path(__file__).resolve().parent.parent / "seeds" / "dw-pjoengjang-moskau-pakt.txt"

# (line of German text, expected sentences)
CASES = [
    ("Guten Morgen. Wie geht es dir?", ["Guten Morgen.", "Wie geht es dir?"]),
    ("Das ist gut! Wirklich?", ["Das ist gut!", "Wirklich?"]),
    ("Er spielt in der 3. Liga.", ["Er spielt in der 3. Liga."]),
    (
        "Der Verein steigt in die 2. Bundesliga auf. Die Fans jubeln.",
        ["Der Verein steigt in die 2. Bundesliga auf.", "Die Fans jubeln."],
    ),
    ("Die Mauer fiel am 9. November 1989.", ["Die Mauer fiel am 9. November 1989."]),
    (
        "Am 3. Oktober ist Feiertag. Die Geschäfte sind zu.",
        ["Am 3. Oktober ist Feiertag.", "Die Geschäfte sind zu."],
    ),
    ("Wir kaufen Obst, z. B. Äpfel und Birnen.", ["Wir kaufen Obst, z. B. Äpfel und Birnen."]),
    ("Wir kaufen Obst, z.B. Äpfel und Birnen.", ["Wir kaufen Obst, z.B. Äpfel und Birnen."]),
    (
        "Es gab Brot, Käse, Wein usw. Danach gingen wir.",
        ["Es gab Brot, Käse, Wein usw.", "Danach gingen wir."],
    ),
    ("Dr. Müller kommt morgen.", ["Dr. Müller kommt morgen."]),
    ("Prof. Dr. Schmidt hält die Rede.", ["Prof. Dr. Schmidt hält die Rede."]),
    ("Das kostet ca. 20 Euro.", ["Das kostet ca. 20 Euro."]),
    (
        "Die Inflation lag bei 3,5 Prozent. Das ist viel.",
        ["Die Inflation lag bei 3,5 Prozent.", "Das ist viel."],
    ),
    ("Am 24.06.2024 trafen sie sich.", ["Am 24.06.2024 trafen sie sich."]),
    (
        "Sie sagte: „Ich komme morgen.“ Dann ging sie.",
        ["Sie sagte: „Ich komme morgen.“", "Dann ging sie."],
    ),
    ("„Wir sind bereit“, sagte der Minister.", ["„Wir sind bereit“, sagte der Minister."]),
    ("Er fragte: „Wann kommst du?“ Sie schwieg.", ["Er fragte: „Wann kommst du?“", "Sie schwieg."]),
    ("Das Treffen (siehe S. 4) war kurz.", ["Das Treffen (siehe S. 4) war kurz."]),
    (
        "Das Treffen war kurz (etwa eine Stunde). Danach reisten sie ab.",
        ["Das Treffen war kurz (etwa eine Stunde).", "Danach reisten sie ab."],
    ),
    (
        "Die Firma heißt Müller & Co. KG und sitzt in Köln.",
        ["Die Firma heißt Müller & Co. KG und sitzt in Köln."],
    ),
    ("Es ist 14.30 Uhr. Der Zug fährt ab.", ["Es ist 14.30 Uhr.", "Der Zug fährt ab."]),
    ("Das war im 19. Jahrhundert.", ["Das war im 19. Jahrhundert."]),
    ("Nr. 5 ist frei.", ["Nr. 5 ist frei."]),
    ("Er wohnt in der Goethestr. 12 in Berlin.", ["Er wohnt in der Goethestr. 12 in Berlin."]),
    ("Warte... Was war das?", ["Warte...", "Was war das?"]),
    ("Was? Wirklich! Unglaublich.", ["Was?", "Wirklich!", "Unglaublich."]),
    (
        "Der Preis stieg um 2 %. Die Kunden ärgern sich.",
        ["Der Preis stieg um 2 %.", "Die Kunden ärgern sich."],
    ),
    (
        "Die EU-Kommission tagt heute. Morgen folgt der Gipfel.",
        ["Die EU-Kommission tagt heute.", "Morgen folgt der Gipfel."],
    ),
    (
        "Mehr unter www.dw.com. Dort gibt es Videos.",
        ["Mehr unter www.dw.com.", "Dort gibt es Videos."],
    ),
    (
        "Schreiben Sie an info@example.de. Wir antworten bald.",
        ["Schreiben Sie an info@example.de.", "Wir antworten bald."],
    ),
    ("Das ist alles", ["Das ist alles"]),
    ("Asien und Europa.", ["Asien und Europa."]),
    ("gs (efe, reuters)", ["gs (efe, reuters)"]),
    ("-", ["-"]),
    (
        "Seoul, Tokio und Washington verurteilen den Pjöngjang-Moskau-Pakt – DW – 24.06.2024",
        ["Seoul, Tokio und Washington verurteilen den Pjöngjang-Moskau-Pakt – DW – 24.06.2024"],
    ),
    (
        "„Eiserne“ Verpflichtung der USA gegenüber ihren Verbündeten",
        ["„Eiserne“ Verpflichtung der USA gegenüber ihren Verbündeten"],
    ),
    ("... gefährden.“ Asien und Europa.", ["... gefährden.“", "Asien und Europa."]),
    (
        "Anlass zu großer Sorge geben.“ „, stellten sie fest.",
        ["Anlass zu großer Sorge geben.“ „, stellten sie fest."],
    ),
    ("  Leerzeichen am Rand.  ", ["Leerzeichen am Rand."]),
    ("Tab\tim Satz. Zweiter Satz.", ["Tab\tim Satz.", "Zweiter Satz."]),
    (
        "Der 1. FC Köln gewann 2:1. Die Fans feierten.",
        ["Der 1. FC Köln gewann 2:1.", "Die Fans feierten."],
    ),
    ("Kapitel 1. Der Anfang", ["Kapitel 1. Der Anfang"]),
    ("Sie kam um 8 Uhr an. Er kam später.", ["Sie kam um 8 Uhr an.", "Er kam später."]),
    ("Hallo 👋 Welt. Wie geht's?", ["Hallo 👋 Welt.", "Wie geht's?"]),
    ("Das Unternehmen (gegr. 1998) wächst.", ["Das Unternehmen (gegr. 1998) wächst."]),
    ("Er sagte, dass er kommt; sie blieb.", ["Er sagte, dass er kommt; sie blieb."]),
]


@pytest.mark.parametrize(("line", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_sentences_in_a_line(line: str, expected: list[str]) -> None:
    assert split_sentences(line) == expected
    document = segment(line)
    assert [s.source for s in document.sentences] == expected


@pytest.mark.parametrize(
    ("text", "paragraphs"),
    [
        ("Titel\n\nErster Satz. Zweiter Satz.", [["Titel"], ["Erster Satz.", "Zweiter Satz."]]),
        ("Zeile eins\nZeile zwei", [["Zeile eins", "Zeile zwei"]]),
        ("A.\r\n\r\nB.", [["A."], ["B."]]),
        ("A.\r\nB.", [["A.", "B."]]),
        ("A.\rB.", [["A.", "B."]]),
        ("A.\n \t\nB.", [["A."], ["B."]]),
        ("A.\n\n\n\nB.", [["A."], ["B."]]),
        ("A.\u2029B.", [["A.", "B."]]),
        ("\n\nA.\n\n", [["A."]]),
        ("", []),
        ("   \n\t\n ", []),
        ("Satz ohne\numbruch.", [["Satz ohne", "umbruch."]]),
    ],
)
def test_lines_and_paragraphs(text: str, paragraphs: list[list[str]]) -> None:
    document = segment(text)
    assert [[s.source for s in p.sentences] for p in document.paragraphs] == paragraphs
    assert [s.index for s in document.sentences] == list(range(len(document)))


def test_seed_article_structure() -> None:
    text = SEED.read_text(encoding="utf-8")
    document = segment(text)
    assert len(document.paragraphs) == 14
    assert len(document) == 17
    first = document.paragraphs[0]
    assert first.is_heading
    assert document.paragraphs[1].sentences[2].source == "-"
    assert [s.source for s in document.paragraphs[3].sentences][1] == "Asien und Europa."
    assert (
        document.paragraphs[5].sentences[0].source
        == "Sie einigten sich auf gegenseitige Militärhilfe"
    )
    assert document.paragraphs[5].is_heading
    assert not document.paragraphs[2].is_heading
    assert document.sentences[-1].source == "-"
    _assert_lossless(text)


def test_non_str_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="must be str"):
        segment(b"Hallo")  # type: ignore[arg-type]


def _assert_lossless(text: str) -> None:
    document = segment(text)
    rebuilt = []
    position = 0
    for sentence in document.sentences:
        gap = text[position : sentence.start]
        assert gap == "" or gap.isspace(), (gap, sentence)
        assert sentence.source == text[sentence.start : sentence.end]
        assert sentence.source and sentence.source == sentence.source.strip()
        rebuilt.append(gap + sentence.source)
        position = sentence.end
    tail = text[position:]
    assert tail == "" or tail.isspace()
    assert "".join(rebuilt) + tail == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_lossless_for_any_unicode(text: str) -> None:
    _assert_lossless(text)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Hallo.",
                " ",
                "\r\n",
                "\n\n",
                "\t",
                "\u00a0",
                "z. B.",
                "3. Liga",
                "„Zitat.“",
                "😀",
                "usw.",
                "?",
                "Dr.",
                "\u2028",
                "-",
                "Ä",
                "a",
            ]
        ),
        max_size=40,
    ).map("".join)
)
def test_lossless_for_german_like_text(text: str) -> None:
    _assert_lossless(text)
