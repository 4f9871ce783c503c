"""Position my clinic: segments x services, a positioning map, your own menu and client mix.

Everything the owner makes or uploads lives in this visitor's session state only.
"""

from functools import partial

import pandas as pd
import streamlit as st

from advisor.clinic.menu import (
    MAX_NAME_LENGTH,
    MAX_SERVICES,
    MENU_LIMIT_MB,
    NAME,
    blend_fits,
    check_name,
    empty_menu,
    menu_csv,
    read_menu,
    services,
)
from advisor.clinic.positioning import (
    DEFAULT_UNSERVED_THRESHOLD,
    average_priorities,
    axis_positions,
    best_per_segment,
    client_mix,
    segment_matrix,
    typical_base,
    what_if,
    what_if_text,
)
from advisor.clinic.survey import scored_survey
from advisor.errors import InputFileError
from advisor.figures.clinic import (
    heatmap_table,
    map_table,
    nearest_segment_table,
    positioning_map,
    priorities_chart,
    segment_heatmap,
    shares_chart,
    shares_table,
    what_if_chart,
    what_if_table,
)
from ui.data import get_catalog
from ui.owner_answers import owner_answers_section
from ui.survey_upload import scored_download, survey_input
from ui.widgets import chart_with_table, escape_md

catalog = get_catalog()
CRITERIA = list(catalog.criterion_ids)

if "pc_menu" not in st.session_state:
    st.session_state["pc_menu"] = empty_menu(CRITERIA)
    st.session_state["pc_menu_before"] = empty_menu(CRITERIA)
    st.session_state["pc_editor_version"] = 0


def _set_menu(menu: pd.DataFrame) -> None:
    """Replace the menu, remember the one before for the what-if, and reset the editor."""
    st.session_state["pc_menu_before"] = st.session_state["pc_menu"]
    st.session_state["pc_menu"] = menu.reset_index(drop=True)
    st.session_state["pc_editor_version"] += 1


def _reserved() -> list[str]:
    return [catalog.type_name(t) for t in catalog.type_ids]


st.title("Position my clinic")
st.markdown(
    "Which client segments do medical and spa massage serve, where does your own menu sit, "
    "and what does your real client mix ask for? Your services and uploads stay in this "
    "browser session only."
)

segment_names = dict(catalog.segments["label"])
menu: pd.DataFrame = st.session_state["pc_menu"]
fits, names = services(catalog.fits, menu)
names = {t: catalog.display_name(t, names) for t in fits.index}

# Segment fit ---------------------------------------------------------------------------------
st.header("Segment fit")
st.markdown(
    "How well each service matches each client segment's priorities (★ marks the best service "
    "for the segment). Segment shares of a typical client base are assumptions, listed below."
)
matrix = segment_matrix(catalog.segment_weights, fits)
best = best_per_segment(matrix)
chart_with_table(
    segment_heatmap(matrix, best, segment_names, names),
    partial(heatmap_table, matrix, best, segment_names, names),
    "heatmap",
)
with st.expander("The segments and where their shares come from"):
    st.dataframe(
        catalog.segments.rename(
            columns={
                "label": "Segment",
                "description": "Who they are",
                "share": "Share",
                "share_source": "Source of the share",
            }
        )[["Segment", "Who they are", "Share", "Source of the share"]],
        hide_index=True,
        column_config={"Share": st.column_config.NumberColumn(format="percent")},
        key="pc_segments_table",
    )

# Positioning map -----------------------------------------------------------------------------
st.header("Positioning map")
st.markdown(
    "Services (diamonds) and segments (bubbles, sized by share) on two axes computed from the "
    "same criteria: **therapeutic focus** (treating a problem: health, care plan, pain, "
    "mobility, injury, clinical training and setting, short targeted sessions) and **experience "
    "focus** (relaxation, well-being, a soothing experience, ambience, long sessions). A bubble "
    "far from every diamond is a gap; several diamonds close together are crowding."
)
service_positions = axis_positions(fits)
segment_positions = axis_positions(catalog.segment_weights)
shares = catalog.segments["share"]
chart_with_table(
    positioning_map(service_positions, segment_positions, shares, names, segment_names),
    partial(map_table, service_positions, segment_positions, shares, names, segment_names),
    "map",
)

# Service designer ----------------------------------------------------------------------------
st.header("Your services")
st.markdown(
    f"Add up to {MAX_SERVICES} services of your own, each with a fit from 0 to 10 on every "
    "criterion. Start from medical, spa or a blend, then adjust the fits in the table. Changes "
    "show at once in the heatmap, the map and the client mix."
)
with st.form("pc_add_service", clear_on_submit=True, border=True):
    name_col, start_col = st.columns([3, 2])
    new_name = name_col.text_input("Service name", max_chars=MAX_NAME_LENGTH, key="pc_new_name")
    start = start_col.selectbox(
        "Start from",
        ["blend", "medical", "spa"],
        format_func=lambda s: "A blend of both" if s == "blend" else catalog.type_name(s),
        key="pc_new_start",
    )
    medical_share = st.slider(
        "Blend: how much medical (the rest is spa)",
        0,
        100,
        50,
        step=10,
        format="%d%%",
        key="pc_new_blend",
    )
    added = st.form_submit_button("Add service", icon=":material/add:")
if added:
    problem = check_name(new_name, [*_reserved(), *menu[NAME].astype(str)])
    if problem is None and len(menu) >= MAX_SERVICES:
        problem = f"The menu already has {MAX_SERVICES} services, the most it can hold."
    if problem:
        st.error(problem)
    else:
        share = {"medical": 1.0, "spa": 0.0}.get(start, medical_share / 100)
        row = {NAME: new_name.strip(), **blend_fits(catalog.fits, share).to_dict()}
        _set_menu(pd.concat([menu, pd.DataFrame([row])], ignore_index=True))
        st.rerun()

