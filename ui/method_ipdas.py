"""Method and sources: how the app meets the standards for decision aids (IPDASi v4.0), item by
item from data/ipdas.csv, as stacked text that reads on a phone."""

from __future__ import annotations

import streamlit as st

from advisor.catalog import Catalog

EXPERTS = "For experts: how the numbers are made"  # the closed section of the technical account
GROUPS = {
    "qualifying": "Must-haves for any decision aid",
    "certification": "Needed to avoid a biased aid",
    "quality": "Signs of a good aid",
}
STATUS = {
    "met": ":material/check_circle: **Met.**",
    "partly": ":material/contrast: **Partly met.**",
    "not met": ":material/cancel: **Not met.**",
}
SOURCE = (
    "Source: Joseph-Williams N, Newcombe R, Politi M, et al. Toward minimum standards for "
    "certifying patient decision aids: a modified Delphi consensus process. Med Decis Making "
    "2014;34(6):699-710 (IPDASi v4.0). Item numbers as in Table 2 of a 2016 BMJ Open appraisal "
    "(bmjopen-2016-011918). The quality rows follow the IPDAS quality dimensions "
    "(decisionaid.ohri.ca/IPDAS/suggestions.html, undated): the wording of the 28 quality "
    "items was not available to us. Read on 5 December 2026."
)


def counts(catalog: Catalog, group: str) -> dict[str, int]:
    """How many items of `group` are met, partly met and not met."""
    rows = catalog.ipdas[catalog.ipdas["group"] == group]
    return {status: int((rows["status"] == status).sum()) for status in STATUS}


def ipdas_section(catalog: Catalog) -> None:
    """Every item that applies, grouped, with its status, where the app meets it and a note."""
    st.header("How this app meets the standards for decision aids", anchor=False)
    st.markdown(
        "A decision aid helps you make a health choice. The International Patient Decision Aid "
        "Standards (IPDAS) list what a good one should do. Below is each item that applies to "
        "this app, and where the app meets it. We say plainly where it falls short. Four more "
        "items are only for aids about medical tests, so they do not apply here."
    )
    for group, title in GROUPS.items():
        rows = catalog.ipdas[catalog.ipdas["group"] == group]
        tally = counts(catalog, group)
        st.subheader(title, anchor=False)
        st.caption(
            f"{len(rows)} items: {tally['met']} met, {tally['partly']} partly met, "
            f"{tally['not met']} not met."
        )
        lines = []
        for _, row in rows.iterrows():
            number = f"{row['item']} " if row["item"][0].isdigit() else ""
            where = f" Where: {row['where']}" if row["where"] else ""
            note = f" {row['note']}" if row["note"] else ""
            lines.append(f"- {number}*{row['criterion']}* {STATUS[row['status']]}{where}{note}")
        st.markdown("\n".join(lines))
    st.caption(SOURCE)
