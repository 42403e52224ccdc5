"""Export writers: every format holds every pair, keeps the text exactly and names the model."""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from translate.document import Document
from translate.errors import ExportError
from translate.export import FORMATS, export, read_tsv, to_markdown, write_atomic
from translate.segment import segment

LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _document() -> Document:
    text = 'Titel\n\nEin "Tab"\tim | Satz. Zweiter *Satz* <b>.\nDritte & letzte Zeile\x01.'
    document = segment(text)
    english = ["Title", 'A "tab"\tin | sentence.', "Second *sentence* <b>.", "Third & last\x01."]
    for sentence, translation in zip(document.sentences, english, strict=True):
        sentence.translation = translation
    document.signature = {"model": "Helsinki-NLP/opus-mt-de-en", "revision": "abc", "num_beams": 4}
    return document


def test_formats_table() -> None:
    assert {name: ext for name, (ext, _) in FORMATS.items()} == {
        "text": ".txt",
        "html": ".html",
        "markdown": ".md",
        "tsv": ".tsv",
        "tmx": ".tmx",
        "json": ".json",
    }


def test_text_keeps_paragraphs() -> None:
    assert export(_document(), "text") == (
        'Title\n\nA "tab"\tin | sentence. Second *sentence* <b>.\nThird & last\x01.\n'
    )


def test_tsv_round_trips_tabs_and_quotes() -> None:
    tsv = export(_document(), "tsv")
    assert tsv.startswith("#separator:tab\n#html:false\n#columns:Deutsch\tEnglish\n")
    assert "model=Helsinki-NLP/opus-mt-de-en" in tsv.splitlines()[3]
    assert read_tsv(tsv) == [(s.source, s.translation) for s in _document().sentences]
    assert len([line for line in tsv.splitlines() if not line.startswith("#")]) == 4


def test_tmx_is_valid_with_one_unit_per_sentence() -> None:
    root = ET.fromstring(export(_document(), "tmx").encode("utf-8"))
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    assert header is not None and header.get("srclang") == "de"
    assert header.get("segtype") == "sentence"
    props = {p.get("type"): p.text for p in header.findall("prop")}
    assert props == {
        "x-model": "Helsinki-NLP/opus-mt-de-en",
        "x-revision": "abc",
        "x-num_beams": "4",
    }
    units = root.findall("body/tu")
    assert len(units) == 4
    segs = [{tuv.get(LANG): tuv.findtext("seg") for tuv in unit.findall("tuv")} for unit in units]
    assert segs[1] == {"de": 'Ein "Tab"\tim | Satz.', "en": 'A "tab"\tin | sentence.'}
    # XML 1.0 cannot carry U+0001; it becomes U+FFFD instead of making the file invalid.
    assert segs[3] == {"de": "Dritte & letzte Zeile\ufffd.", "en": "Third & last\ufffd."}
    assert [u.findtext("prop") for u in units] == ["0", "1", "1", "1"]


def test_json_round_trips_the_document() -> None:
    document = _document()
    data = json.loads(export(document, "json"))
    assert data["format"] == "bilingual-reader" and data["version"] == 1
    rebuilt = Document.from_dict(data)
    assert rebuilt.text == document.text
    assert rebuilt.sentences == document.sentences
    assert rebuilt.signature == document.signature
    assert data["paragraphs"][0]["heading"] is True


def test_markdown_escapes_and_names_model() -> None:
    table = to_markdown(_document())
    assert table.splitlines()[0].startswith("<!-- model=Helsinki-NLP/opus-mt-de-en")
    assert "| Zweiter \\*Satz\\* \\<b\\>. | Second \\*sentence\\* \\<b\\>. |" in table
    assert '| Ein "Tab" im \\| Satz. | A "tab" in \\| sentence. |' in table
    assert "| | |" in table  # paragraph break
    inter = to_markdown(_document(), "interlinear")
    assert "Dritte &amp; letzte Zeile\x01.  \n*Third &amp; last\x01.*" in inter
    with pytest.raises(ExportError, match="unknown Markdown style"):
        to_markdown(_document(), "grid")


def test_tsv_keeps_rows_that_start_with_hash() -> None:
    document = segment("#MeToo ist eine Bewegung.\nZweiter Satz.")
    for sentence, english in zip(
        document.sentences, ["#MeToo is a movement.", "Second sentence."], strict=True
    ):
        sentence.translation = english
    tsv = export(document, "tsv")
    assert '"#MeToo ist eine Bewegung."\t"#MeToo is a movement."\n' in tsv
    assert read_tsv(tsv) == [
        ("#MeToo ist eine Bewegung.", "#MeToo is a movement."),
        ("Zweiter Satz.", "Second sentence."),
    ]


@pytest.mark.parametrize(
    ("text", "markdown"),
    [("- Liste eins", "\\- Liste eins"), ("1. Punkt", "1\\. Punkt"), ("+ x", "\\+ x")],
)
def test_markdown_escapes_list_markers(text: str, markdown: str) -> None:
    document = segment(text)
    document.sentences[0].translation = "x"
    assert f"{markdown}  \n" in to_markdown(document, "interlinear")


def test_written_files_are_readable_by_others(tmp_path: Path) -> None:
    target = write_atomic(tmp_path / "a.html", "x")
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    write_atomic(target, "y")
    assert target.stat().st_mode & 0o777 == 0o600


def test_html_is_standalone() -> None:
    html = export(_document(), "html")
    assert html.startswith("<!DOCTYPE html>") and "&lt;b&gt;" in html and "<b>." not in html


def test_untranslated_and_unknown() -> None:
    with pytest.raises(ExportError, match=r"not fully translated \(2 sentences missing\)"):
        export(segment("Eins. Zwei."), "tsv")
    with pytest.raises(ExportError, match="unknown format 'docx'"):
        export(_document(), "docx")


def test_write_atomic_leaves_nothing_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out" / "a.tsv"
    write_atomic(target, "first")
    assert target.read_text(encoding="utf-8") == "first"

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "second")
    assert target.read_text(encoding="utf-8") == "first"
    assert sorted(p.name for p in target.parent.iterdir()) == ["a.tsv"]
