"""Escaped bilingual HTML: the reading view used by the UI and the standalone HTML export.

Every piece of user text goes through :func:`html.escape` (quotes included) before it touches
markup; nothing user-controlled is ever placed in a template placeholder, script or URL.
"""

from __future__ import annotations

from html import escape
from typing import Literal

from .document import Document, Paragraph, Sentence

Layout = Literal["side", "inter"]
LAYOUTS: tuple[Layout, ...] = ("side", "inter")

READER_CSS = """
.br-reader { --br-active: #fff3b0; --br-active-edge: #e0b400; --br-muted: #6b7280;
  font: 17px/1.6 Georgia, 'DejaVu Serif', serif; color: #1f2328; }
.br-reader .br-colheads, .br-reader .br-row { display: grid; grid-template-columns: 1fr 1fr;
  column-gap: 2.5rem; }
.br-reader .br-colheads { font: 600 12px/1.4 system-ui, sans-serif; text-transform: uppercase;
  letter-spacing: .06em; color: var(--br-muted); border-bottom: 1px solid #e5e7eb;
  padding-bottom: .4rem; margin-bottom: .8rem; }
.br-reader .br-row { margin: 0 0 1.1em; align-items: start; }
.br-reader .br-heading { font-weight: 700; font-size: 1.15em; line-height: 1.35; }
.br-reader .br-s { border-radius: 3px; padding: 0 1px; cursor: pointer;
  transition: background-color .12s; outline: none; }
.br-reader .br-s:hover, .br-reader .br-s.br-active { background: var(--br-active);
  box-shadow: 0 0 0 1px var(--br-active-edge); }
.br-reader .br-pending { color: var(--br-muted); font-style: italic; }
.br-reader .br-num { display: none; font: 11px system-ui, sans-serif; color: var(--br-muted);
  vertical-align: super; margin-right: 2px; user-select: none; }
.br-reader.br-numbers .br-num { display: inline; }
.br-reader.br-blur .br-en .br-s:not(:hover):not(.br-active) { filter: blur(4px); }
.br-reader .br-pair { margin: 0 0 .55em; }
.br-reader .br-pair .br-en { color: #374151; font-size: .93em; margin-left: 1.2em;
  display: block; }
.br-reader .br-para { margin: 0 0 1.3em; }
.br-reader .br-status { font: 13px system-ui, sans-serif; color: var(--br-muted);
  margin-bottom: .6rem; }
@media (max-width: 720px) { .br-reader .br-row, .br-reader .br-colheads { display: block; }
  .br-reader .br-row .br-en { margin-top: .3em; } }
"""

# One delegated handler per reader root survives every re-render of its contents.
READER_JS = """
function brInstall(root) {
  if (!root || root.dataset.brReady) return;
  root.dataset.brReady = "1";
  const pairs = (i) => root.querySelectorAll('.br-s[data-i="' + i + '"]');
  const select = (i, scroll) => {
    root.querySelectorAll('.br-s.br-active').forEach((e) => e.classList.remove('br-active'));
    pairs(i).forEach((e) => e.classList.add('br-active'));
    root.dataset.brCurrent = String(i);
    if (scroll && pairs(i)[0]) pairs(i)[0].scrollIntoView({block: 'nearest'});
  };
  root.addEventListener('mouseover', (ev) => {
    const s = ev.target.closest && ev.target.closest('.br-s');
    if (s && root.contains(s)) select(s.dataset.i, false);
  });
  root.addEventListener('click', (ev) => {
    const s = ev.target.closest && ev.target.closest('.br-s');
    if (s && root.contains(s)) select(s.dataset.i, false);
  });
  document.addEventListener('keydown', (ev) => {
    const t = ev.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    const step = {ArrowDown: 1, j: 1, ArrowUp: -1, k: -1}[ev.key];
    const reader = root.querySelector('.br-reader');
    if (!step || !reader) return;
    const total = Number(reader.dataset.count || 0);
    if (!total) return;
    const now = root.dataset.brCurrent === undefined ? -1 : Number(root.dataset.brCurrent);
    select(Math.min(total - 1, Math.max(0, now + step)), true);
    ev.preventDefault();
  });
}
"""


def text_html(text: str) -> str:
    """``text`` escaped for HTML content and attributes.

    Besides ``& < > " '``, ``$`` and the backtick become character references too, so that no
    front-end template (Gradio's ``${...}`` placeholders) can ever read user text as code.
    """
    return escape(text, quote=True).replace("$", "&#36;").replace("`", "&#96;")


