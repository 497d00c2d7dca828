"""``python -m course_lib.build student|site|handouts|outline|lite [NOTEBOOK|FOLDER ...] [--out PATH]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from .glossary import build_glossary
from .handouts import FORMATS, build_handouts
from .lite import build_lite
from .outline import build_outline
from .site import build_site
from .sources import build_dir, notebook_paths, out_dir
from .student import build_student
from .translate import (LANGUAGES, build_translation, catalogue_path, compile_catalogues, update_catalogue,
                        update_glossary, update_questions, update_site)

__all__ = ["main"]

_COMMANDS = {
    "student": "notebooks without worked solutions, into build/student/",
    "site": "offline HTML pages, slides and course map, into build/site/ (--student: build/site-student/)",
    "handouts": "every chart as PNG/SVG/PDF, into build/handouts/<notebook>/",
    "outline": "the lecture outline, into the notebooks' README.md",
    "glossary": "the glossary page (from datasets/glossary.csv), into the notebooks' GLOSSARY.md",
    "lite": "the course in the browser (JupyterLite, offline, nothing to install), into build/lite/",
    "translations": "bring each notebook's catalogue of translations (and the site's own words) in step with "
                    "the English, and list what is left to translate",
    **{code: f"the notebooks in {code}, from the English ones and their translations, run and written "
              f"into notebooks/{code}/" for code in LANGUAGES},
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.build",
        description="Build student versions, the offline static site, chart handouts or the lecture outline.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    for name, text in _COMMANDS.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("notebooks", nargs="*",
                             help="notebooks or folders of notebooks (default: ./notebooks/, else the course's)")
        command.add_argument("--out", help="output folder (file, for outline)")
        if name == "site":
            command.add_argument("--student", action="store_true",
                                 help="build the pages from the student versions (no worked solutions), "
                                      "into build/site-student/")
        if name == "handouts":
            command.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: png,svg,pdf")
        if name == "translations":
            command.add_argument("--language", default=next(iter(LANGUAGES)), choices=sorted(LANGUAGES))
        if name in LANGUAGES:
            command.add_argument("--no-run", action="store_true", help="write the notebooks without running them")
        if name == "lite":
            command.add_argument("--instructor", action="store_true", help="ship the worked solutions")
            command.add_argument("--cache", help="folder of fetched files (default build/lite-cache/)")
            command.add_argument("--offline", action="store_true", help="fetch nothing; use the cache only")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one build command; returns the exit status (2 and a message for a bad argument)."""
    args = _parser().parse_args(argv)
    notebooks = args.notebooks or None
    try:
        if args.command == "student":
            written = build_student(notebooks, args.out)
            print(f"{len(written)} student notebooks in {out_dir(args.out, build_dir() / 'student')}")
        elif args.command == "site":
            report = build_site(notebooks, args.out, student=args.student)
            charts = sum(report.pages.values())
            print(f"{len(report.pages)} pages ({charts} charts) in {report.out}; open {report.out / 'index.html'}")
        elif args.command == "handouts":
            files = build_handouts(notebooks, args.out, args.formats)
            print(f"{len(files)} figure files in {out_dir(args.out, build_dir() / 'handouts')}")
        elif args.command == "glossary":
            print(f"glossary written to {build_glossary(notebooks, args.out)}")
        elif args.command == "lite":
            print(build_lite(notebooks, args.out, instructor=args.instructor, cache=args.cache,
                             offline=args.offline).summary())
        elif args.command == "translations":
            for path in notebook_paths(notebooks):
                left = update_catalogue(path, args.language)
                print(left.describe(str(catalogue_path(path, args.language))) or f"{catalogue_path(path, args.language)}: current")
            for where, left in [update_questions(args.language),
                                *[update_glossary(f, args.language) for f in sorted({p.parent for p in notebook_paths(notebooks)})]]:
                print(left.describe(str(where)) or f"{where}: current")
            compiled = compile_catalogues(args.language)
            where, left = update_site(args.language)  # the site's own words; compiles its site.mo too
            print(left.describe(str(where)) or f"{where}: current")
            compiled.append(where.with_suffix(".mo"))
            print(f"compiled: {', '.join(str(p) for p in compiled)}")
        elif args.command in LANGUAGES:
            written = build_translation(args.command, notebooks, args.out, execute=not args.no_run)
            print(f"{len(written)} notebooks in {args.command} in {written[0].parent if written else '-'}")
        else:
            print(f"outline written to {build_outline(notebooks, args.out)}")
    except (TypeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0
