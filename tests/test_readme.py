"""The README and docs/ say what is true of the tree: every folder and module the layout
(docs/internals.md) and advisor/__init__.py name exists, every `make` target they name is in the
Makefile, every link between them resolves, and the screenshot is newer than the page it shows."""

from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
SCREENSHOT = ROOT / "docs" / "find-my-massage.png"
# the code the screenshot shows: the Find my massage page and its sections
SHOWN_CODE = ["app_pages/find_my_massage.py", "ui/find_*.py"]
# a file or folder named in prose: name.py, name.md, or name/ (placeholders such as <x> are not)
EXTENSIONS = "py|md|toml|html|template|png"
NAMED = re.compile(rf"(?<![\w./<>-])((?:[\w.-]+/)*(?:[\w.-]+\.(?:{EXTENSIONS})|[\w.-]+/))")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def code_blocks(text: str) -> list[tuple[str, str]]:
    """Every fenced block in a markdown text as (language, body)."""
    return re.findall(r"^```(\w*)\n(.*?)^```", text, flags=re.S | re.M)


def layout_entries() -> list[tuple[Path, str]]:
    """(the entry's path, its description) for each line of the layout in docs/internals.md;
    an indented entry is inside advisor/, a continuation line adds to the entry above."""
    text = (ROOT / "docs" / "internals.md").read_text(encoding="utf-8")
    [block] = [body for _, body in code_blocks(text.split("## Layout", 1)[1])[:1]]
    entries: list[tuple[Path, str]] = []
    for line in block.splitlines():
        if line.startswith(" " * 6):  # a continuation of the entry above
            path, description = entries[-1]
            entries[-1] = (path, f"{description} {line.strip()}")
            continue
        name, _, description = line.strip().partition(" ")
        base = ROOT / "advisor" if line.startswith("  ") else ROOT
        entries.append((base / name, description))
    return entries


def named_in(description: str) -> list[str]:
    return [name for name in NAMED.findall(re.sub(r"`[^`]*\s[^`]*`", "", description))]


def test_every_folder_and_module_the_layout_names_exists() -> None:
    entries = layout_entries()
    assert len(entries) >= 15, "the layout block was not found"
    missing = []
    for path, description in entries:
        if not path.exists():
            missing.append(str(path.relative_to(ROOT)))
        base = path if path.is_dir() else path.parent
        for name in named_in(description):
            if not ((base / name).exists() or (ROOT / name).exists()):
                missing.append(f"{name} (in the line of {path.relative_to(ROOT)})")
    assert missing == []


def test_the_layout_names_every_top_level_folder_and_every_advisor_package() -> None:
    named = {path.relative_to(ROOT).as_posix() for path, _ in layout_entries()}
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout: the tracked folders are unknown")
    folders = {name.split("/")[0] for name in tracked if "/" in name}
    folders = {folder for folder in folders if not folder.startswith(".")}
    packages = {
        f"advisor/{path.parent.name}"
        for path in (ROOT / "advisor").glob("*/__init__.py")
        if path.parent.name != "__pycache__"
    }
    assert folders | packages <= {name.rstrip("/") for name in named}


def test_every_module_advisor_init_names_exists() -> None:
    doc = ast.get_docstring(ast.parse((ROOT / "advisor" / "__init__.py").read_text("utf-8")))
    assert doc is not None
    layout = doc.split("Glossary", 1)[0]
    bullets = re.split(r"\n- ", layout)[1:]
    assert len(bullets) >= 7
    missing = []
    for bullet in bullets:
        names = re.findall(r"`([a-z_]+/?)`", bullet)
        subject = names[0]
        base = ROOT / "advisor" / subject if subject.endswith("/") else ROOT / "advisor"
        for name in names if not subject.endswith("/") else names[1:]:
            module = name.rstrip("/")
            if not ((base / f"{module}.py").is_file() or (base / module).is_dir()):
                missing.append(f"{module} (in `{subject}`)")
        if subject.endswith("/") and not base.is_dir():
            missing.append(subject)
    assert missing == []


def test_every_advisor_package_and_module_is_in_the_glossary() -> None:
    doc = ast.get_docstring(ast.parse((ROOT / "advisor" / "__init__.py").read_text("utf-8")))
    layout = doc.split("Glossary", 1)[0]
    named = set(re.findall(r"`([a-z_]+)/?`", layout))
    for package in (ROOT / "advisor").glob("*/__init__.py"):
        assert package.parent.name in named, package.parent.name
        modules = {p.stem for p in package.parent.glob("*.py")} - {"__init__"}
        assert modules <= named, modules - named


def make_targets_named(text: str) -> set[str]:
    """`make X` in inline code, and lines of shell blocks that run make X."""
    targets = set(re.findall(r"`make ([a-z][\w-]*)`", text))
    for language, body in code_blocks(text):
        if language in ("sh", "bash", ""):
            targets |= set(re.findall(r"(?:^|\s)make ([a-z][\w-]*)", body, flags=re.M))
    return targets


def test_every_make_target_the_readme_and_docs_name_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    defined = set(re.findall(r"^([a-z][\w-]*):", makefile, flags=re.M))
    named = set().union(*(make_targets_named(p.read_text(encoding="utf-8")) for p in PAGES))
    assert {"run", "test", "test-fast", "screenshot", "cluster"} <= named
    assert named - defined == set()


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower().replace("`", ""))
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    text = page.read_text(encoding="utf-8")
    for _, body in code_blocks(text):
        text = text.replace(body, "")
    return {slug(title) for title in re.findall(r"^#{1,6} (.+)$", text, flags=re.M)}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_between_the_readme_and_docs_resolves(page: Path) -> None:
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        name, _, anchor = target.partition("#")
        found = (page.parent / name).resolve() if name else page
        if not found.exists() or (found.suffix == ".md" and anchor not in anchors(found) | {""}):
            broken.append(target)
    assert broken == []


def test_the_readme_links_every_docs_page_and_shows_the_screenshot() -> None:
    text = README.read_text(encoding="utf-8")
    first_screen = "\n".join(text.splitlines()[:40])
    assert "make run" in first_screen and "make test" in first_screen
    assert "](docs/find-my-massage.png)" in first_screen
    for page in DOCS:
        assert f"](docs/{page.name}" in text, page.name


def commit_time(pattern: str) -> int | None:
    """The time of the last commit that changed files matching pattern (None: never committed)."""
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--", pattern],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        return None
    return int(done.stdout) if done.stdout.strip() else None


# A commit with this first line says the screenshot was remade after a change and came out the
# same, byte for byte (git records no change to the file, so it needs saying).
SAME_PICTURE = "Screenshot: remade (make screenshot), the same picture"


def checked_time() -> int | None:
    """The time of the last commit that says the screenshot was remade and unchanged."""
    done = subprocess.run(
        ["git", "log", "-1", "--format=%ct", "--fixed-strings", f"--grep={SAME_PICTURE}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return int(done.stdout) if done.returncode == 0 and done.stdout.strip() else None


def test_the_screenshot_is_newer_than_the_page_code_it_shows() -> None:
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True, check=False
    )
    shot = commit_time(SCREENSHOT.relative_to(ROOT).as_posix()) if inside.returncode == 0 else None
    if shot is not None:
        shot = max(shot, checked_time() or 0)
    if shot is None:
        pytest.skip("not a git checkout (or the screenshot is not committed): no commit times")
    newer = [p for p in SHOWN_CODE if (t := commit_time(p)) is not None and t > shot]
    assert newer == [], f"{newer} changed after docs/find-my-massage.png: run `make screenshot`"
