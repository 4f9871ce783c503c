"""The clinic's own services on Find my massage, in a browser: a name is shown as typed, never as
markup or a live link (Streamlit's markdown links a bare address even when it is escaped)."""

from __future__ import annotations

import pandas as pd
import pytest

from advisor.answers.store import AnswerStore
from advisor.clinic.menu import NAME, blend_fits
from tests.browser.support import (
    ROOT,
    VIEWPORTS,
    demand_url,
    expect,
    serve_app,
    wait_for_app,
)

pytestmark = pytest.mark.browser

LOG = ROOT / "artifacts" / "browser-tests-menu-names.log"
NAMES = (
    "Deep tissue, see www.evil.example",
    "**Hot** stone [book](https://evil.example/x) <b>90</b>",
    "Ask ana@evil.example",
)


@pytest.mark.timeout(180)
def test_service_names_with_addresses_are_never_links(browser, app_catalog):
    with serve_app(LOG) as url:
        menu = pd.DataFrame(
            [
                {NAME: name, **blend_fits(app_catalog.fits, share).to_dict()}
                for name, share in zip(NAMES, (0.9, 0.5, 0.1), strict=True)
            ]
        )
        AnswerStore(demand_url(LOG)).save_menu(menu)
        context = browser.new_context(viewport=VIEWPORTS["desktop"])
        try:
            page = context.new_page()
            page.goto(f"{url}/find?preset=injury&safety=none")
            wait_for_app(page)
            box = page.locator(".st-key-fm_clinic")
            expect(box).to_contain_text("Deep tissue, see www")
            expect(box).to_contain_text("**Hot** stone [book](https")
            hrefs = page.locator('[data-testid="stMain"] a').evaluate_all(
                "links => links.map(a => a.href)"
            )
            assert not [h for h in hrefs if "evil" in h], hrefs
            assert box.locator("b").count() == 0  # the name's <b> is text, not a tag
            assert box.get_by_text("Hot", exact=True).count() == 0  # nor its ** bold
        finally:
            context.close()
