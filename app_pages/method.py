"""Method and sources: how the app works in plain words, every fit with its reason, who made it,
dates and updates, every source, the decision aid standards, and, for experts, how the numbers
are made (estimators, seeds, checksums) in a closed section."""

from datetime import date

import streamlit as st

from advisor.dates import date_words
from advisor.decision.explanation import NEITHER_BELOW
from advisor.decision.scoring import NEAR_TIE_POINTS
from advisor.decision.sensitivity import robustness_method
from ui.about import method_section as about_section
from ui.data import get_catalog
from ui.method_answer import answer_rules_section
from ui.method_fits import fits_by_criterion, fits_table_section
from ui.method_ipdas import EXPERTS, ipdas_section
from ui.questionnaire import method_section

catalog = get_catalog()


def review_day(article) -> str:
    """The day the article was read, in words."""
    return date_words(date.fromisoformat(str(article["read_on"])))


st.title("Method and sources", anchor=False)
st.markdown(
    "How Massage Advisor reaches its answer, where its facts come from, who made it, and how it "
    "meets the standards for decision aids. The exact sums are in the last part, for experts."
)

st.header("How the app works", anchor=False)
st.markdown(
    f"""
- You give each thing you care about a number from 0 (it does not matter) to 10 (it matters
  most).
- We gave each type a fit from 0 to 10 on each of those things, from what the article says.
  The list below gives the reason for each fit.
- A type's match is an average of its fits, in which the things you care about most count
  most. A type that fits 10 on all you care about matches 100%.
- If the matches are less than {NEAR_TIE_POINTS:g} points apart, the app says it is too close
  to call. It says so too if the lead does not hold when we move your numbers a little.
- If even the best match is under {NEITHER_BELOW}%, the app says that neither type fits you
  well, and what to ask instead. It names no winner.
- The app also shows which of your numbers would change the answer, and how firm it is.
"""
)

fits_by_criterion(catalog)

st.header("The source", anchor=False)
article = catalog.article
st.markdown(
    "What the app says about the two types rests on one article: "
    f'**"{article["title"]}"**. {article["kind"]} We read it on {review_day(article)}. '
    "It compares the two types on four points, and we name the one each fact comes from: "
    + "; ".join(f"*{title}*" for title in catalog.sections["title"])
    + ". We do not copy its words: every point is in our own words. It is one clinic's "
    "explainer, not a study. The safety advice and the facts on what a session is like come "
    "from public health and massage sources, listed below with their dates."
)

about_section(catalog)
ipdas_section(catalog)

st.header("Disclaimer", anchor=False)
st.warning(
    "Massage Advisor compares kinds of massage; it is not medical advice and does not diagnose "
    "or treat anything. If you have pain, an injury or a health condition, talk to a "
    "healthcare provider first.",
    icon=":material/health_and_safety:",
)

with st.expander(EXPERTS, icon=":material/functions:"):
    st.header("The scoring model", anchor=False)
    st.markdown(
        f"""
    - **Priorities.** You give each criterion a weight from 0 (does not matter) to 10 (matters
      most).
    - **Fits.** Each massage type has a fit from 0 to 10 on every criterion: our reading of the
      source article, with the reason and section listed above.
    - **Match.** A type's match is the average of its fits, weighted by your priorities, as a
      percentage: weight times fit, added up over all criteria, divided by ten times the sum of
      the weights. A type that fits 10 on everything you care about matches 100%.
    - **Contributions.** Each criterion's term in that sum is its contribution: the points it
      adds to the match. The contributions of a type add up exactly to its match.
    - **Near ties.** When the top two types are less than {NEAR_TIE_POINTS:g} points apart, the
      app says it is too close to call rather than pretend one is clearly better. A wider lead
      can be too close to call as well, when it does not hold up under small changes of your
      priorities (robustness, below): the table under "How the answer is worded" gives both
      rules.
    - **What would change the answer** (tipping points). For each criterion, keeping every
      other priority as it is, the app solves for the weight at which the top two types would
      draw level, and shows those that lie between 0 and 10.
    - {robustness_method()}
    - **Client surveys.** A clinic's survey is scored with the same formula, one row per client,
      as a single matrix product.
    """
    )

    answer_rules_section(catalog)
    fits_table_section(catalog)

    st.header("The positioning map", anchor=False)
    st.markdown(
        "Position my clinic places every service and client segment on two axes, each from 0 "
        "to 10, computed from the same criteria:"
    )
    for axis in catalog.map_axes:
        labels = ", ".join(catalog.criterion_label(c).lower() for c in axis.criteria)
        st.markdown(f"- **{axis.label}**: the average of {labels}. {axis.meaning}")

    method_section(catalog)

    st.header("Data files", anchor=False)
    st.markdown(
        "The catalog the app runs on, with each file's version and the first 12 characters of "
        "its SHA-256 checksum. The sample survey is synthetic: generated by a seeded script, "
        "not real clients."
    )
    st.dataframe(
        catalog.versions.rename(
            columns={
                "file": "File",
                "version": "Version",
                "updated": "Updated",
                "description": "What it holds",
                "sha256": "SHA-256",
            }
        ),
        hide_index=True,
        key="method_versions",
    )