if not menu.empty:
    st.caption("Edit any fit or name in the table; select rows and press the bin to remove them.")
    edited = st.data_editor(
        menu,
        key=f"pc_editor_{st.session_state['pc_editor_version']}",
        num_rows="delete",
        hide_index=True,
        column_config={
            NAME: st.column_config.TextColumn("Service", max_chars=MAX_NAME_LENGTH, required=True),
            **{
                cid: st.column_config.NumberColumn(
                    catalog.criterion_label(cid), min_value=0, max_value=10, step=1, required=True
                )
                for cid in CRITERIA
            },
        },
    )
    edited = edited.dropna(subset=[NAME])
    problems = []
    for position, service in enumerate(edited[NAME].astype(str)):
        others = [*_reserved(), *edited[NAME].astype(str).drop(edited.index[position])]
        why = check_name(service, others)
        if why:
            problems.append(f"Row {position + 1}: {why}")
    if problems:
        for problem in problems:
            st.error(problem)
        st.caption("The menu keeps its last valid version until the table is fixed.")
    elif not edited.reset_index(drop=True).equals(menu):
        st.session_state["pc_menu_before"] = menu
        st.session_state["pc_menu"] = edited.reset_index(drop=True)
        st.rerun()

download_col, upload_col = st.columns(2)
download_col.download_button(
    "Download the menu (.csv)",
    menu_csv(menu if not menu.empty else empty_menu(CRITERIA)),
    file_name="clinic-menu.csv",
    mime="text/csv",
    icon=":material/download:",
    on_click="ignore",
    disabled=menu.empty,
)
menu_upload = upload_col.file_uploader(
    "Upload a menu (.csv)", type=["csv"], key="pc_menu_upload", max_upload_size=MENU_LIMIT_MB
)
if menu_upload is not None and st.session_state.get("pc_menu_seen") != menu_upload.file_id:
    st.session_state["pc_menu_seen"] = menu_upload.file_id
    try:
        imported = read_menu(menu_upload.getvalue(), CRITERIA, _reserved(), name=menu_upload.name)
    except InputFileError as error:
        st.error(escape_md(str(error)))
    else:
        _set_menu(imported.menu)
        st.session_state["pc_menu_problems"] = imported.problems
        st.rerun()
if st.session_state.get("pc_menu_problems"):
    with st.expander("What was left out of the uploaded menu"):
        st.dataframe(
            pd.DataFrame({"Problem": st.session_state["pc_menu_problems"]}),
            hide_index=True,
            key="pc_menu_problem_table",
        )

# Client mix ----------------------------------------------------------------------------------
st.header("Client mix")
survey = survey_input(catalog)

st.session_state.setdefault("pc_threshold", int(DEFAULT_UNSERVED_THRESHOLD))
threshold = st.slider(
    "Unserved below this best match (%)",
    0,
    100,
    step=5,
    key="pc_threshold",
    help="A client whose best service matches less than this is counted as unserved.",
)
mix = client_mix(survey, fits, catalog.segment_weights, threshold)
metrics = st.columns(3)
shares_now = mix.shares()
top_service = shares_now.idxmax()
metrics[0].metric("Clients", f"{mix.clients:,}")
metrics[1].metric(
    f"Best served by {escape_md(names.get(top_service, top_service))}",
    f"{shares_now.max() * 100:.0f}%",
)
metrics[2].metric(f"Unserved (under {threshold}%)", f"{mix.unserved_share() * 100:.0f}%")
chart_with_table(shares_chart(mix, names), partial(shares_table, mix, names), "shares")

st.subheader("What your clients ask for")
average = average_priorities(survey, catalog.segment_weights, segment_names)
typical = typical_base(catalog.segment_weights, shares)
labels = {cid: catalog.criterion_label(cid) for cid in CRITERIA}
chart_with_table(
    priorities_chart(average, typical, labels),
    lambda: average.rename(index=labels).round(1).reset_index(names="Criterion"),
    "priorities",
)

st.subheader("Nearest segment per client")
st.dataframe(
    nearest_segment_table(mix, shares, segment_names), hide_index=True, key="pc_nearest_table"
)
scored_download(partial(scored_survey, survey, mix, names))

# Real demand (owner only) ------------------------------------------------------------------
owner_answers_section(catalog, fits, names, threshold)


# What-if -------------------------------------------------------------------------------------
def _what_if() -> None:
    """How the last menu change, and the menu as a whole, move clients' best matches."""
    st.header("What-if")
    if menu.empty and st.session_state["pc_menu_before"].empty:
        st.info(
            "Add a service under **Your services** (or upload a menu): this section then shows "
            "how your clients' best matches would shift, and from which service they would move.",
            icon=":material/swap_horiz:",
        )
        return
    before_fits, before_names = services(catalog.fits, st.session_state["pc_menu_before"])
    before_names = {**names, **before_names}
    last_change = what_if(survey, before_fits, fits)
    safe_names = {key: escape_md(value) for key, value in before_names.items()}
    st.markdown(f"**Your last change to the menu:** {what_if_text(last_change, safe_names)}")
    baseline = what_if(survey, catalog.fits, fits)
    if not menu.empty:
        st.markdown(
            f"**Your menu against medical and spa alone:** {what_if_text(baseline, safe_names)}"
        )
    chart_with_table(
        what_if_chart(last_change, before_names),
        partial(what_if_table, last_change, before_names),
        "whatif",
    )


_what_if()
