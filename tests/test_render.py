"""The bilingual HTML reading view: structure, alignment markers and escaping."""

from __future__ import annotations

import re

import pytest

from translate.document import Document
from translate.render import render_reader, standalone_html, text_html
from translate.segment import segment


def _translated(text: str, translations: list[str]) -> Document:
    document = segment(text)
    for sentence, english in zip(document.sentences, translations, strict=True):
        sentence.translation = english
    document.signature = {"model": "m", "num_beams": 4}
    return document


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('<img src=x onerror="f()">', "&lt;img src=x onerror=&quot;f()&quot;&gt;"),
        ("Tom & Jerry", "Tom &amp; Jerry"),
        ("it's", "it&#x27;s"),
        ("${window.x=1}", "&#36;{window.x=1}"),
        ("`code`", "&#96;code&#96;"),
        ("{{value}}", "{{value}}"),
    ],
)
def test_text_html_escapes(text: str, escaped: str) -> None:
    assert text_html(text) == escaped


def test_side_by_side_rows_pair_paragraphs() -> None:
    document = _translated(
        "Titel\n\nGuten Morgen. Wie geht es dir?\nZweite Zeile.",
        ["Title", "Good morning.", "How are you?", "Second line."],
    )
    html = render_reader(document)
    assert html.count('class="br-row') == 2
    assert 'class="br-row br-heading" data-p="0"' in html
    assert re.findall(r'data-i="(\d)"', html) == ["0", "0", "1", "2", "3", "1", "2", "3"]
    # Sentences of one line are separated by a space, a line break becomes <br>.
    assert "Guten Morgen.</span> <span" in html
    assert "How are you?</span><br><span" in html
    assert 'data-count="4"' in html


def test_pending_sentences_and_options() -> None:
    document = segment("Guten Morgen. Wie geht es dir?")
    document.sentences[0].translation = "Good morning."
    html = render_reader(document, "inter", numbers=True, blur=True, status="1 of 2")
    assert 'class="br-reader br-inter br-numbers br-blur"' in html
    assert html.count('class="br-pair"') == 2
    assert 'class="br-s br-pending" data-i="1"' in html
    assert '<sup class="br-num">2</sup>' in html
    assert 'role="status">1 of 2</div>' in html


def test_unknown_layout() -> None:
    with pytest.raises(ValueError, match="layout must be one of side, inter"):
        render_reader(segment("Hallo."), "columns")  # type: ignore[arg-type]


def test_hostile_text_never_becomes_markup() -> None:
    hostile = '<b onclick="x()">fett</b> & ${a} "q"'
    document = _translated(hostile, [hostile])
    for html in (render_reader(document), standalone_html(document)):
        assert "<b " not in html and "${a}" not in html
        assert html.count("&lt;b onclick=&quot;x()&quot;&gt;fett&lt;/b&gt;") >= 2


def test_standalone_page_is_complete() -> None:
    document = _translated("Guten Morgen.", ["Good morning."])
    page = standalone_html(document)
    assert page.startswith("<!DOCTYPE html>")
    assert "<style>" in page and "brInstall(document.getElementById('br-root'))" in page
    assert "model=m, num_beams=4" in page
    assert "<title>Guten Morgen.</title>" in page
