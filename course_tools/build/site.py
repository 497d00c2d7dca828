"""The static site: a page and offline slides per notebook, and a course map (``index.html``).

``build_site(student=True)`` (``python -m course_lib.build site --student``) builds the same site
from the student versions of the notebooks (:func:`course_tools.build.student_notebook`: no worked
solutions, exercises open), into ``build/site-student/``; its notebooks to download are the
student versions too.

Everything the pages need is in the site's folder: ``_static/`` holds the style sheets, the
scripts (from ``templates/course/static/``) and one shared Vega bundle; ``notebooks/`` the
notebooks to download. Pages work from a plain file server or a USB stick, without internet.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from ._templates import TEMPLATES
from .contrast import pygments_css
from .exporters import export, exporter
from .front_matter import front_matter
from .sources import build_dir, copy_support_files, notebook_paths, out_dir, read, safe_out
from .student import student_notebook
from .vega import write_bundle

__all__ = ["SITE_MARKER", "SiteReport", "course_title", "build_site"]

SITE_MARKER = ".course-site"  # marks a folder build_site wrote, so a rebuild may clear it


@dataclass
class SiteReport:
    """What :func:`build_site` wrote (the tests read it)."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)  # page path (relative) -> charts on it
    widgets: int = 0  # live explorers shown as their default view


def course_title(paths: list[Path]) -> str:
    """The course's name: the first ``# heading`` of the ``README.md`` one folder above the
    notebooks (up to a dash), else ``"Course"``."""
    for folder in dict.fromkeys(p.resolve().parent.parent for p in paths):
        readme = folder / "README.md"
        if readme.is_file():
            for line in readme.read_text(encoding="utf-8").splitlines():
                if line.startswith("# "):
                    return line[2:].split("—")[0].strip()
    return "Course"


def _prepare(out: Path) -> None:
    """Make ``out`` ready for a (re)build: new, empty, or written by an earlier build."""
    defaults = {(build_dir() / name).resolve() for name in ("site", "site-student")}
    ours = out.resolve() in defaults or (out / SITE_MARKER).exists()
    if out.exists() and any(out.iterdir()) and not ours:
        raise ValueError(f"out={str(out)!r} is a folder with other files in it; the site needs a new or empty "
                         "folder (a rebuild clears what the previous build wrote)")
    out.mkdir(parents=True, exist_ok=True)
    (out / SITE_MARKER).write_text("written by python -m course_lib.build site\n", encoding="utf-8")
    for sub in ("_static", "notebooks"):
        if (out / sub).exists():
            shutil.rmtree(out / sub)
        (out / sub).mkdir(parents=True)
    for stale in out.glob("*.html"):
        stale.unlink()


def _static(folder: Path) -> None:
    """Style sheets and scripts: the templates' own, Pygments' colours, the Vega bundle."""
    for item in sorted((TEMPLATES / "course" / "static").iterdir()):
        shutil.copy2(item, folder / item.name)
    # Pygments' colours, each darkened where it falls under 4.5:1 on the code's background.
    (folder / "pygments.css").write_text(pygments_css("default", background="#f5f5f2"), encoding="utf-8")
    write_bundle(folder)


def build_site(notebooks: str | Path | Iterable[str | Path] | None = None, out: str | Path | None = None,
               course: str | None = None, *, student: bool = False) -> SiteReport:
    """Write the static site: ``index.html``, ``<name>.html`` and ``<name>.slides.html`` per notebook.

    ``out`` (default ``build/site/``, or ``build/site-student/`` with ``student=True``) must be new,
    empty or an earlier site. ``course`` names the course in the pages' header (default:
    :func:`course_title`). ``student=True`` builds every page, slide and download from the student
    version of its notebook (worked solutions left out). Returns what was written.
    """
    if not isinstance(student, bool):
        raise TypeError(f"student must be True or False, got {student!r}")
    paths = notebook_paths(notebooks)
    target = safe_out(out_dir(out, build_dir() / ("site-student" if student else "site")), paths)
    if course is not None and not isinstance(course, str):
        raise TypeError(f"course must be the course's name as text, got {course!r}")
    _prepare(target)
    copy_support_files(paths, target)  # pages link to files beside the notebooks by relative path
    _static(target / "_static")
    course = course or course_title(paths)
    report = SiteReport(target)
    books = [(p.stem, student_notebook(read(p)) if student else read(p)) for p in paths]
    links = [(f"{name}.html", front_matter(nb)["title"] or name) for name, nb in books]
    entries = []
    for i, (path, (name, nb)) in enumerate(zip(paths, books)):
        page, found = export("page", nb, name=name, course=course, previous=links[i - 1] if i > 0 else None,
                             following=links[i + 1] if i + 1 < len(books) else None)
        deck, shown = export("slides", nb, name=name, course=course)
        (target / f"{name}.html").write_text(page, encoding="utf-8")
        (target / f"{name}.slides.html").write_text(deck, encoding="utf-8")
        if student:
            nbformat.write(nb, target / "notebooks" / path.name)
        else:
            shutil.copy2(path, target / "notebooks" / path.name)
        report.pages[f"{name}.html"] = found["charts"]
        report.pages[f"{name}.slides.html"] = shown["charts"]
        report.widgets += found["explorers"]
        entries.append({"name": name, "meta": front_matter(nb), "charts": found["charts"],
                        "slides": len(shown["slides"])})
    index = exporter("page").environment.get_template("map.html.j2").render(
        course=course, entries=entries, version="student" if student else "",
        language=books[0][1].metadata.get("course", {}).get("language", "en") if books else "en")
    (target / "index.html").write_text(index, encoding="utf-8")
    report.pages["index.html"] = 0
    return report
