"""advisor.cli: `python -m advisor match ...` and `python -m advisor score ...`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from advisor.catalog import DATA_DIR, SAMPLE_SURVEY_FILE, Catalog
from advisor.cli import EXIT_USAGE, UNANSWERED, main, parse_weights
from advisor.clinic.menu import NAME, blend_fits, menu_csv
from advisor.decision.explanation import explain
from advisor.decision.scoring import score
from advisor.decision.sensitivity import CERTAINTY_BANDS
from advisor.errors import ArgumentError
from advisor.files.mapping import mapping_json
from tests.advisor.files.survey_workbooks import (
    HEADER,
    IDS,
    SCALE_NOTE,
    WEIGHTS,
    WRITERS,
    write_xlsx,
)

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = DATA_DIR / SAMPLE_SURVEY_FILE
RANK_LINE = re.compile(r"^\s+(\d+)\. (.+?)\s+(\d+)%$")


def ranking(stdout: str) -> list[tuple[str, int]]:
    """The ranking lines of `match` output as (type name, match in whole percent)."""
    return [
        (m.group(2), int(m.group(3)))
        for m in (RANK_LINE.match(line) for line in stdout.splitlines())
        if m
    ]


def run_main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- match --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "first", "second"),
    [
        (["relaxation=10"], "Spa massage", "Medical massage"),
        (["injury_recovery=10", "health_condition=10"], "Medical massage", "Spa massage"),
        (["calming_ambience=9", "long_indulgent=8"], "Spa massage", "Medical massage"),
        (["care_team=10", "clinical_setting=7"], "Medical massage", "Spa massage"),
    ],
)
def test_match_ranks_the_types(
    capsys: pytest.CaptureFixture[str], argv: list[str], first: str, second: str
) -> None:
    code, out, err = run_main(capsys, "match", *argv)
    assert code == 0
    assert err == ""
    assert [name for name, _ in ranking(out)] == [first, second]


def test_match_prints_the_same_numbers_as_score(
    capsys: pytest.CaptureFixture[str], catalog: Catalog
) -> None:
    code, out, _ = run_main(capsys, "match", "relaxation=9", "pain_relief=2", "wellbeing=5")
    assert code == 0
    result = score({"relaxation": 9, "pain_relief": 2, "wellbeing": 5}, catalog.fits)
    expected = [(catalog.type_name(t), round(m)) for t, m in result.ranking()]
    assert ranking(out) == expected
    (_, top), (_, second) = expected
    assert out.splitlines()[0] == UNANSWERED  # no --flag and no --none-apply
    assert f"a lead of {top - second} points" in out.splitlines()[2]


def test_match_explains_itself(capsys: pytest.CaptureFixture[str], catalog: Catalog) -> None:
    code, out, _ = run_main(capsys, "match", "relaxation=10", "pain_relief=1", "--none-apply")
    assert code == 0
    exp = explain(catalog, {"relaxation": 10, "pain_relief": 1}, "medium", [])
    lines = out.splitlines()
    assert lines[:4] == [
        "Safety check: you said none of the listed conditions apply to you.",
        "",
        exp.verdict,
        "This tool compares kinds of massage. It is not medical advice.",
    ]
    assert exp.verdict.startswith("Spa massage clearly fits you best")
    for heading in (
        "Ranking:",
        "What points to Spa massage:",
        "What points the other way:",
        "What would change the answer:",
        "How firm it is:",
        "Next steps for Spa massage:",
    ):
        assert heading in out
    assert f"  - {exp.firmness}" in out
    assert "Health first" not in out  # pain relief is 1 of 11: under a fifth of the weight


def test_match_with_health_priorities_carries_the_health_note(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_main(capsys, "match", "injury_recovery=10", "health_condition=10")
    assert code == 0
    assert "Health first: Pain, injury or a health condition matter to you" in out
    assert "Next steps for Medical massage:" in out
    assert "a good first step is to ask your doctor or physio for a referral" in out


def test_match_with_a_red_flag_puts_the_provider_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_main(capsys, "match", "relaxation=10", "--flag", "blood_clot")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Talk to a healthcare provider first.")
    assert lines[1] == (
        "  - I have, or may have, a blood clot (for example a swollen, painful calf): A possible "
        "blood clot needs a doctor today, not a massage. Wait until your doctor says massage is "
        "safe."
    )
    assert lines[4] == (
        "    (source: Mayo Clinic: Massage: Get in touch with its many benefits, https://www."
        "mayoclinic.org/healthy-lifestyle/stress-management/in-depth/massage/art-20045743)"
    )
    assert lines[6] == "For after a healthcare provider has cleared you:"
    assert lines[8] == "This tool compares kinds of massage. It is not medical advice."
    assert "Health first" not in out


def test_match_with_care_keeps_the_answer_and_says_what_to_tell(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The blood-thinner client: the answer stays, with what to tell the therapist."""
    code, out, _ = run_main(
        capsys, "match", "pain_relief=8", "injury_recovery=6", "--flag", "blood_thinners"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[:5] == [
        "Massage with care. What you ticked does not rule out massage. Tell your therapist about "
        "it before you start.",
        "  - I take a blood thinner (for example warfarin): Massage can go ahead with care: "
        "gentle pressure only, with no deep tissue or forceful work. You may bruise more easily.",
        "    Tell your therapist: That you take a blood thinner, and its name.",
        "    Look for: A therapist who will keep the pressure gentle. If you choose medical "
        "massage, ask for no deep tissue work.",
        "    (source: NCCIH (US National Institutes of Health): Massage Therapy: What You Need To "
        "Know, https://www.nccih.nih.gov/health/massage-therapy-what-you-need-to-know)",
    ]
    assert lines[6].startswith("Medical massage clearly fits you best")
    assert "For after a healthcare provider" not in out


def test_match_rejects_an_unknown_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(capsys, "match", "relaxation=10", "--flag", "headache")
    assert code == EXIT_USAGE and out == ""
    assert err.startswith(
        "error: --flag 'headache': not a known safety item; known: pregnancy_later"
    )


def test_match_refuses_none_apply_beside_a_flag(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_main(
        capsys, "match", "relaxation=10", "--flag", "fever_or_infection", "--none-apply"
    )
    assert code == EXIT_USAGE and out == ""
    assert err.startswith("error: --none-apply: cannot be given with --flag")


@pytest.mark.parametrize("args", [[], ["--none-apply"], ["--flag", "varicose_veins"]])
def test_match_says_it_is_not_medical_advice_whatever_the_answer(
    capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    for weights in (["relaxation=9"], ["short_targeted=7", "long_indulgent=6"], []):
        code, out, _ = run_main(capsys, "match", *weights, *args)
        assert code == 0
        assert "This tool compares kinds of massage. It is not medical advice." in out


def test_match_without_priorities_says_there_is_no_recommendation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run_main(capsys, "match", "--none-apply")
    assert code == 0
    assert err == ""
    assert out.splitlines()[2].startswith("No recommendation yet")
    assert ranking(out) == []


@pytest.mark.parametrize("certainty", ["high", "medium", "low"])
def test_match_certainty_sets_the_band(capsys: pytest.CaptureFixture[str], certainty: str) -> None:
    code, out, _ = run_main(capsys, "match", "relaxation=10", "--certainty", certainty)
    assert code == 0
    band = CERTAINTY_BANDS[certainty]
    assert f"moves up or down by up to {band:g} point{'' if band == 1 else 's'}." in out


# --- match --menu ---------------------------------------------------------------------------------

SPORTS, STONE = "Sports recovery, 45 min", "Hot stone, 90 min"


def _menu_file(tmp_path: Path, catalog: Catalog, *shares: tuple[str, float]) -> Path:
    """A menu CSV as the owner's page downloads it: blends of the two types."""
    rows = [{NAME: name, **blend_fits(catalog.fits, share).to_dict()} for name, share in shares]
    path = tmp_path / "our-menu.csv"
    path.write_bytes(menu_csv(pd.DataFrame(rows)))
    return path


def test_match_with_a_menu_ranks_its_services_after_the_types(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    menu = _menu_file(tmp_path, catalog, (SPORTS, 0.9), (STONE, 0.1))
    argv = ["match", "relaxation=9", "pain_relief=3", "--none-apply", "--menu", str(menu)]
    code, out, err = run_main(capsys, *argv)
    assert code == 0 and err == ""
    types, clinic = out.split("\nAt this clinic (our-menu.csv):\n")
    assert ranking(types) == [("Spa massage", 82), ("Medical massage", 45)]
    assert ranking(clinic) == [(STONE, 79), (SPORTS, 49)]
    exp = explain(catalog, parse_weights(argv[1:3], catalog), "medium", [], read_back(menu))
    assert clinic.startswith(exp.clinic.verdict)
    assert exp.clinic.verdict == (
        f"{STONE} clearly fits you best: 79% against 49% for {SPORTS}. That is a lead of 30 points."
    )
    assert f"What points to {STONE}:" in clinic and "What would change it:" in clinic
    assert "(source: the clinic's own profile of its services)" in clinic


def read_back(path: Path) -> pd.DataFrame:
    return pd.read_csv(path)


def test_match_with_a_menu_and_a_provider_first_item_keeps_the_services_for_later(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    menu = _menu_file(tmp_path, catalog, (SPORTS, 0.9))
    argv = ["match", "injury_recovery=9", "--flag", "blood_clot", "--menu", str(menu)]
    code, out, _ = run_main(capsys, *argv)
    assert code == 0
    clinic = out.split("At this clinic (our-menu.csv):\n")[1].splitlines()
    assert clinic[:2] == [
        "For after a healthcare provider has cleared you:",
        f"This clinic lists one service here: {SPORTS}. It fits you 82%.",
    ]


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("service,relaxation\nA,11\n", ["our-menu.csv: no usable service", "row 2"]),
        ("price,duration\n10,45\n", ["our-menu.csv:", "name column"]),
    ],
)
def test_match_with_a_bad_menu_names_the_file_and_stops(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, words: list[str]
) -> None:
    menu = tmp_path / "our-menu.csv"
    menu.write_text(content)
    code, out, err = run_main(capsys, "match", "relaxation=9", "--menu", str(menu))
    assert code == EXIT_USAGE and out == ""
    assert err.startswith("error: ") and "Traceback" not in err
    assert all(word in err for word in words), err


def test_match_with_a_menu_warns_of_a_row_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    menu = _menu_file(tmp_path, catalog, (SPORTS, 0.9), (STONE, 0.1))
    lines = menu.read_text().splitlines()
    lines[2] = lines[2].rsplit(",", 1)[0] + ",lots"
    menu.write_text("\n".join(lines) + "\n")
    code, out, err = run_main(capsys, "match", "relaxation=9", "--menu", str(menu))
    assert code == 0
    assert ranking(out.split("At this clinic")[1]) == [(SPORTS, 37)]
    assert f"warning: {menu}: 2 notes:" in err
    assert "'lots' (row 3, column 'long_indulgent')" in err


def test_match_with_a_missing_menu_file_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    missing = tmp_path / "gone.csv"
    code, _, err = run_main(capsys, "match", "relaxation=9", "--menu", str(missing))
    assert code == EXIT_USAGE
    assert err == f"error: {missing}: cannot be read (No such file or directory)\n"


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        (["relaxation=8"], {"relaxation": 8.0}),
        ([" relaxation =8"], {"relaxation": 8.0}),
        (["relaxation=0", "wellbeing=10"], {"relaxation": 0.0, "wellbeing": 10.0}),
        (["pain_relief=2.5"], {"pain_relief": 2.5}),
        ([], {}),
    ],
)
def test_parse_weights(catalog: Catalog, pairs: list[str], expected: dict[str, float]) -> None:
    assert parse_weights(pairs, catalog) == expected


@pytest.mark.parametrize(
    ("pairs", "match"),
    [
        (["calm=3"], "unknown criterion 'calm'"),
        (["relaxation=11"], "from 0 to 10"),
        (["relaxation=-1"], "from 0 to 10"),
        (["relaxation=nan"], "from 0 to 10"),
        (["relaxation=x"], "'x' is not a number"),
        (["relaxation="], "'' is not a number"),
        (["relaxation"], "expected criterion=value"),
        (["relaxation=1", "relaxation=2"], "given twice"),
        (["relaxation=0.04"], "at most one decimal"),
        (["relaxation=9.99"], "at most one decimal"),
        (["relaxation=1e-300"], "at most one decimal"),
        (["relaxation=5e-324"], "at most one decimal"),
        (["relaxation=1_0"], "'1_0' is not a number"),
    ],
)
def test_parse_weights_rejects(catalog: Catalog, pairs: list[str], match: str) -> None:
    with pytest.raises(ArgumentError, match=match):
        parse_weights(pairs, catalog)


# --- score --------------------------------------------------------------------------------------


def test_score_writes_match_columns_with_the_numbers_of_score(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    out_path = tmp_path / "scored.csv"
    code, out, err = run_main(capsys, "score", str(SAMPLE), "-o", str(out_path))
    assert code == 0
    assert err == ""
    scored = pd.read_csv(out_path)
    survey = pd.read_csv(SAMPLE)
    assert list(scored.columns) == [
        *survey.columns,
        "match_Medical massage",
        "match_Spa massage",
        "best_match",
        "unserved",
        "nearest_segment",
    ]
    assert len(scored) == len(survey)
    assert scored["client_id"].tolist() == survey["client_id"].tolist()
    criteria = list(catalog.criterion_ids)
    np.testing.assert_array_equal(scored[criteria].to_numpy(), survey[criteria].to_numpy())
    for i, weights in enumerate(survey[criteria].to_numpy(dtype=float)):
        result = score(weights, catalog.fits)
        assert scored.at[i, "match_Medical massage"] == round(result.match_of("medical"), 2)
        assert scored.at[i, "match_Spa massage"] == round(result.match_of("spa"), 2)
        assert scored.at[i, "best_match"] == catalog.type_name(result.leader)
    counts = scored["best_match"].value_counts()
    assert f"Scored {len(survey):,} clients into {out_path}" in out
    for type_id, count in counts.items():
        assert f"{type_id} {count:,}" in out


def test_score_reports_faulty_rows_as_warnings_and_scores_the_rest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text("client_id,relaxation,care_team\nAna,9,0\nBen,x,2\nCy,0,10\n")
    out_path = tmp_path / "out.csv"
    code, out, err = run_main(capsys, "score", str(survey), "-o", str(out_path))
    assert code == 0
    warnings = err.splitlines()
    assert all(line.startswith("warning: ") for line in warnings)
    assert warnings[0] == f"warning: {survey}: 2 notes:"  # the file named once
    assert (
        "warning: 1 answer could not be read, so it counts as blank and each client is scored "
        "on the other answers (1 not a number): 'x' (row 3, column 'relaxation'); expected "
        "numbers 0-10 (the app's own); correct those cells, or choose the scale the survey used "
        "(command line: --scale)."
    ) in warnings
    assert any("no column gives these criteria, so each counts 0" in line for line in warnings)
    scored = pd.read_csv(out_path)
    # Ben is scored on the answer that can be read (care team 2); his relaxation is blank
    assert scored["client_id"].tolist() == ["Ana", "Ben", "Cy"]
    assert scored["relaxation"].isna().tolist() == [False, True, False]
    assert scored["best_match"].tolist() == ["Spa massage", "Medical massage", "Medical massage"]
    assert "Scored 3 clients" in out


def test_score_refuses_to_write_over_the_survey(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    survey = tmp_path / "own.csv"
    text = "client_id,Email,relaxation\nAna,ana@example.invalid,9\n"
    survey.write_text(text)
    code, _out, err = run_main(capsys, "score", str(survey), "-o", str(survey))
    assert code != 0
    assert f"{survey}: is the survey itself" in err
    assert survey.read_text() == text  # nothing lost


def test_score_of_one_client_says_one_client_and_a_sheet_on_a_csv_is_noted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    survey = tmp_path / "one.csv"
    survey.write_text("client_id,relaxation\nAna,9\n")
    out_path = tmp_path / "out.csv"
    code, out, err = run_main(
        capsys, "score", str(survey), "-o", str(out_path), "--sheet", "Answers"
    )
    assert code == 0
    assert "Scored 1 client into" in out
    assert err.startswith(
        f"warning: {survey}: 2 notes:\n"
        "warning: --sheet Answers was ignored: a CSV or text file has no sheets.\n"
    )


def test_score_neutralises_formula_client_ids(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_text('client_id,relaxation\n"=HYPERLINK(""http://x"")",5\n')
    out_path = tmp_path / "out.csv"
    assert run_main(capsys, "score", str(survey), "-o", str(out_path))[0] == 0
    line = out_path.read_text().splitlines()[1]
    assert line.startswith("\"'=HYPERLINK(")


# --- bad arguments: exit 2, one line on stderr, no traceback ------------------------------------


BAD_ARGS = [
    pytest.param(["match", "calm=3"], "unknown criterion", id="unknown-criterion"),
    pytest.param(["match", "relaxation=11"], "from 0 to 10", id="value-11"),
    pytest.param(["match", "relaxation=x"], "not a number", id="value-x"),
    pytest.param(["match", "relaxation"], "expected criterion=value", id="missing-equals"),
    pytest.param(["match", "relaxation=1", "relaxation=2"], "given twice", id="duplicate-key"),
    pytest.param(["match", "--certainty", "total"], "invalid choice", id="bad-certainty"),
    pytest.param(["score", "no/such/file.csv", "-o", "out.csv"], "cannot be read", id="no-file"),
    pytest.param(["score", str(SAMPLE)], "-o/--output", id="missing-o"),
    pytest.param([], "required", id="no-command"),
    pytest.param(["dance"], "invalid choice", id="unknown-command"),
]


@pytest.mark.parametrize(("argv", "message"), BAD_ARGS)
def test_bad_arguments_exit_2_with_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: list[str], message: str
) -> None:
    argv = [str(tmp_path / a) if a in ("out.csv", "no/such/file.csv") else a for a in argv]
    code, out, err = run_main(capsys, *argv)
    assert code == EXIT_USAGE == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert message in lines[0]
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(b"", "empty", id="empty-file"),
        pytest.param(b"\x00\x01binary", "binary", id="binary-file"),
        pytest.param(
            b"name,age\nAna,40\n", "no column could be matched to a criterion", id="no-criteria"
        ),
    ],
)
def test_unreadable_survey_exits_2_with_one_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, message: str
) -> None:
    survey = tmp_path / "survey.csv"
    survey.write_bytes(content)
    out_path = tmp_path / "out.csv"
    code, out, err = run_main(capsys, "score", str(survey), "-o", str(out_path))
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {survey}: ")
    assert message in lines[0]
    assert not out_path.exists()


