"""The reader page in a real browser (Debian's Chromium through Playwright) and via gradio_client.

The app is served in-process on 127.0.0.1 with the tiny fixture model. These tests fail, never
skip, when Chromium is missing: `make test` installs it.
"""

from __future__ import annotations

import os
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from translate.export import read_tsv

from .conftest import FIXTURE_MODEL, SEED_ARTICLE, reference_pairs

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAIRS = reference_pairs()
MAX_CHARS = 5000
DONE = "#br-reader-box .br-status:has-text('sentences in')"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    saved = {k: os.environ.get(k) for k in ("TRANSLATE_MODEL", "TRANSLATE_CACHE_DIR")}
    os.environ["TRANSLATE_MODEL"] = str(FIXTURE_MODEL)
    os.environ["TRANSLATE_CACHE_DIR"] = str(tmp_path_factory.mktemp("ui-cache"))
    import ui

    demo = ui.build_ui(max_chars=MAX_CHARS)
    port = _free_port()
    ui.launch(demo, host="127.0.0.1", port=port, prevent_thread_lock=True, quiet=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        yield url
    finally:
        demo.close()
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), "Chromium missing: run `make test` (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(server)
    page.wait_for_selector("#br-translate")
    yield page
    context.close()


def _translate(page: Any, text: str) -> None:
    page.fill("#br-source textarea", text)
    page.click("#br-translate")
    page.wait_for_selector(DONE, timeout=60_000)


def _texts(page: Any, selector: str) -> list[str]:
    return list(page.eval_on_selector_all(selector, "els => els.map(e => e.textContent)"))


def _active(page: Any) -> list[str]:
    script = "els => els.map(e => e.dataset.i)"
    return list(page.eval_on_selector_all("#br-reader-box .br-active", script))


def test_seed_article_side_by_side(page: Any) -> None:
    _translate(page, SEED_ARTICLE.read_text(encoding="utf-8"))
    german = _texts(page, "#br-reader-box .br-de .br-s")
    english = _texts(page, "#br-reader-box .br-en .br-s")
    assert len(german) == len(english) == 17
    assert german[6] == "Asien und Europa."
    for de, en in zip(german, english, strict=True):
        assert en == PAIRS[de]
    assert english[0] == (
        "Seoul, Tokyo and Washington condemn the Pyongyang-Moscow pact – DW – 24.06.2024"
    )
    rows = page.query_selector_all("#br-reader-box .br-row")
    assert len(rows) == 14
    # Paragraph rows align: each German paragraph starts at the height of its English partner.
    for row in rows:
        de_box = row.query_selector(".br-de").bounding_box()
        en_box = row.query_selector(".br-en").bounding_box()
        assert abs(de_box["y"] - en_box["y"]) < 1
    assert page.query_selector_all("#br-reader-box .br-row.br-heading")


def test_hover_and_keys_link_sentence_pairs(page: Any) -> None:
    _translate(page, SEED_ARTICLE.read_text(encoding="utf-8"))
    page.hover("#br-reader-box .br-de .br-s[data-i='5']")
    active = page.eval_on_selector_all(
        "#br-reader-box .br-active",
        "els => els.map(e => [e.closest('.br-col').className, e.dataset.i])",
    )
    assert sorted(active) == [["br-col br-de", "5"], ["br-col br-en", "5"]]
    page.hover("#br-reader-box .br-en .br-s[data-i='9']")
    assert _texts(page, "#br-reader-box .br-de .br-active") == [
        "Das sogenannte „Umfassende Strategische Partnerschaftsabkommen“, das eine gegenseitige "
        "Militärhilfeklausel im Falle einer Aggression gegen ihre Gebiete enthält, wurde letzte "
        "Woche zeitgleich mit dem Besuch des russischen Präsidenten Wladimir Putin in Pjöngjang "
        "unterzeichnet, der das Abkommen gemeinsam unterzeichnete mit dem Nordkoreaner Kim Jong-un."
    ]
    page.mouse.move(5, 5)
    page.click("h2")  # focus the page, not a text field
    page.keyboard.press("j")
    assert page.eval_on_selector_all(
        "#br-reader-box .br-active", "e => e.map(x => x.dataset.i)"
    ) == [
        "10",
        "10",
    ]
    page.keyboard.press("k")
    page.keyboard.press("ArrowUp")
    assert page.eval_on_selector_all(
        "#br-reader-box .br-active", "e => e.map(x => x.dataset.i)"
    ) == [
        "8",
        "8",
    ]


