"""Method and sources: the scoring model in plain words, every fit with its reason and source."""

import streamlit as st

from advisor.decision.explanation import NEITHER_BELOW
from advisor.decision.scoring import NEAR_TIE_POINTS
from advisor.decision.sensitivity import robustness_method
from ui.data import get_catalog
from ui.method_answer import answer_rules_section
from ui.questionnaire import method_section

catalog = get_catalog()

st.title("Method and sources", anchor=False)

st.header("How the scoring works", anchor=False)
st.markdown(
    f"""
- **Priorities.** You give each criterion a weight from 0 (does not matter) to 10 (matters most).
- **Fits.** Each massage type has a fit from 0 to 10 on every criterion: our reading of the
  source article, with the reason and section listed below.
- **Match.** A type's match is the average of its fits, weighted by your priorities, as a
  percentage: weight times fit, added up over all criteria, divided by ten times the sum of the
  weights. A type that fits 10 on everything you care about matches 100%.
- **Contributions.** Each criterion's term in that sum is its contribution: the points it adds to
  the match. The contributions of a type add up exactly to its match.
- **Near ties.** When the top two types are less than {NEAR_TIE_POINTS:g} points apart, the
  app says it is too close to call rather than pretend one is clearly better. A wider lead can
  be too close to call as well, when it does not hold up under small changes of your priorities
  (robustness, below): the table under "How the answer is worded" gives both rules.
- **Neither fits well.** When even the best match is under {NEITHER_BELOW}%, the app names no
  winner. It says so, and what to ask instead.
- **What would change the answer** (tipping points). For each criterion, keeping every other
  priority as it is, the app solves for the weight at which the top two types would draw
  level, and shows those that lie between 0 and 10.
- {robustness_method()}
- **Client surveys.** A clinic's survey is scored with the same formula, one row per client, as
  a single matrix product.
"""
)

answer_rules_section(catalog)

st.header("The positioning map", anchor=False)
st.markdown(
    "Position my clinic places every service and client segment on two axes, each from 0 to 10, "
    "computed from the same criteria:"
)
for axis in catalog.map_axes:
    labels = ", ".join(catalog.criterion_label(c).lower() for c in axis.criteria)
    st.markdown(f"- **{axis.label}**: the average of {labels}. {axis.meaning}")

st.header("Every fit, with its reason", anchor=False)
left, right = st.columns(2)
type_filter = left.multiselect(
    "Massage type",
    list(catalog.types.index),
    default=list(catalog.types.index),
    format_func=catalog.type_name,
    key="method_types",
)
dimension_filter = right.multiselect(
    "Dimension",
    list(catalog.dimensions.index),
    default=list(catalog.dimensions.index),
    format_func=lambda d: str(catalog.dimensions.at[d, "label"]),
    key="method_dimensions",
)
profiles = catalog.profiles.assign(
    dimension=catalog.profiles["criterion_id"].map(catalog.criteria["dimension"])
)
shown = profiles[
    profiles["type_id"].isin(type_filter) & profiles["dimension"].isin(dimension_filter)
]
table = shown.assign(
    Type=shown["type_id"].map(catalog.type_name),
    Dimension=shown["dimension"].map(catalog.dimensions["label"]),
    Criterion=shown["criterion_id"].map(catalog.criterion_label),
    Source=shown["section"].map(catalog.section_title),
)[["Type", "Dimension", "Criterion", "fit", "rationale", "Source"]]
st.caption(f"{len(table)} of {len(profiles)} fits shown.")
st.dataframe(
    table.rename(columns={"fit": "Fit (0-10)", "rationale": "Why"}),
    hide_index=True,
    key="method_fits",
    column_config={"Why": st.column_config.TextColumn(width="large")},
)

st.header("The source", anchor=False)
st.markdown(
    'Everything the app says about the two types rests on one article: **"Medical and '
    'Orthopedic Massage — What is the difference between medical massage and spa massage?"**, '
    "a short explainer from a massage clinic's website. It compares the two types on four "
    "dimensions, each a section we cite: "
    + "; ".join(f"*{title}*" for title in catalog.sections["title"])
    + ". Its wording is not reproduced here: every statement is our own wording, and every fit "
    "and next step names the section it rests on. It is one clinic's explainer, not a clinical "
    "study; the safety guidance above comes from the public health sources named there."
)

method_section(catalog)

st.header("Disclaimer", anchor=False)
st.warning(
    "Massage Advisor compares kinds of massage; it is not medical advice and does not diagnose "
    "or treat anything. If you have pain, an injury or a health condition, talk to a "
    "healthcare provider first.",
    icon=":material/health_and_safety:",
)

st.header("Data files", anchor=False)
st.markdown(
    "The catalog the app runs on, with each file's version and the first 12 characters of its "
    "SHA-256 checksum. The sample survey is synthetic: generated by a seeded script, not real "
    "clients."
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