def test_output_that_cannot_be_written_exits_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_path = tmp_path / "no" / "such" / "dir" / "out.csv"
    code, _, err = run_main(capsys, "score", str(SAMPLE), "-o", str(out_path))
    assert code == 2
    assert err.splitlines() == [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(err.splitlines()) == 1
    assert "cannot be written" in err


# --- as a program -------------------------------------------------------------------------------


def _run_module(*argv: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "advisor", *argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_python_m_advisor_match() -> None:
    done = _run_module("match", "relaxation=10")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert [name for name, _ in ranking(done.stdout)] == ["Spa massage", "Medical massage"]


def test_python_m_advisor_bad_argument() -> None:
    done = _run_module("match", "relaxation=11")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "error: argument 'relaxation=11': the value must be from 0 to 10"
    ]


def test_python_m_advisor_score(tmp_path: Path) -> None:
    out_path = tmp_path / "scored.csv"
    done = _run_module("score", str(SAMPLE), "-o", str(out_path))
    assert done.returncode == 0, done.stderr
    scored = pd.read_csv(out_path)
    assert {"match_Medical massage", "match_Spa massage", "best_match"} <= set(scored.columns)
    assert set(scored["best_match"]) <= {"Medical massage", "Spa massage"}


def test_python_m_advisor_help() -> None:
    done = _run_module("--help")
    assert done.returncode == 0
    assert "match" in done.stdout
    assert "score" in done.stdout


def test_match_help_lists_the_catalogs_red_flags(catalog: Catalog, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["match", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "(repeatable): " + ", ".join(catalog.red_flags.index) in shown


# --- the domain never imports Streamlit ---------------------------------------------------------


def test_advisor_does_not_import_streamlit() -> None:
    code = (
        "import sys\n"
        "import advisor, advisor.catalog, advisor.decision.scoring, advisor.decision.sensitivity\n"
        "import advisor.files.reading, advisor.cli, advisor.decision.explanation\n"
        "advisor.load_catalog()\n"
        "loaded = sorted(m for m in sys.modules\n"
        "                if m == 'streamlit' or m.startswith('streamlit.'))\n"
        "print('streamlit modules:', loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "streamlit modules: []"


# --- owners' own files: mapping, scale, sheet ----------------------------------------------------

CASES = Path(__file__).resolve().parents[1] / "fixtures" / "cases"
FORMS = CASES / "google-forms-raw-question-headers-likert-words.csv"


def test_score_auto_maps_labels_in_brackets_and_prints_the_mapping(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    survey = tmp_path / "form.csv"
    survey.write_text(
        "Email,How important is each of these to you? [Relaxation],Pain relief\n"
        "a@b.c,10,0\nd@e.f,0,10\n"
    )
    out_path = tmp_path / "out.csv"
    code, out, err = run_main(capsys, "score", str(survey), "-o", str(out_path))
    assert code == 0
    assert "'Email' -> personal  [looks personal (a name, email or phone number); never " in out
    assert "'How important is each of these to you? [Relaxation]' -> relaxation" in out
    assert "'Pain relief' -> pain_relief (Pain relief)" in out
    scored = pd.read_csv(out_path)
    assert "Email" not in scored.columns and "a@b.c" not in out_path.read_text()
    assert scored["best_match"].tolist() == ["Spa massage", "Medical massage"]
    assert "Email" not in err  # said once, with the columns read


def test_score_with_a_mapping_file_and_a_scale_flag(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    mapping = tmp_path / "map.json"
    mapping.write_bytes(
        mapping_json(
            {
                "Timestamp": "personal",
                "How important is it that the massage treats a health condition?": "ignore",
                "How important is relaxation?": "relaxation",
                "How important is general well-being?": "wellbeing",
            },
            "importance",
        )
    )
    out_path = tmp_path / "out.csv"
    code, _, err = run_main(
        capsys, "score", str(FORMS), "-o", str(out_path), "--mapping", str(mapping)
    )
    assert code == 0, err
    scored = pd.read_csv(out_path)
    assert scored["relaxation"].tolist() == [2.5, 10.0]
    assert scored["health_condition"].tolist() == [0, 0]
    code, _out, err = run_main(
        capsys, "score", str(FORMS), "-o", str(out_path), "--scale", "agreement"
    )
    assert code == EXIT_USAGE
    assert "6 answers could not be read" in err
    assert "(6 not one of the agreement words (Strongly disagree ... Strongly agree))" in err
    assert "2 rows have no answer that could be read and were left out: rows 2 and 3." in err


def test_score_a_workbook_sheet_by_flag(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_path = tmp_path / "out.csv"
    xlsx = str(CASES / "ms-forms-responses.xlsx")
    code, _, err = run_main(capsys, "score", xlsx, "-o", str(out_path), "--sheet", "Sheet1")
    assert code == 0
    assert pd.read_csv(out_path)["relaxation"].tolist() == [7]
    code, _out, err = run_main(capsys, "score", xlsx, "-o", str(out_path), "--sheet", "Other")
    assert code == EXIT_USAGE
    assert "no sheet named 'Other'; its sheets are 'Sheet1'" in err


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_score_an_ods_or_xls_survey_on_its_second_sheet(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    survey = WRITERS[kind](tmp_path, "Responses")
    out_path = tmp_path / "scored.csv"
    code, out, err = run_main(
        capsys, "score", str(survey), "-o", str(out_path), "--sheet", "Responses"
    )
    assert code == 0, err
    assert out.startswith(f"Scored 3 clients into {out_path} (best match: ")
    assert "'Client ID' -> client_id" in out
    assert "'Email' -> personal  [looks personal (a name, email or phone number); never " in out
    assert f"{HEADER[3]!r} -> pain_relief (Pain relief)" in out
    assert err.startswith(f"warning: {survey}, sheet 'Responses': 2 notes:\n")  # Email: above
    assert f"warning: {SCALE_NOTE}\n" in err
    scored = pd.read_csv(out_path, dtype={"client_id": str})
    assert scored["client_id"].tolist() == IDS
    assert {cid: scored[cid].tolist() for cid in WEIGHTS} == WEIGHTS
    assert "Email" not in scored.columns
    assert "ana@example.org" not in out_path.read_text()


@pytest.mark.parametrize("kind", ["ods", "xls"])
def test_score_an_ods_or_xls_survey_without_the_sheet_reads_the_best_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str
) -> None:
    survey = WRITERS[kind](tmp_path, "Responses")
    code, out, err = run_main(capsys, "score", str(survey), "-o", str(tmp_path / "s.csv"))
    assert code == 0
    assert out.startswith("Scored 3 clients")
    assert err.splitlines()[:2] == [
        f"warning: {survey}, sheet 'Responses': 3 notes:",
        "warning: sheet 'Responses' was read: its columns match the criteria best (3 "
        "criteria); the other sheet is 'Notes'. To read another, choose the sheet (command "
        "line: --sheet).",
    ]
    code, out, err = run_main(
        capsys, "score", str(survey), "-o", str(tmp_path / "s.csv"), "--sheet", "Notes"
    )
    assert (code, out) == (EXIT_USAGE, "")
    assert err.startswith(
        f"error: {survey}, sheet 'Notes': no column could be matched to a criterion;"
    )
    assert "the workbook's sheets are 'Notes', 'Responses'" in err


def test_score_names_a_formula_saved_without_its_result(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows: list[list[object]] = [["A", "a@b.c", 5, 1, 2], ["B", "d@e.f", 4, "=C2+1", 3]]
    survey = write_xlsx(tmp_path, "Answers", rows)
    out_path = tmp_path / "scored.csv"
    code, _, err = run_main(capsys, "score", str(survey), "-o", str(out_path), "--sheet", "Answers")
    assert code == 0, err
    assert (
        "warning: 1 answer could not be read, so it counts as blank and each client is scored "
        "on the other answers (1 formula with no saved result): '=C2+1' "
        f"(row 3, column {HEADER[3]!r}); expected numbers 1-5; open the file in a spreadsheet "
        "program and save it again (which computes the formula), or export the sheet as CSV.\n"
    ) in err
    # B is scored on the answers that can be read
    assert pd.read_csv(out_path)["client_id"].tolist() == ["A", "B"]


def test_score_prints_the_owners_answer_the_page_gives(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    from advisor.clinic.answer import Clients
    from advisor.files.reading import apply_mapping, read_table
    from advisor.files.template import vocabulary
    from tests.advisor.clinic.test_answer import TYPES, answer_of
    from tests.corpus.form_export import form_export

    survey = tmp_path / "form-export-40.csv"
    survey.write_bytes(form_export())
    code, out, err = run_main(
        capsys, "score", str(survey), "-o", str(tmp_path / "o.csv"), "--answer", "--threshold", "75"
    )
    assert code == 0, err
    printed = out.split("The answer:\n", 1)[1].splitlines()
    words = vocabulary(catalog)
    table = read_table(survey.read_bytes(), words, str(survey))
    imported = apply_mapping(table, table.proposed(), words)
    asked = tuple(c for c in catalog.criterion_ids if c in imported.mapping.values())
    clients = Clients("form-export-40.csv", False, asked)
    answer = answer_of(imported.frame, catalog.fits, TYPES, 75, clients=clients)
    assert [line.strip() for line in printed] == list(answer.sentences)
    assert printed[0].strip().startswith("Of your 40 clients in form-export-40.csv")


@pytest.mark.parametrize("threshold", ["-5", "1000", "100.5", "nan", "inf", "-inf", "seventy"])
def test_a_threshold_outside_0_to_100_is_refused_by_name(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, threshold: str
) -> None:
    out_path = tmp_path / "out.csv"
    argv = ["score", str(FORMS), "-o", str(out_path), "--answer", f"--threshold={threshold}"]
    code, out, err = run_main(capsys, *argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert f"{threshold!r} is not a percentage from 0 to 100 (such as 70)" in err
    assert not out_path.exists()


@pytest.mark.parametrize(
    ("given", "rows"), [("3", [3]), ("1,2", [1, 2]), ("1-2", [1, 2]), ("2 - 3", [2, 3])]
)
def test_a_header_row_is_one_row_or_two(given: str, rows: list[int]) -> None:
    from advisor.cli import header_rows

    assert header_rows(given) == rows


@pytest.mark.parametrize("given", ["-1", "0", "1-", "1,2,3", "two", ""])
def test_a_header_row_that_is_not_a_row_number_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, given: str
) -> None:
    argv = ["score", str(FORMS), "-o", str(tmp_path / "o.csv"), f"--header-row={given}"]
    code, out, err = run_main(capsys, *argv)
    assert (code, out) == (EXIT_USAGE, "")
    assert f"{given!r}" in err and "row number" in err


def test_match_with_right_to_left_service_names_isolates_them_in_every_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    """An Arabic and a Hebrew service: each line that sets a name among other words holds it
    between FSI and PDI (advisor.bidi), and the figures stay in one column."""
    arabic, hebrew = "تدليك علاجي", "עיסוי רפואי"
    menu = _menu_file(tmp_path, catalog, (arabic, 0.3), (hebrew, 0.1), ("Mix", 0.9))
    argv = ["match", "relaxation=5", "pain_relief=5", "--none-apply", "--menu", str(menu)]
    code, out, err = run_main(capsys, *argv)
    assert code == 0 and err == ""
    clinic = out.split("\nAt this clinic (our-menu.csv):\n")[1].splitlines()
    assert clinic[1:4] == [
        f"  1. \u2068{hebrew}\u2069{' ' * 9}   64%",
        f"  2. \u2068{arabic}\u2069{' ' * 9}   64%",
        f"  3. Mix{' ' * 17}   60%",
    ]
    assert f"What points to \u2068{hebrew}\u2069:" in clinic
    for line in clinic:
        for name in (arabic, hebrew):
            assert line.count(name) == line.count(f"\u2068{name}\u2069")


def test_the_answer_of_one_client_or_one_unserved_is_singular_and_never_says_served(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    survey = tmp_path / "one.csv"
    survey.write_bytes(
        b"client_id,relaxation,pain_relief,clinical_setting,calming_ambience\nc1,10,10,10,10\n"
    )
    code, out, err = run_main(
        capsys, "score", str(survey), "-o", str(tmp_path / "o.csv"), "--answer"
    )
    assert code == 0, err
    assert out.startswith(f"Scored 1 client into {tmp_path / 'o.csv'} (best match: Spa massage 1).")
    printed = [line.strip() for line in out.split("The answer:\n", 1)[1].splitlines()]
    assert printed[0] == "Of your 1 client in one.csv, Spa massage is the best match for 100%."
    assert printed[2].startswith("1 of them (100%) is unserved: ")
    assert printed[-1] == (
        "Your menu leaves 1 client unserved. Yet no new service mixed from medical and spa would "
        "win enough clients to add: at least 5% of all your clients and at least 3 (the best "
        "would win 1)."
    )