def _sentence_span(sentence: Sentence, side: str, numbers: bool) -> str:
    if side == "de":
        text, extra = sentence.source, ""
    elif sentence.translation is None:
        text, extra = "…", " br-pending"
    else:
        text, extra = sentence.translation, ""
    number = f'<sup class="br-num">{sentence.index + 1}</sup>' if side == "de" and numbers else ""
    return (
        f'<span class="br-s{extra}" data-i="{sentence.index}" tabindex="-1">'
        f"{number}{text_html(text)}</span>"
    )


def _column(document: Document, paragraph: Paragraph, side: str, numbers: bool) -> str:
    parts: list[str] = []
    previous: Sentence | None = None
    for sentence in paragraph.sentences:
        if previous is not None:
            gap = document.text[previous.end : sentence.start]
            parts.append("<br>" if any(ch in gap for ch in "\n\r\u2028\u2029\x0b\x0c\x85") else " ")
        parts.append(_sentence_span(sentence, side, numbers))
        previous = sentence
    return "".join(parts)


def render_reader(
    document: Document,
    layout: Layout = "side",
    *,
    numbers: bool = False,
    blur: bool = False,
    status: str = "",
) -> str:
    """The reading view of ``document`` as one HTML fragment (both languages, one root).

    Args:
        document: a segmented document; untranslated sentences show as pending.
        layout: ``side`` (two aligned columns) or ``inter`` (English under each sentence).
        numbers: show sentence numbers.
        blur: blur the English until the reader hovers or selects a sentence.
        status: a short line shown above the text (escaped).

    Raises:
        ValueError: unknown layout.
    """
    if layout not in LAYOUTS:
        raise ValueError(f"layout must be one of {', '.join(LAYOUTS)}, not {layout!r}")
    classes = (
        ["br-reader", f"br-{layout}"]
        + (["br-numbers"] if numbers else [])
        + (["br-blur"] if blur else [])
    )
    out = [f'<div class="{" ".join(classes)}" data-count="{len(document)}">']
    if status:
        out.append(f'<div class="br-status" role="status">{text_html(status)}</div>')
    if layout == "side":
        out.append('<div class="br-colheads"><div>Deutsch</div><div>English</div></div>')
        for paragraph in document.paragraphs:
            heading = " br-heading" if paragraph.is_heading else ""
            out.append(
                f'<div class="br-row{heading}" data-p="{paragraph.index}">'
                f'<div class="br-col br-de" lang="de">{_column(document, paragraph, "de", numbers)}'
                f'</div><div class="br-col br-en" lang="en">'
                f"{_column(document, paragraph, 'en', numbers)}</div></div>"
            )
    else:
        for paragraph in document.paragraphs:
            heading = " br-heading" if paragraph.is_heading else ""
            out.append(f'<div class="br-para{heading}" data-p="{paragraph.index}">')
            for sentence in paragraph.sentences:
                out.append(
                    f'<div class="br-pair"><span class="br-de" lang="de">'
                    f"{_sentence_span(sentence, 'de', numbers)}</span>"
                    f'<span class="br-en" lang="en">{_sentence_span(sentence, "en", numbers)}'
                    "</span></div>"
                )
            out.append("</div>")
    out.append("</div>")
    return "".join(out)


def standalone_html(document: Document, layout: Layout = "side", *, title: str = "") -> str:
    """A complete offline HTML page with the reading view, hover linking and keyboard steps."""
    signature = document.signature
    about = ", ".join(f"{key}={value}" for key, value in signature.items())
    page_title = title or (
        document.sentences[0].source[:80] if len(document) else "Bilingual Reader"
    )
    return (
        '<!DOCTYPE html>\n<html lang="de"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="{text_html(about)}">'
        f"<title>{text_html(page_title)}</title>"
        "<style>body{max-width:1100px;margin:2rem auto;padding:0 1rem;}"
        ".br-footer{font:12px system-ui,sans-serif;color:#6b7280;margin-top:2rem;}"
        f"{READER_CSS}</style></head><body>"
        f'<div id="br-root">{render_reader(document, layout)}</div>'
        f'<p class="br-footer">Translated by {text_html(about)}</p>'
        f"<script>{READER_JS}\nbrInstall(document.getElementById('br-root'));</script>"
        "</body></html>\n"
    )
