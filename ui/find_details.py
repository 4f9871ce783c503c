"""Find my massage: the share link and downloads to take the answer away (just under the match
chart, so a phone reaches them within a screen of the answer); and below both columns the
contributions, next steps, a typical session and the opt-in."""

from __future__ import annotations

from functools import partial
from typing import NamedTuple
from urllib.parse import urlencode

import streamlit as st

from advisor.catalog import Catalog
from advisor.decision.explanation import NEITHER_ADVICE, Explanation
from advisor.decision.takeaway import result_csv, takeaway_pdf
from advisor.figures.client import contribution_table, contributions_chart
from ui.about import current
from ui.find_answer import bullets
from ui.find_expect import expect_section
from ui.send_answers import send_answers_section
from ui.state import declare
from ui.widgets import chart

# A real button, big enough for a thumb, that copies the link in one tap. The page keeps the
# share link in its own address (st.query_params), so the button copies the parent page's
# address: its HTML never changes, and a slider move does not reload the frame. Streamlit lets
# the frame (st.iframe, same origin) write to the clipboard; a selected textarea is the fallback.
COPY_BUTTON = """<style>body{margin:0}</style><div style="
font-family:'Source Sans Pro','Source Sans',system-ui,-apple-system,
'Segoe UI',Roboto,sans-serif;display:flex;gap:12px;align-items:center;color:#31333f">
<button id="copy" type="button" style="font:inherit;font-size:16px;min-height:44px;
padding:0 16px;border-radius:8px;border:1px solid rgba(49,51,63,0.2);background:#fff;
color:inherit;cursor:pointer;display:flex;gap:8px;align-items:center"><svg width="18"
height="18" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M9 18q-.8 0
-1.4-.6T7 16V4q0-.8.6-1.4T9 2h9q.8 0 1.4.6T20 4v12q0 .8-.6 1.4T18 18Zm0-2h9V4H9Zm-4 6q-.8
0-1.4-.6T3 20V6h2v14h11v2Z"/></svg>Copy the link</button><span id="done" role="status"
style="font-size:15px"></span></div><script>
// The keyboard reaches the frame, not its button: pass the focus on, and ring the frame so the
// page shows where the focus is.
let frame = null;
try { frame = window.frameElement; } catch (e) { frame = null; }
window.addEventListener("focus", () => {
  document.getElementById("copy").focus();
  if (frame) { frame.style.outline = "2px solid #00629B"; frame.style.outlineOffset = "2px"; }
});
window.addEventListener("blur", () => { if (frame) { frame.style.outline = ""; } });
function fallback(link) {
  const area = document.createElement("textarea");
  area.value = link; document.body.appendChild(area); area.select();
  const ok = document.execCommand("copy"); area.remove(); return ok;
}
document.getElementById("copy").addEventListener("click", async () => {
  let ok = false;
  try {
    const link = window.parent.location.href;
    try { await navigator.clipboard.writeText(link); ok = true; } catch (e) { ok = fallback(link); }
  } catch (e) { ok = false; }
  document.getElementById("done").textContent = ok
    ? "Copied: paste it anywhere to open this answer again."
    : "Could not copy: copy this page's address from the address bar instead.";
});
</script>"""

STATE = declare(
    __name__,
    owned=("fm_contributions", "contrib_*"),
    kept=("fm_contributions",),
)


class Choices(NamedTuple):
    """What the visitor chose outside the sliders, and the share link's parameters."""

    preset: str
    certainty: str
    flags: list[str] | None
    params: dict[str, str]


def copy_button() -> None:
    """The one-tap copy button for the page's own address (the share link)."""
    st.iframe(COPY_BUTTON, height=52)


def _contributions(exp: Explanation, catalog: Catalog) -> None:
    panel = st.expander(
        "Where each match comes from: what each priority adds",
        key="fm_contributions",
        on_change="rerun",
        icon=":material/stacked_bar_chart:",
    )
    if panel.open:  # drawn only while open: a slider move does not pay for it closed
        with panel:
            chart(contributions_chart(exp.result, catalog, exp.contributions_title), "contrib")
            table = contribution_table(exp.result, catalog)
            st.dataframe(table, hide_index=True, key="contrib_table")


def _next_steps(exp: Explanation, catalog: Catalog) -> None:
    if not exp.next_steps:  # neither fits well: what to ask instead
        st.subheader("What to do next", anchor=False)
        st.markdown(NEITHER_ADVICE)
        return
    st.subheader(f"What to do next: {exp.leader_name}", anchor=False)
    cleared = "Once a healthcare provider has cleared you:\n\n" if exp.needs_provider else ""
    steps = bullets(
        f"**{s.heading}**: {s.text} *(source: {s.section_title})*" for s in exp.next_steps
    )
    st.markdown(f"{cleared}{steps}")


def details_section(exp: Explanation, choices: Choices, catalog: Catalog) -> None:
    """Everything below the answer; call only when there is an answer (exp.strength set)."""
    _contributions(exp, catalog)
    _next_steps(exp, catalog)
    if exp.has_leader or exp.strength == "close":  # no type to expect when neither fits
        expect_section(exp, catalog)
    send_answers_section(exp, choices.preset, choices.certainty)
    _link_and_numbers(exp, choices, catalog)


def keep_section(exp: Explanation, choices: Choices, catalog: Catalog) -> None:
    """The copy button and the PDF, just under the match chart, so that a phone reaches them
    within a screen of the verdict (and the keyboard in two stops); call only when there is an
    answer. The link, and so the PDF's "open this answer again", carries the safety answer."""
    st.subheader("Keep or share this", anchor=False)
    kept = "every priority, the goal and how sure you are"
    if choices.flags is not None:
        kept += ", and your safety answer. Share it only with people you trust"
    st.caption(f"This link opens your answer again. It keeps {kept}.")
    copy_button()
    # The address is read now, in the script run: the PDF is made in the download's callback,
    # where Streamlit gives no st.context (its link had lost the host: "?preset=...").
    link = share_link(choices)
    # The files are made when the button is pressed (a callable, not bytes): a slider move
    # does not pay for a PDF and a CSV that are rarely downloaded.
    st.download_button(
        "My answer to print (.pdf)",
        partial(takeaway_pdf, catalog, exp, link, made=current()[0]),
        file_name="massage-advisor-answer.pdf",
        mime="application/pdf",
        icon=":material/print:",
        on_click="ignore",
    )


def share_link(choices: Choices) -> str:
    """This page's address with the parameters that restore the answer."""
    return f"{(st.context.url or '').split('?')[0]}?{urlencode(choices.params)}"


def _link_and_numbers(exp: Explanation, choices: Choices, catalog: Catalog) -> None:
    st.subheader("The link and the numbers", anchor=False)
    st.code(share_link(choices), language=None, wrap_lines=True)
    st.download_button(
        "The numbers (.csv)",
        lambda: result_csv(catalog, exp),
        file_name="massage-advisor-result.csv",
        mime="text/csv",
        icon=":material/table:",
        on_click="ignore",
    )