def test_layout_switches(page: Any) -> None:
    _translate(page, "Guten Morgen. Wie geht es dir?\n\nAsien und Europa.")
    assert page.query_selector("#br-reader-box .br-reader.br-side")
    page.click("#br-layout label:has-text('Interlinear')")
    page.wait_for_selector("#br-reader-box .br-reader.br-inter")
    pairs = page.eval_on_selector_all(
        "#br-reader-box .br-pair",
        "els => els.map(e => [e.querySelector('.br-de').textContent, "
        "e.querySelector('.br-en').textContent])",
    )
    assert pairs == [
        ["Guten Morgen.", "Good morning."],
        ["Wie geht es dir?", "How are you?"],
        ["Asien und Europa.", "Asia and Europe."],
    ]
    page.click("#br-blur label")
    page.wait_for_selector("#br-reader-box .br-reader.br-inter.br-blur")
    blurred = page.eval_on_selector(
        "#br-reader-box .br-en .br-s", "e => getComputedStyle(e).filter"
    )
    assert blurred.startswith("blur")
    page.click("#br-numbers label")
    page.wait_for_selector("#br-reader-box .br-reader.br-numbers")
    assert _texts(page, "#br-reader-box .br-num") == ["1", "2", "3"]
    page.click("#br-layout label:has-text('Side by side')")
    page.wait_for_selector("#br-reader-box .br-reader.br-side.br-blur.br-numbers")


def _download(page: Any, fmt: str) -> str:
    with page.expect_download() as info:
        page.click(f"#br-dl-{fmt}")
    return Path(info.value.path()).read_text(encoding="utf-8")


def test_downloads_tsv_and_tmx(page: Any) -> None:
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    _translate(page, text)
    pairs = read_tsv(_download(page, "tsv"))
    assert len(pairs) == 17
    assert all(PAIRS[de] == en for de, en in pairs)
    tmx = ET.fromstring(_download(page, "tmx").encode("utf-8"))
    assert tmx.get("version") == "1.4"
    units = tmx.findall("body/tu")
    assert len(units) == 17
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    first = {tuv.get(lang): tuv.findtext("seg") for tuv in units[2].findall("tuv")}
    assert first == {
        "de": "Seoul, Tokio und Washington verurteilen den Pjöngjang-Moskau-Pakt – DW – 24.06.2024",
        "en": "Seoul, Tokyo and Washington condemn the Pyongyang-Moscow pact – DW – 24.06.2024",
    }
    props = {p.get("type"): p.text for p in tmx.findall("header/prop")}
    assert props["x-model"] == str(FIXTURE_MODEL)
    assert props["x-num_beams"] == "4"


XSS = (
    "Achtung <script>window.__xss_script = 1</script> hier.\n\n"
    "<img src=x onerror=\"window.__xss_img = 1\"> Bild & „Zitat“ 'einfach'.\n\n"
    "Vorlage ${window.__xss_tpl = 1} und `x` und {{value}}."
)


def test_hostile_article_renders_as_text_and_runs_nothing(page: Any) -> None:
    _translate(page, XSS)
    german = _texts(page, "#br-reader-box .br-de .br-s")
    assert german == [
        "Achtung <script>window.__xss_script = 1</script> hier.",
        "<img src=x onerror=\"window.__xss_img = 1\"> Bild & „Zitat“ 'einfach'.",
        "Vorlage ${window.__xss_tpl = 1} und `x` und {{value}}.",
    ]
    time.sleep(0.5)
    injected = page.evaluate("() => Object.keys(window).filter(k => k.startsWith('__xss'))")
    assert injected == []
    assert page.query_selector_all("#br-reader-box img") == []
    assert page.query_selector_all("#br-reader-box script") == []


def _choose_model(page: Any, label: str) -> None:
    page.click("#br-model input")
    page.click(f"[role=option]:has-text('{label}')")
    page.wait_for_function(
        f"() => document.querySelector('#br-model input').value.includes({label!r})"
    )


