"""Position my clinic in headless Chromium: the page's height in screens, and screenshots.

Serves app.py of a checkout (this one unless --root names another, e.g. the code before a
change), opens /clinic at a phone's (390 x 844) or a desktop's (1440 x 900) size, uploads a
survey when one is given (and confirms the proposed mapping when the page asks), then prints the
page's height in pixels and in screens, and saves the first screen and the whole page as PNGs.

    python -m scripts.clinic_shots [--root PATH] [--survey FILE] [--size phone|desktop]
        [--out DIR] [--name NAME] [--no-confirm]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import tempfile
from pathlib import Path
from types import ModuleType

from devtools.browser import CHROMIUM, CHROMIUM_ARGS, READY

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1440, "height": 900}}
HEIGHT = """() => {
  const main = document.querySelector('[data-testid="stMain"]');
  return Math.max(document.body.scrollHeight, main ? main.scrollHeight : 0);
}"""
UPLOADER = "Upload your client survey"


def _ready(page) -> None:
    page.wait_for_timeout(400)
    page.wait_for_function(READY, timeout=120_000)
    page.wait_for_timeout(800)


def _upload(page, survey: Path, confirm_mapping: bool = True) -> None:
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text=UPLOADER)
    uploader.locator('input[type="file"]').set_input_files(survey)
    _ready(page)
    confirm = page.get_by_role("button", name="Confirm the mapping")
    if confirm_mapping and confirm.count() and confirm.first.is_enabled():
        confirm.first.click()
        _ready(page)


def measure(
    url: str, size: str, survey: Path | None, out: Path, name: str, confirm: bool = True
) -> dict:
    """Open the clinic page, upload `survey` if given (and confirm its mapping unless told not
    to), save <name>.png and <name>-full.png."""
    from playwright.sync_api import sync_playwright

    viewport = SIZES[size]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            page = browser.new_page(viewport=viewport)
            page.goto(url + "/clinic", wait_until="domcontentloaded")
            page.locator("h1").first.wait_for(state="visible", timeout=120_000)
            _ready(page)
            if survey is not None:
                _upload(page, survey, confirm)
            page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
            out.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out / f"{name}.png"))
            height = int(page.evaluate(HEIGHT))
            page.set_viewport_size({"width": viewport["width"], "height": min(height, 30_000)})
            page.wait_for_timeout(1000)
            page.screenshot(path=str(out / f"{name}-full.png"))
        finally:
            browser.close()
    return {
        "size": size,
        "survey": survey.name if survey else None,
        "height_px": height,
        "screens": round(height / viewport["height"], 1),
    }


def _serving(root: Path) -> ModuleType:
    """The devtools/serving.py of the checkout at `root`, loaded from its file: it serves that
    checkout's app.py from that folder. Loaded by path, not imported, so that this checkout's
    devtools package (the browser settings above) stays the one `devtools` names."""
    path = root / "devtools" / "serving.py"
    if not path.is_file():
        raise SystemExit(f"{root}: no devtools/serving.py to serve its app with")
    spec = importlib.util.spec_from_file_location("served_checkout", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--survey", type=Path)
    parser.add_argument("--size", choices=list(SIZES), default="phone")
    parser.add_argument("--out", type=Path, default=Path("artifacts/clinic-shots"))
    parser.add_argument("--name", default="clinic")
    parser.add_argument(
        "--no-confirm", action="store_true", help="stop in the mapping step, before Confirm"
    )
    args = parser.parse_args()
    serving = _serving(args.root.resolve())
    with tempfile.TemporaryDirectory() as scratch:
        env = serving.server_env(DATABASE_URL=f"sqlite:///{Path(scratch) / 'answers.sqlite3'}")
        log_path = Path(scratch) / "streamlit.log"
        with log_path.open("w") as log, serving.served(serving.APP, log, env) as (url, _pid):
            survey = args.survey.resolve() if args.survey else None
            out = args.out.resolve()
            result = measure(url, args.size, survey, out, args.name, not args.no_confirm)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
