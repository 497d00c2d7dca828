"""Build the course for its other two audiences: instructors and readers who never start a kernel.

One line each, with the course's Python (``.venv/bin/python -m course_lib.build ...``, which hands
over to this package), run from the course's folder; the notebooks (``notebooks/``) stay the
instructor version and the only source, and the output goes under ``build/`` in the current folder::

    python -m course_lib.build student            # build/student/: exercises without worked solutions
    python -m course_lib.build site               # build/site/: offline HTML pages + slides, charts live
    python -m course_lib.build site --student     # build/site-student/: the same from the student versions
    python -m course_lib.build handouts           # build/handouts/: every chart as PNG, SVG and PDF
    python -m course_lib.build outline            # notebooks/README.md: the lecture outline

Each command takes notebooks or folders of notebooks to work on (default: ``notebooks/`` of the
current folder, else of the course's checkout) and ``--out PATH``; ``handouts`` also takes
``--formats png,svg``. Nothing needs a kernel; nothing needs the internet.

The conventions it relies on (see docs/architecture.md): cells tagged ``solution`` hold
worked solutions, cells tagged ``exercise`` are where a student writes an answer, cells tagged
``instructor`` are notes for instructors (left out of every student build), charts are stored
as ``application/vnd.vegalite.v5+json`` outputs, ``metadata.slideshow.slide_type`` marks slides,
and each notebook's front matter is in its metadata, ``metadata["course"]``.

The parts, each usable alone: :mod:`~course_tools.build.student` (nbconvert preprocessors),
:mod:`~course_tools.build.exporters` (nbconvert exporters and the Jinja templates of
``templates/course/``), :mod:`~course_tools.build.site`, :mod:`~course_tools.build.handouts`,
:mod:`~course_tools.build.outline`, :mod:`~course_tools.build.front_matter`.

>>> import nbformat
>>> from course_tools import build
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("answer = 0  # your answer here", metadata={"tags": ["exercise"]}),
...     nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]})])
>>> student = build.student_notebook(nb)
>>> "42" in student.cells[1].source, student.cells[1].metadata["tags"]
(False, ['solution-removed'])
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "sources": ["VEGALITE_MIME", "WIDGET_VIEW_MIME", "WIDGET_STATE_MIME", "checkout", "notebook_dir",
                    "build_dir", "discover"],
        "front_matter": ["front_matter", "FrontMatter"],
        "student": ["STUB_CODE", "STUB_MARKDOWN", "INSTRUCTOR_TAG", "student_notebook", "build_student", "StudentExporter"],
        "collect": ["Chart", "charts_in"],
        "handouts": ["FORMATS", "build_handouts"],
        "markup": ["markdown", "tex_to_mathml"],
        "contrast": ["contrast_ratio", "readable", "pygments_css"],
        "exporters": ["CoursePageExporter", "CourseSlidesExporter", "render_page", "render_slides"],
        "site": ["SiteReport", "build_site"],
        "outline": ["outline", "build_outline"],
        "cli": ["main"],
    },
)
