"""Save docs/screenshot.png: the reader with the example article, one sentence pair highlighted.

    python scripts/screenshot.py [--model tests/fixtures/tiny-de-en] [--out docs/screenshot.png]

Serves the app on 127.0.0.1 (a free port) and drives Debian's Chromium with Playwright.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "tests" / "fixtures" / "tiny-de-en"))
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    args = parser.parse_args()
    os.environ["TRANSLATE_MODEL"] = args.model
    sys.path.insert(0, str(ROOT))
    from playwright.sync_api import sync_playwright

    import ui

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    demo = ui.build_ui()
    ui.launch(demo, port=port, prevent_thread_lock=True, quiet=True)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=[
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                ],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 1180})
            page.goto(f"http://127.0.0.1:{port}/")
            page.click("#br-example")
            page.wait_for_function("() => document.querySelector('#br-source textarea').value")
            page.click("#br-translate")
            page.wait_for_selector("#br-reader-box .br-status:has-text('sentences in')")
            page.hover("#br-reader-box .br-en .br-s[data-i='5']")
            args.out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(args.out))
            browser.close()
    finally:
        demo.close()
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
