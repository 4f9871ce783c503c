"""Who may frame the app behind nginx (docs/embed.md): only the app's own site by default,
the clinic's site when MASSAGE_ADVISOR_FRAME_ANCESTORS names it, and a bad value is refused."""

from __future__ import annotations

import re

import pytest

from deploy.cluster import (
    TEMPLATE,
    ClusterError,
    State,
    frame_ancestors,
    nginx_config,
)

HEADER = re.compile(r'^\s*add_header Content-Security-Policy "frame-ancestors ([^"]*)" always;$')


def frame_header(config: str) -> list[str]:
    return [found.group(1) for line in config.splitlines() if (found := HEADER.match(line))]


def test_by_default_only_the_app_itself_may_frame_it(tmp_path):
    config = nginx_config(State(str(tmp_path), 8080, [9001], "sqlite://"))
    assert frame_header(config) == ["'self'"]
    # no X-Frame-Options: it cannot name a clinic's site, and CSP frame-ancestors replaces it
    assert not [line for line in config.splitlines() if "add_header X-Frame-Options" in line]


def test_the_clinic_site_named_in_the_setting_reaches_the_header(tmp_path):
    framers = frame_ancestors("'self'  https://www.riverside.example https://*.clinic.example:8443")
    assert framers == "'self' https://www.riverside.example https://*.clinic.example:8443"
    state = State(str(tmp_path), 8080, [9001], "sqlite://", frame_ancestors=framers)
    assert frame_header(nginx_config(state)) == [framers]


@pytest.mark.parametrize("unset", [None, "", "   "])
def test_an_unset_setting_keeps_the_safe_default(unset):
    assert frame_ancestors(unset) == "'self'"


@pytest.mark.parametrize(
    "bad",
    [
        "*",
        "http://www.riverside.example",  # not https
        'https://a.example" always; add_header X-Evil "1',  # header injection
        "https://a.example; script-src *",
        "self",  # the quotes are part of the keyword
    ],
)
def test_a_bad_source_is_refused_by_name(bad):
    with pytest.raises(ClusterError, match=r"MASSAGE_ADVISOR_FRAME_ANCESTORS: .* is not 'self'"):
        frame_ancestors(bad)


def test_the_header_is_sent_on_every_answer_of_the_server_block():
    # at server level and `always`: on the app's pages and on the error page alike, and no
    # location has its own add_header (which would drop the inherited ones)
    lines = TEMPLATE.read_text().splitlines()
    server = next(i for i, line in enumerate(lines) if line.strip() == "server {")
    header = next(i for i, line in enumerate(lines) if "frame-ancestors" in line)
    first_location = next(i for i, line in enumerate(lines) if line.strip().startswith("location"))
    assert server < header < first_location
    assert sum("add_header" in line for line in lines[first_location:]) == 0