def test_errors_show_in_page_and_page_keeps_working(page: Any) -> None:
    page.fill("#br-source textarea", "   ")
    page.click("#br-translate")
    page.wait_for_selector("text=the text is empty", timeout=10_000)
    page.fill("#br-source textarea", "x" * (MAX_CHARS + 1))
    page.click("#br-translate")
    page.wait_for_selector(f"text=the limit is {MAX_CHARS:,}", timeout=10_000)
    # A model that cannot be had offline: the message names it and says what to do.
    _choose_model(page, "de-en —")
    page.fill("#br-source textarea", "Guten Morgen.")
    page.click("#br-translate")
    notice = page.wait_for_selector(
        "#br-reader-box .br-notice:has-text('not in the local Hugging Face cache')",
        timeout=20_000,
    )
    assert "Helsinki-NLP/opus-mt-de-en" in notice.text_content()
    assert "TRANSLATE_MODEL" in notice.text_content()
    _choose_model(page, "(TRANSLATE_MODEL)")
    _translate(page, "Guten Morgen.")
    assert _texts(page, "#br-reader-box .br-en .br-s") == ["Good morning."]


def test_upload_fills_the_text(page: Any, tmp_path: Path) -> None:
    article = tmp_path / "artikel.html"
    article.write_text(
        "<html><head><title>T</title></head><body><nav>Menü</nav><article>"
        "<h1>Wetter am Wochenende</h1><p>Guten Morgen. Wie geht es dir?</p>"
        "</article></body></html>",
        encoding="utf-8",
    )
    page.click("button[role='tab']:has-text('Upload')")
    page.set_input_files("#br-upload input[type='file']", str(article))
    page.click("button[role='tab']:has-text('Paste')")
    page.wait_for_function(
        "() => document.querySelector('#br-source textarea').value.includes('Guten Morgen.')"
    )
    assert "Guten Morgen. Wie geht es dir?" in page.input_value("#br-source textarea")
    page.wait_for_selector("#br-reader-box :text('characters from artikel.html')")
    # An unreadable file: the message shows in the reading area, the text stays.
    broken = tmp_path / "kaputt.docx"
    broken.write_bytes(b"not a zip file")
    page.click("button[role='tab']:has-text('Upload')")
    page.click("#br-upload button[aria-label*='Clear' i], #br-upload button:has-text('×')")
    page.set_input_files("#br-upload input[type='file']", str(broken))
    page.wait_for_selector(
        "#br-reader-box .br-notice:has-text('kaputt.docx could not be read as DOCX')"
    )
    page.click("button[role='tab']:has-text('Paste')")
    assert "Guten Morgen. Wie geht es dir?" in page.input_value("#br-source textarea")


def test_gradio_client_returns_sentence_pairs(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict(
        SEED_ARTICLE.read_text(encoding="utf-8"), str(FIXTURE_MODEL), 4, api_name="/translate"
    )
    pairs = result["pairs"]
    assert len(pairs) == 17
    assert [p["translation"] for p in pairs] == [PAIRS[p["source"]] for p in pairs]
    assert pairs[6] == {
        "index": 6,
        "paragraph": 3,
        "source": "Asien und Europa.",
        "translation": "Asia and Europe.",
        "start": pairs[6]["start"],
        "end": pairs[6]["start"] + len("Asien und Europa."),
    }
    assert result["signature"]["num_beams"] == 4


@pytest.mark.parametrize("beams", [-3, 9, 500])
def test_api_rejects_bad_beam_sizes(server: str, beams: int) -> None:
    from gradio_client import Client
    from gradio_client.exceptions import AppError

    client = Client(server, verbose=False)
    with pytest.raises(AppError, match=r"num_beams must be 0 \(the model's default\) or 1 to 8"):
        client.predict("Guten Morgen.", str(FIXTURE_MODEL), beams, api_name="/translate")


@pytest.mark.parametrize("value", ["abc", "0", "70000"])
def test_bad_port_is_a_usage_error(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    import ui

    with pytest.raises(SystemExit) as caught:
        ui.main(["--port", value])
    assert caught.value.code == 2
    assert f"not a port number: {value!r}" in capsys.readouterr().err
