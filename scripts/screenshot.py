"""Make docs/find-my-massage.png, the README's picture of the app: Find my massage with the
"Unwind after a hard week" goal chosen, the safety question answered ("None of these apply to
me") and the answer beside the sliders, at 1440 x 900 in headless Chromium.

The app is served from this checkout (devtools.serving), so the picture shows the code as it is.

    python -m scripts.screenshot [--out docs/find-my-massage.png] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from devtools.browser import CHROMIUM, CHROMIUM_ARGS, READY
from devtools.serving import APP, ROOT, served, server_env

OUT = ROOT / "docs" / "find-my-massage.png"
VIEWPORT = {"width": 1440, "height": 900}
PAGE = "/find?preset=unwind&safety=none"


def take(url: str, out: Path, chromium: str) -> None:
    """Open `url` at 1440 x 900 and save the first screen as `out` once the page is ready."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(url, wait_until="domcontentloaded")
            page.locator("h1").first.wait_for(state="visible", timeout=60_000)
            page.wait_for_function(READY, timeout=60_000)
            page.wait_for_timeout(500)  # the last layout pass of the charts
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
        finally:
            browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNG goes")
    parser.add_argument("--chromium", default=CHROMIUM, help="Chromium's executable")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        log_path = Path(scratch) / "streamlit.log"
        # A throw-away answer store: taking the picture never touches local-data/.
        env = server_env(DATABASE_URL=f"sqlite:///{Path(scratch) / 'answers.sqlite3'}")
        with log_path.open("w") as log, served(APP, log, env) as (url, _pid):
            take(url + PAGE, args.out, args.chromium)
    print(f"saved {args.out}")


if __name__ == "__main__":
    main()
