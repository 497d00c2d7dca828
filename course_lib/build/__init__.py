"""Build the course for its other two audiences: instructors and readers who never start a kernel.

One line each, with the course's Python (``.venv/bin/python -m course_lib.build ...``); the output
folders live under ``build/``, which git ignores, and the notebooks in ``notebooks/`` stay the
instructor version and the only source::

    python -m course_lib.build student            # build/student/: exercises without worked solutions
    python -m course_lib.build site               # build/site/: offline HTML pages + slides, charts live
    python -m course_lib.build handouts           # build/handouts/: every chart as PNG, SVG and PDF
    python -m course_lib.build outline            # notebooks/README.md: the lecture outline

Each command takes notebook paths to work on only those (default: every ``notebooks/*.ipynb``)
and ``--out FOLDER``; ``handouts`` also takes ``--formats png,svg``. Nothing needs a kernel except
checking the student versions (the tests do that); nothing needs the internet.

The conventions it relies on (see the README, "For contributors"): cells tagged ``solution`` hold
worked solutions, cells tagged ``exercise`` are where a student writes an answer, charts are stored
as ``application/vnd.vegalite.v5+json`` outputs, and ``metadata.slideshow.slide_type`` marks slides.

>>> import nbformat
>>> nb = nbformat.v4.new_notebook(cells=[
...     nbformat.v4.new_code_cell("answer = 0  # your answer here", metadata={"tags": ["exercise"]}),
...     nbformat.v4.new_code_cell("answer = 42", metadata={"tags": ["solution"]})])
>>> student = student_notebook(nb)
>>> "42" in student.cells[1].source, student.cells[1].metadata["tags"]
(False, ['solution-removed'])
"""

from __future__ import annotations

import argparse
import copy
import html
import json
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = [
    "ROOT", "NOTEBOOK_DIR", "BUILD_DIR", "VEGALITE_MIME", "WIDGET_VIEW_MIME", "WIDGET_STATE_MIME",
    "STUB_CODE", "STUB_MARKDOWN", "FORMATS", "discover", "front_matter", "student_notebook",
    "build_student", "charts_in", "build_handouts", "build_site", "render_page", "render_slides",
    "outline", "build_outline", "demo_notebook", "DEMO_SECRET", "main",
]

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK_DIR = ROOT / "notebooks"
BUILD_DIR = ROOT / "build"
VEGALITE_MIME = "application/vnd.vegalite.v5+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"
STUB_CODE = (
    "# your answer here\n"
    "# (scratch space: the worked solution is in the instructor version of this notebook)\n"
)
STUB_MARKDOWN = "*Worked solution: in the instructor version of this notebook.*"
FORMATS = ("png", "svg", "pdf")
SITE_MARKER = ".course-site"  # marks a folder build_site wrote, so a rebuild may clear it


# --------------------------------------------------------------------------------------------
# Finding and reading notebooks
# --------------------------------------------------------------------------------------------

def discover(folder=None) -> list[Path]:
    """Every ``*.ipynb`` directly in ``folder`` (default ``notebooks/``), sorted by name.

    Checkpoint copies (``.ipynb_checkpoints``) are not included: only the folder's own files.
    """
    folder = NOTEBOOK_DIR if folder is None else folder
    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}")
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder={str(folder)!r} is not a directory; give the folder holding the notebooks")
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file())


def _paths(notebooks) -> list[Path]:
    """Validate a list of notebook paths (None: every notebook in ``notebooks/``)."""
    if notebooks is None:
        return discover()
    if isinstance(notebooks, (str, Path)):
        notebooks = [notebooks]
    paths = []
    for item in notebooks:
        if not isinstance(item, (str, Path)):
            raise TypeError(f"notebooks must be paths to .ipynb files, got {type(item).__name__}: {item!r}")
        path = Path(item)
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"notebook {str(path)!r} is not an existing .ipynb file")
        paths.append(path)
    return paths


def _read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def _out_dir(out, default: Path) -> Path:
    if out is None:
        return default
    if not isinstance(out, (str, Path)):
        raise TypeError(f"out must be a folder path, got {type(out).__name__}")
    return Path(out)


def _safe_out(out: Path, paths: list[Path]) -> Path:
    """Refuse output folders where a build would overwrite or delete the course itself."""
    target = out.resolve()
    sources = {p.parent.resolve() for p in paths}
    if target in sources or target == ROOT or target in ROOT.parents:
        raise ValueError(
            f"out={str(out)!r} would overwrite the course's own files; choose a new folder, e.g. build/..."
        )
    return out


def _copy_support_files(paths: list[Path], out: Path) -> list[Path]:
    """Copy what sits beside the notebooks (data templates, images) into ``out``, same layout.

    Notebooks may open files relative to their folder (e.g. ``park_template/exchanges.csv``), so
    a student folder or a site without them would break. Not copied: notebooks, hidden entries
    (``.ipynb_checkpoints``), ``__pycache__`` and the instructors' ``README.md``.
    """
    copied = []
    for folder in sorted({p.parent.resolve() for p in paths}):
        for item in sorted(folder.iterdir()):
            if item.suffix == ".ipynb" or item.name.startswith(".") or item.name in ("README.md", "__pycache__"):
                continue
            target = out / item.name
            if item.is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True,
                                ignore=shutil.ignore_patterns(".*", "__pycache__"))
            else:
                shutil.copy2(item, target)
            copied.append(target)
    return copied


_LABELS = {
    "time": ("time", "duration"),
    "prerequisites": ("prerequisites", "prerequisite", "requires", "before this"),
    "objectives": ("learning objectives", "objectives", "you will learn", "by the end"),
    "instructors": ("for instructors", "instructor notes", "instructor note"),
}
_LABEL_LINE = re.compile(
    r"^[\s>#*_\-]*(?:\*\*|__)?\s*(" + "|".join(re.escape(w) for ws in _LABELS.values() for w in ws)
    + r")\b([^\n]*)$",
    re.IGNORECASE,
)
_LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(.*)$")


def _clean(text: str) -> str:
    """Strip markdown emphasis markers and a leading colon from a label's remainder."""
    text = re.sub(r"^[^\w(]*?(?:\*\*|__)?\s*[:.—–-]?\s*(?:\*\*|__)?\s*", "", text.strip(), count=1)
    return text.strip().strip("*_").strip()


def front_matter(nb) -> dict:
    """Title, time, prerequisites, objectives and the instructors' note from a notebook's first cell.

    The first cell is written for people, so this reads it leniently: a label ("Time",
    "Prerequisites", "Learning objectives", "For instructors", bold or as a heading) followed by
    text on the same line and/or a list below. Fields not found are empty.

    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(
    ...     "# Energy tables\\n\\n**Learning objectives**\\n\\n- read a table\\n- convert units\\n\\n"
    ...     "**Time:** 45 min\\n\\n**For instructors.** Pause after the chart.")])
    >>> meta = front_matter(nb)
    >>> meta["title"], meta["time"], meta["objectives"], meta["instructors"]
    ('Energy tables', '45 min', ['read a table', 'convert units'], 'Pause after the chart.')
    """
    info = {"title": "", "time": "", "prerequisites": "", "objectives": [], "instructors": ""}
    first = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    if first is None:
        return info
    # "**Time:** 45 min · **Prerequisites:** 00" or "**Time:** 45 min. **Prerequisites:** 00" on
    # one line count as two lines.
    labels = "|".join(re.escape(w) for ws in _LABELS.values() for w in ws)
    splitter = re.compile(r"\s+·\s+(?=\W*\w)|(?<=\S)\s+(?=(?:\*\*|__)(?:" + labels + r")\b)", re.IGNORECASE)
    lines = [part for line in first.source.splitlines()
             for part in ([line] if line.lstrip().startswith("#") else splitter.split(line))]
    key, lead = None, ""
    for line in lines:
        text = re.sub(r"^\s*>\s?", "", line)  # a label may sit in a blockquote
        if not info["title"] and re.match(r"^#\s+\S", text):
            info["title"] = text.lstrip("#").strip()
            key = None
            continue
        match = _LABEL_LINE.match(text)
        if match:
            label = match.group(1).lower()
            key = next(k for k, words in _LABELS.items() if label in words)
            rest = _clean(match.group(2)).rstrip(".").strip() if key in ("time", "prerequisites") else _clean(match.group(2))
            if key == "objectives":
                lead = rest  # "After this notebook you can" introduces a list; alone, it is the objective
            elif rest:
                info[key] = rest
            continue
        item = _LIST_ITEM.match(text)
        if not text.strip():
            if key is not None and info[key]:  # a blank line ends a field once it has content
                key = None
        elif text.startswith("#"):
            key = None
        elif key == "objectives" and item:
            info["objectives"].append(item.group(1).strip().rstrip(";,.").strip())
        elif key in ("instructors", "prerequisites", "time"):
            info[key] = (info[key] + " " + (item.group(1) if item else text.strip())).strip()
    if not info["objectives"] and len(lead) > 3 and not lead.endswith(":"):
        info["objectives"] = [lead]
    return info


# --------------------------------------------------------------------------------------------
# Student versions
# --------------------------------------------------------------------------------------------

def _widget_ids(value) -> set[str]:
    """Widget model ids mentioned anywhere in ``value`` (outputs or widget state)."""
    text = json.dumps(value)
    ids = set(re.findall(r"IPY_MODEL_([0-9a-f]+)", text))
    ids.update(re.findall(r'"model_id": "([0-9a-f]+)"', text))
    return ids


def _prune_widget_state(nb) -> None:
    """Keep only the widget models that a remaining output displays (and their children)."""
    widgets = nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME)
    if not widgets:
        return
    state = widgets.get("state", {})
    todo = _widget_ids([c.get("outputs", []) for c in nb.cells if c.cell_type == "code"])
    keep: set[str] = set()
    while todo:
        model = todo.pop()
        if model in keep or model not in state:
            continue
        keep.add(model)
        todo |= _widget_ids(state[model]) - keep
    widgets["state"] = {k: v for k, v in state.items() if k in keep}


def student_notebook(nb) -> nbformat.NotebookNode:
    """A copy of ``nb`` for students: worked solutions replaced by a stub, exercise outputs cleared.

    * cells tagged ``solution``: source replaced by :data:`STUB_CODE` (code) or
      :data:`STUB_MARKDOWN` (markdown), outputs and attachments dropped, tag renamed
      ``solution-removed``;
    * cells tagged ``exercise``: outputs cleared; tagged ``raises-exception`` as well, so a
      half-written answer that raises does not stop "Run All" in JupyterLab (nbval honours the tag
      too);
    * widget state kept only for widgets that a remaining output shows;
    * everything else (text, charts, other outputs, slide metadata) unchanged.
    """
    if not isinstance(nb, nbformat.NotebookNode):
        raise TypeError(f"nb must be an nbformat NotebookNode, got {type(nb).__name__}")
    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        tags = _tags(cell)
        if "solution" in tags:
            tags = (tags - {"solution"}) | {"solution-removed"}
            cell.source = STUB_CODE if cell.cell_type == "code" else STUB_MARKDOWN
            cell.pop("attachments", None)
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
            cell.metadata["tags"] = sorted(tags)
        elif "exercise" in tags:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
            cell.metadata["tags"] = sorted(tags | {"raises-exception"})
    _prune_widget_state(nb)
    nb.metadata.setdefault("course", {})["version"] = "student"
    return nb


def build_student(notebooks=None, out=None) -> list[Path]:
    """Write the student version of each notebook into ``out`` (default ``build/student/``).

    Files beside the notebooks (templates a notebook opens by relative path) are copied too; the
    datasets are not: ``course_lib`` finds ``datasets/`` by itself. Returns the notebooks written.
    """
    paths = _paths(notebooks)
    out = _safe_out(_out_dir(out, BUILD_DIR / "student"), paths)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths:
        target = out / path.name
        nbformat.write(student_notebook(_read(path)), target)
        written.append(target)
    _copy_support_files(paths, out)
    return written


# --------------------------------------------------------------------------------------------
# Charts and handouts
# --------------------------------------------------------------------------------------------

@dataclass
class Chart:
    """One chart stored in a notebook: its Vega-Lite spec and where it came from."""

    spec: dict
    cell: int  # index of the cell in the notebook
    in_widget: bool = False  # the default view of a live explorer, taken from saved widget state

    @property
    def title(self) -> str:
        title = self.spec.get("title", "")
        if isinstance(title, dict):
            title = title.get("text", "")
        if isinstance(title, list):
            title = " ".join(map(str, title))
        return str(title)

    def to_dict(self) -> dict:  # what course_lib.charts.save needs from a chart
        return self.spec


def _widget_state(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE_MIME, {}).get("state", {})


def _widget_outputs(state: dict, model_id: str, seen=None) -> list[dict]:
    """The outputs shown inside widget ``model_id`` (its Output widgets), in display order."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id].get("state", {})
    outputs = list(model.get("outputs", [])) if state[model_id].get("model_name") == "OutputModel" else []
    for child in model.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            outputs += _widget_outputs(state, child[len("IPY_MODEL_"):], seen)
    return outputs


def _widget_controls(state: dict, model_id: str, seen=None) -> list[dict]:
    """The controls (models with a ``value``) inside widget ``model_id``, in display order."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    entry = state[model_id]
    model = entry.get("state", {})
    found = []
    if "value" in model and entry.get("model_name") not in ("HTMLModel", "LabelModel", "OutputModel"):
        found.append({"kind": entry.get("model_name", "").removesuffix("Model"), **model})
    for child in model.get("children", []):
        if isinstance(child, str) and child.startswith("IPY_MODEL_"):
            found += _widget_controls(state, child[len("IPY_MODEL_"):], seen)
    return found


def charts_in(nb) -> list[Chart]:
    """Every chart stored in ``nb``'s outputs, in order, including explorers' saved default views."""
    state = _widget_state(nb)
    found = []
    for index, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if VEGALITE_MIME in data:
                found.append(Chart(dict(data[VEGALITE_MIME]), index))
            elif WIDGET_VIEW_MIME in data:
                for inner in _widget_outputs(state, data[WIDGET_VIEW_MIME].get("model_id", "")):
                    if VEGALITE_MIME in inner.get("data", {}):
                        found.append(Chart(dict(inner["data"][VEGALITE_MIME]), index, in_widget=True))
    return found


def _slug(text: str, limit: int = 40) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if len(slug) > limit:  # cut at a word boundary
        cut = slug[: limit + 1]
        slug = cut.rsplit("-", 1)[0] if "-" in cut else slug[:limit]
    return slug or "chart"


def build_handouts(notebooks=None, out=None, formats=FORMATS) -> list[Path]:
    """Export every chart of each notebook as files for slides or print (``charts.save``).

    Writes ``out/<notebook>/NN-<title>.<format>`` (default ``build/handouts/``) and a
    ``README.md`` per notebook listing each figure with its title and text description (use it as
    alt text). Charts come from the stored outputs, so the notebook is not run; run it first if it
    has none. Returns the paths of the figure files.
    """
    from .. import charts as course_charts

    if isinstance(formats, str):
        formats = [f.strip() for f in formats.split(",") if f.strip()]
    if not isinstance(formats, (list, tuple)) or not formats:
        raise ValueError(f"formats must be a non-empty list drawn from {FORMATS}, got {formats!r}")
    bad = [f for f in formats if f not in FORMATS]
    if bad:
        raise ValueError(f"formats {bad!r} not supported; choose from {', '.join(FORMATS)}")
    paths = _paths(notebooks)
    out = _safe_out(_out_dir(out, BUILD_DIR / "handouts"), paths)
    written = []
    for path in paths:
        found = charts_in(_read(path))
        folder = out / path.stem
        if folder.exists():
            shutil.rmtree(folder)  # no stale figures from an earlier version of the notebook
        folder.mkdir(parents=True)
        lines = [f"# Figures of `{path.name}`", "",
                 f"{len(found)} charts, exported by `python -m course_lib.build handouts`.", ""]
        for number, chart in enumerate(found, 1):
            stem = f"{number:02d}-{_slug(chart.title)}"
            for fmt in formats:
                written.append(course_charts.save(chart, folder / f"{stem}.{fmt}"))
            description = chart.spec.get("description", "")
            origin = " (default view of a live explorer)" if chart.in_widget else ""
            lines += [f"## {number}. {chart.title or 'Untitled chart'}{origin}", "",
                      "Files: " + ", ".join(f"`{stem}.{fmt}`" for fmt in formats), "",
                      f"Description: {description}" if description else "Description: (none given)", ""]
        (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")
    return written


# --------------------------------------------------------------------------------------------
# Static site: HTML rendering of cells and outputs
# --------------------------------------------------------------------------------------------

# ---- TeX in markdown, as MathML (drawn by the browser itself: no MathJax, no internet) ----

_TEX_SYMBOLS = {
    "cdot": "⋅", "times": "×", "div": "÷", "pm": "±", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼", "to": "→", "rightarrow": "→", "infty": "∞",
    "sum": "∑", "prod": "∏", "%": "%", "ldots": "…", "dots": "…", "cdots": "⋯", "propto": "∝",
    "{": "{", "}": "}", "lvert": "|", "rvert": "|",
}
_TEX_GREEK = {name: chr(code) for name, code in zip(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau "
    "upsilon phi chi psi omega".split(), range(0x3B1, 0x3CA))}
_TEX_GREEK.pop("omicron")
_TEX_GREEK.update({"varepsilon": "ε", "varphi": "φ", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ",
                   "Pi": "Π", "Sigma": "Σ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω"})
_TEX_FUNCTIONS = {"ln", "log", "exp", "sin", "cos", "tan", "arctan", "arcsin", "arccos", "max", "min", "lim"}
_TEX_SPACES = {",": "0.17em", ";": "0.28em", ":": "0.22em", " ": "0.25em", "quad": "1em", "qquad": "2em", "!": "0em"}
_TEX_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\d+(?:\.\d+)?)|(\s+)|(.)", re.S)


class _TexUnsupported(ValueError):
    pass


def _tex_to_mathml(tex: str, display: bool = False) -> str:
    """A small subset of TeX (fractions, roots, scripts, \\left/\\right, text, greek, operators)
    as MathML; anything else raises ``_TexUnsupported`` and the caller keeps the TeX as text.

    >>> _tex_to_mathml(r"x^2")
    '<math><msup><mi>x</mi><mn>2</mn></msup></math>'
    """
    tokens = [(m.group(1), m.group(2), m.group(4)) for m in _TEX_TOKEN.finditer(tex) if not m.group(3)]
    position = 0

    def peek():
        return tokens[position] if position < len(tokens) else (None, None, None)

    def take():
        nonlocal position
        position += 1
        return tokens[position - 1]

    def skip_group() -> str:  # step over the {...} after \\text; returns its text without spaces
        if take()[2] != "{":
            raise _TexUnsupported("\\text needs {...}")
        depth, seen = 1, []
        while True:
            if position >= len(tokens):
                raise _TexUnsupported("unbalanced braces")
            command, number, char = take()
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth == 0:
                return "".join(seen)
            seen.append(f"\\{command}" if command else (number or char))

    def atom() -> str:
        command, number, char = take()
        if number:
            return f"<mn>{number}</mn>"
        if char == "{":
            inner = row(stop="}")
            take()
            return f"<mrow>{inner}</mrow>"
        if char is not None:
            if char.isalpha():
                return f"<mi>{html.escape(char)}</mi>"
            if char in "+-=<>/()[],|!'.:;*":
                return f"<mo>{html.escape(char.replace('-', '−'))}</mo>"
            raise _TexUnsupported(char)
        if command in ("frac", "tfrac", "dfrac"):
            top, bottom = atom(), atom()
            return f"<mfrac>{top}{bottom}</mfrac>"
        if command == "sqrt":
            return f"<msqrt>{atom()}</msqrt>"
        if command in ("text", "mathrm", "textrm"):
            return f"<mtext>{html.escape(text_of_group())}</mtext>"
        if command == "left":
            opening = delimiter()
            inner = row(stop="right")
            take()
            closing = delimiter()
            return f'<mrow><mo stretchy="true">{opening}</mo>{inner}<mo stretchy="true">{closing}</mo></mrow>'
        if command in _TEX_SPACES:
            return f'<mspace width="{_TEX_SPACES[command]}"></mspace>'
        if command in _TEX_SYMBOLS:
            return f"<mo>{html.escape(_TEX_SYMBOLS[command])}</mo>"
        if command in _TEX_GREEK:
            return f"<mi>{_TEX_GREEK[command]}</mi>"
        if command in _TEX_FUNCTIONS:
            return f"<mi>{command}</mi><mo>&#x2061;</mo>"
        raise _TexUnsupported(f"\\{command}")

    def text_of_group() -> str:
        compact = skip_group()
        if not text_spans or re.sub(r"\s+", "", text_spans[0]) != compact:
            raise _TexUnsupported("\\text with braces inside")
        return text_spans.pop(0)

    def delimiter() -> str:
        command, number, char = take()
        if char in ("(", ")", "[", "]", "|", "."):
            return "" if char == "." else char
        if command in ("{", "}", "lvert", "rvert", "langle", "rangle"):
            return {"langle": "⟨", "rangle": "⟩"}.get(command, _TEX_SYMBOLS.get(command, command))
        raise _TexUnsupported("delimiter")

    def scripted() -> str:
        base = atom()
        sub = sup = None
        while peek()[2] in ("^", "_"):
            kind = take()[2]
            if kind == "^":
                sup = atom()
            else:
                sub = atom()
        if sub and sup:
            return f"<msubsup>{base}{sub}{sup}</msubsup>"
        if sup:
            return f"<msup>{base}{sup}</msup>"
        if sub:
            return f"<msub>{base}{sub}</msub>"
        return base

    def row(stop=None) -> str:
        parts = []
        while position < len(tokens):
            command, number, char = peek()
            if (stop == "}" and char == "}") or (stop == "right" and command == "right"):
                return "".join(parts)
            if char == "}":
                raise _TexUnsupported("unbalanced braces")
            parts.append(scripted())
        if stop:
            raise _TexUnsupported(f"missing {stop}")
        return "".join(parts)

    # The tokenizer drops spaces, so the words of \text{...} are read from the source beforehand.
    text_spans = re.findall(r"\\(?:text|mathrm|textrm)\s*\{([^{}]*)\}", tex)
    body = row()
    block = ' display="block"' if display else ""
    return f"<math{block}>{body}</math>"


def _math(markup: str) -> str:
    """Replace $...$ and $$...$$ in rendered markdown (outside code) by MathML; keep what fails."""

    def convert(match):
        display = match.group(1) is not None
        tex = html.unescape(match.group(1) if display else match.group(2))
        try:
            return _tex_to_mathml(tex.strip(), display)
        except (_TexUnsupported, IndexError):
            return f'<code class="tex">{html.escape(tex.strip())}</code>'

    parts = re.split(r"(<pre[\s>].*?</pre>|<code[\s>].*?</code>)", markup, flags=re.S)
    pattern = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$([^$\n]+?)\$", re.S)
    return "".join(part if i % 2 else pattern.sub(convert, part) for i, part in enumerate(parts))


def _markdown(source: str, attachments: dict | None = None) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    if attachments:
        for name, bundle in attachments.items():
            for mime, payload in bundle.items():
                if mime.startswith("image/"):
                    source = source.replace(f"attachment:{name}", f"data:{mime};base64,{payload}")
                    break
    return _math(markdown2html_mistune(source))


def _highlight(source: str) -> str:
    from nbconvert.filters.highlight import Highlight2HTML

    return Highlight2HTML(pygments_lexer="ipython3")(source)


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


_UNSAFE_HTML = re.compile(r"<script|<iframe|\bsrc\s*=\s*[\"']?(?:https?:)?//|\bhref\s*=\s*[\"']?(?:https?:)?//[^\"' >]*\.(?:css|js)\b", re.I)


class _Renderer:
    """Turns one notebook's cells into HTML, numbering charts across the page."""

    def __init__(self, nb, *, chart_prefix: str = "chart"):
        self.nb = nb
        self.state = _widget_state(nb)
        self.prefix = chart_prefix
        self.charts = 0
        self.widgets = 0

    def chart(self, spec: dict) -> str:
        self.charts += 1
        number = self.charts
        description = spec.get("description", "")
        payload = json.dumps(spec, ensure_ascii=False).replace("</", "<\\/")
        text = (f'<details class="chart-text"><summary>Text description</summary><p>{html.escape(description)}</p></details>'
                if description else "")
        return (f'<figure class="chart" id="{self.prefix}-{number}" data-status="pending">'
                f'<div class="chart-view" role="img" aria-label="{html.escape(description or "chart")}"></div>'
                f'<script type="application/json" class="chart-spec">{payload}</script>{text}</figure>')

    def widget(self, model_id: str, fallback: str) -> str:
        self.widgets += 1
        controls = _widget_controls(self.state, model_id)
        inner = _widget_outputs(self.state, model_id)
        items = []
        for control in controls:
            label = control.get("description") or control["kind"]
            extra = ""
            if "min" in control and "max" in control:
                extra = f" (from {control['min']} to {control['max']})"
            elif control.get("_options_labels"):
                extra = " (choices: " + ", ".join(map(str, control["_options_labels"])) + ")"
            items.append(f"<li><b>{html.escape(str(label))}</b>: {html.escape(str(control['value']))}"
                         f"{html.escape(extra)}</li>")
        note = ("<p class=\"widget-note\"><b>Live explorer.</b> In JupyterLab with a running kernel, "
                "its controls redraw the output. This page cannot run Python, so it shows the "
                + ("output for the default settings below." if inner else "explorer's description only.")
                + " Open the notebook to explore.</p>")
        body = "".join(self.output(o) for o in inner) if inner else f"<pre class=\"output-text\">{html.escape(fallback)}</pre>"
        listing = f"<ul class=\"widget-controls\">{''.join(items)}</ul>" if items else ""
        return f'<div class="widget-static">{note}{listing}{body}</div>'

    def output(self, output: dict) -> str:
        kind = output.get("output_type")
        if kind == "stream":
            css = "output-stderr" if output.get("name") == "stderr" else "output-stream"
            from nbconvert.filters.ansi import ansi2html
            return f'<pre class="{css}">{ansi2html(html.escape(_text(output.get("text", "")), quote=False))}</pre>'
        if kind == "error":
            from nbconvert.filters.ansi import ansi2html
            trace = "\n".join(output.get("traceback", [])) or f"{output.get('ename')}: {output.get('evalue')}"
            return f'<pre class="output-error">{ansi2html(html.escape(trace, quote=False))}</pre>'
        data = output.get("data", {})
        plain = _text(data.get("text/plain", ""))
        if WIDGET_VIEW_MIME in data:
            return self.widget(data[WIDGET_VIEW_MIME].get("model_id", ""), plain)
        if VEGALITE_MIME in data:
            return self.chart(data[VEGALITE_MIME])
        if "text/html" in data and not _UNSAFE_HTML.search(_text(data["text/html"])):
            return f'<div class="output-html">{_text(data["text/html"])}</div>'
        if "image/svg+xml" in data:
            return f'<div class="output-image">{_text(data["image/svg+xml"])}</div>'
        for mime in ("image/png", "image/jpeg", "image/gif"):
            if mime in data:
                return f'<div class="output-image"><img alt="{html.escape(plain)}" src="data:{mime};base64,{_text(data[mime]).strip()}"></div>'
        if "text/markdown" in data:
            return f'<div class="output-markdown">{_markdown(_text(data["text/markdown"]))}</div>'
        if "text/latex" in data:
            return f'<pre class="output-text">{html.escape(_text(data["text/latex"]))}</pre>'
        if any(m in data for m in ("application/javascript", "text/html")):
            return '<p class="output-note">(An output that needs a live notebook is not shown here.)</p>'
        if plain:
            return f'<pre class="output-text">{html.escape(plain)}</pre>'
        return ""

    def cell(self, cell, *, show_input: bool = True) -> str:
        tags = _tags(cell)
        classes = ["cell", f"cell-{cell.cell_type}"] + [f"tag-{re.sub(r'[^a-z0-9-]', '', t.lower())}" for t in sorted(tags)]
        if cell.cell_type == "markdown":
            body = _markdown(cell.source, cell.get("attachments"))
        elif cell.cell_type == "code":
            label = ""
            if "solution" in tags:
                label = '<p class="cell-label">Worked solution</p>'
            elif "exercise" in tags:
                label = '<p class="cell-label">Exercise: your answer goes here</p>'
            # Test markers (# NBVAL_CHECK_OUTPUT ...) are plumbing, not part of the lesson.
            code = "\n".join(line for line in cell.source.splitlines() if not re.match(r"\s*#\s*NBVAL_", line))
            source = f'<div class="cell-input">{_highlight(code)}</div>' if show_input and code.strip() else ""
            outputs = "".join(self.output(o) for o in cell.get("outputs", []))
            body = label + source + (f'<div class="cell-outputs">{outputs}</div>' if outputs else "")
            if not body:
                return ""
        else:
            body = f"<pre>{html.escape(cell.source)}</pre>"
        return f'<section class="{" ".join(classes)}">{body}</section>'


_STYLE = """
:root { --ink: #1b1b1b; --muted: #555; --accent: #0072B2; --paper: #fff; --code: #f5f5f2; --rule: #ddd; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: var(--paper);
  font: 17px/1.55 "Source Sans Pro", "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
header.site { background: #0b3d5c; color: #fff; padding: .6rem 1.2rem; display: flex; gap: 1.2rem;
  align-items: baseline; flex-wrap: wrap; }
header.site a { color: #fff; text-decoration: none; }
header.site .brand { font-weight: 700; }
main { max-width: 980px; margin: 0 auto; padding: 1rem 1.2rem 4rem; }
h1, h2, h3 { line-height: 1.25; }
.anchor-link { visibility: hidden; text-decoration: none; margin-left: .3rem; }
h1:hover .anchor-link, h2:hover .anchor-link, h3:hover .anchor-link { visibility: visible; }
.cell { margin: .8rem 0; }
.cell-input .highlight { background: var(--code); border-left: 3px solid var(--rule); padding: .5rem .8rem;
  overflow-x: auto; font-size: 14px; border-radius: 3px; }
.cell-input pre, pre { margin: 0; font-family: "Source Code Pro", Menlo, Consolas, monospace; }
.cell-outputs { margin-top: .4rem; }
pre.output-stream, pre.output-text { padding: .3rem .8rem; white-space: pre-wrap; font-size: 14px; }
pre.output-stderr { background: #fdd; padding: .3rem .8rem; white-space: pre-wrap; }
pre.output-error { background: #fdd; padding: .3rem .8rem; white-space: pre-wrap; }
.output-html { overflow-x: auto; }
.output-html table, .cell-markdown table { border-collapse: collapse; font-size: 15px; margin: .4rem 0; }
.output-html table, .output-html th, .output-html td { border: 0; }
.output-html th, .output-html td, .cell-markdown th, .cell-markdown td { border-bottom: 1px solid var(--rule);
  padding: .2rem .6rem; text-align: right; }
.cell-markdown th, .cell-markdown td { text-align: left; }
math { font-size: 1.1em; }
math[display="block"] { font-size: 1.3em; margin: .6em 0; }
code.tex { font-size: 15px; }
.cell-label { font-weight: 700; color: var(--muted); margin: .2rem 0; font-size: 15px; }
.tag-solution { border-left: 4px solid #009E73; padding-left: .6rem; }
.tag-exercise { border-left: 4px solid #E69F00; padding-left: .6rem; }
figure.chart { margin: .6rem 0; overflow-x: auto; }
.chart-text { font-size: 14px; color: var(--muted); }
.chart-failed { color: #b00; }
.widget-static { border: 1px dashed #999; padding: .4rem .8rem; border-radius: 4px; background: #fafafa; }
.widget-note { font-size: 15px; color: var(--muted); }
.vega-bindings { font-size: 15px; margin-top: .3rem; }
.vega-bind { margin: .2rem 0; }
.vega-bind-name { display: inline-block; min-width: 8rem; }
nav.pager { display: flex; justify-content: space-between; margin-top: 3rem; border-top: 1px solid var(--rule);
  padding-top: 1rem; }
table.course-map { border-collapse: collapse; width: 100%; }
table.course-map th, table.course-map td { border-bottom: 1px solid var(--rule); padding: .5rem; vertical-align: top;
  text-align: left; }
table.course-map ul { margin: .2rem 0; padding-left: 1.2rem; font-size: 15px; }
.note { color: var(--muted); }
/* Slides */
body.slides { overflow: hidden; background: #fff; }
body.slides main { max-width: none; padding: 0; }
.slide { display: none; position: absolute; inset: 0 0 2.6rem 0; overflow: auto; padding: 2.5vh 5vw;
  font-size: 24px; }
.slide.current { display: block; }
.slide .cell-input .highlight { font-size: 18px; }
.slide pre.output-text, .slide pre.output-stream { font-size: 18px; }
.slide .fragment { visibility: hidden; }
.slide .fragment.shown { visibility: visible; }
.slide aside.notes { display: none; }
.slides-bar { position: fixed; left: 0; right: 0; bottom: 0; height: 2.6rem; display: flex; gap: 1rem;
  align-items: center; padding: 0 1rem; background: #0b3d5c; color: #fff; font-size: 15px; }
.slides-bar a, .slides-bar button { color: #fff; background: none; border: 1px solid #fff6; border-radius: 3px;
  font: inherit; padding: .1rem .6rem; cursor: pointer; text-decoration: none; }
.slides-bar .counter { margin-left: auto; }
@media print { header.site, nav.pager, .slides-bar { display: none; } .slide { display: block; position: static;
  page-break-after: always; } .slide .fragment { visibility: visible; } }
"""

# Renders every chart of the page with the local Vega bundle and reports the result in
# window.__course (read by the browser test). No request leaves the page's own folder.
_SCRIPT = r"""
(function () {
  // The bundle's Vega (6) draws Vega-Lite 5's output as vl-convert does, but vega-embed warns
  // about the version gap once per chart: drop exactly that message, pass every other one on.
  const warn = console.warn.bind(console);
  console.warn = function (message) {
    if (typeof message === "string" && message.indexOf("The compiled spec uses Vega v5") === 0) { return; }
    warn.apply(null, arguments);
  };
  const status = { total: 0, rendered: 0, failed: [], done: false };
  window.__course = status;
  const figures = Array.from(document.querySelectorAll("figure.chart"));
  status.total = figures.length;
  const jobs = figures.map(function (figure) {
    const target = figure.querySelector(".chart-view");
    return Promise.resolve().then(function () {
      const spec = JSON.parse(figure.querySelector("script.chart-spec").textContent);
      return window.vegaEmbed(target, spec, { actions: false, renderer: "svg" });
    }).then(function (result) {
      figure.dataset.status = "rendered"; figure.__view = result.view; status.rendered += 1;
    }).catch(function (error) {
      figure.dataset.status = "failed"; status.failed.push(figure.id + ": " + error);
      target.textContent = "This chart could not be drawn: " + String(error);
      target.className = "chart-view chart-failed";
    });
  });
  Promise.all(jobs).then(function () { status.done = true; document.dispatchEvent(new Event("course:charts")); });
})();
"""

_SLIDES_SCRIPT = r"""
(function () {
  const slides = Array.from(document.querySelectorAll(".slide"));
  const counter = document.querySelector(".slides-bar .counter");
  let index = 0;
  function fragments(i) { return Array.from(slides[i].querySelectorAll(".fragment")); }
  function show(i, revealAll) {
    index = Math.max(0, Math.min(slides.length - 1, i));
    slides.forEach(function (s, k) { s.classList.toggle("current", k === index); });
    fragments(index).forEach(function (f) { f.classList.toggle("shown", !!revealAll); });
    counter.textContent = (index + 1) + " / " + slides.length;
    if (location.hash !== "#" + (index + 1)) { history.replaceState(null, "", "#" + (index + 1)); }
    window.__slides = { index: index, count: slides.length };
  }
  function next() {
    const hidden = fragments(index).filter(function (f) { return !f.classList.contains("shown"); });
    if (hidden.length) { hidden[0].classList.add("shown"); } else if (index < slides.length - 1) { show(index + 1, false); }
  }
  function previous() {
    const shown = fragments(index).filter(function (f) { return f.classList.contains("shown"); });
    if (shown.length) { shown[shown.length - 1].classList.remove("shown"); } else if (index > 0) { show(index - 1, true); }
  }
  document.addEventListener("keydown", function (event) {
    if (event.target && /INPUT|SELECT|TEXTAREA/.test(event.target.tagName)) { return; }
    const key = event.key;
    if (key === "ArrowRight" || key === "ArrowDown" || key === "PageDown" || key === " ") { next(); }
    else if (key === "ArrowLeft" || key === "ArrowUp" || key === "PageUp") { previous(); }
    else if (key === "Home") { show(0, false); }
    else if (key === "End") { show(slides.length - 1, true); }
    else if (key === "f" && document.documentElement.requestFullscreen) { document.documentElement.requestFullscreen(); }
    else { return; }
    event.preventDefault();
  });
  document.querySelector(".slides-bar .next").addEventListener("click", next);
  document.querySelector(".slides-bar .previous").addEventListener("click", previous);
  const start = parseInt((location.hash || "#1").slice(1), 10);
  show(isNaN(start) ? 0 : start - 1, false);
})();
"""


def _page(title: str, body: str, *, body_class: str = "", scripts: tuple = ()) -> str:
    tags = "".join(f'<script src="_static/{name}"></script>' for name in scripts)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        f"<title>{html.escape(title)}</title>"
        f'<link rel="icon" href="data:,"><link rel="stylesheet" href="_static/course.css">'
        f'<link rel="stylesheet" href="_static/pygments.css">'
        f'</head><body class="{body_class}">{body}{tags}</body></html>\n'
    )


def _course_title() -> str:
    readme = ROOT / "README.md"
    if readme.is_file():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                return line[2:].split("—")[0].strip()
    return "Course"


def render_page(nb, *, name: str, course: str = "Course", previous=None, following=None) -> tuple[str, int]:
    """The HTML page of one notebook (to sit at the site's top level) and its number of charts.

    ``previous``/``following`` are ``(href, title)`` pairs for the pager, or None.
    """
    renderer = _Renderer(nb)
    cells = "".join(renderer.cell(c) for c in nb.cells)
    title = front_matter(nb)["title"] or name
    pager = '<nav class="pager">'
    pager += f'<a href="{previous[0]}">← {html.escape(previous[1])}</a>' if previous else "<span></span>"
    pager += f'<a href="{following[0]}">{html.escape(following[1])} →</a>' if following else "<span></span>"
    pager += "</nav>"
    header = (f'<header class="site"><a class="brand" href="index.html">{html.escape(course)}</a>'
              f'<a href="{name}.slides.html">Slides</a><a href="notebooks/{name}.ipynb" download>Download notebook</a>'
              "</header>")
    body = f"{header}<main>{cells}{pager}</main>"
    return _page(title, body, scripts=("vega-bundle.js", "course.js")), renderer.charts


def _slides(nb) -> list[list[tuple[str, list]]]:
    """Group cells into slides of blocks: [[(kind, cells), ...], ...] with kind normal/fragment/notes."""
    slides: list[list[tuple[str, list]]] = []
    for cell in nb.cells:
        kind = _slide_type(cell)
        if kind == "skip" or (cell.cell_type == "code" and not cell.source.strip()):
            continue
        if kind in ("slide", "subslide") or not slides:
            slides.append([("normal", [cell])])
        elif kind == "fragment":
            slides[-1].append(("fragment", [cell]))
        elif kind == "notes":
            slides[-1].append(("notes", [cell]))
        else:  # "-": continues whatever block is open (as nbconvert and RISE do)
            if slides[-1][-1][0] == "notes":
                slides[-1].append(("normal", [cell]))
            else:
                slides[-1][-1][1].append(cell)
    return slides


def render_slides(nb, *, name: str, course: str = "Course") -> tuple[str, int, int]:
    """Offline slides of one notebook (``<name>.slides.html`` beside its page): HTML, slides, charts.

    Cells marked ``slide``/``subslide`` start a slide, ``fragment`` appears on the next key
    press, ``skip`` is left out, ``notes`` is kept hidden. Keys: → / space / PageDown next,
    ← / PageUp back, Home, End, f for full screen.
    """
    renderer = _Renderer(nb)
    parts = []
    groups = _slides(nb)
    for number, blocks in enumerate(groups, 1):
        inner = ""
        for kind, cells in blocks:
            content = "".join(renderer.cell(c) for c in cells)
            if kind == "fragment":
                inner += f'<div class="fragment">{content}</div>'
            elif kind == "notes":
                inner += f'<aside class="notes">{content}</aside>'
            else:
                inner += content
        parts.append(f'<div class="slide" id="slide-{number}">{inner}</div>')
    title = front_matter(nb)["title"] or name
    bar = (f'<div class="slides-bar"><a href="index.html">{html.escape(course)}</a>'
           f'<a href="{name}.html">Page</a><button class="previous" type="button">← Back</button>'
           '<button class="next" type="button">Next →</button>'
           '<span class="hint">keys: ← → · f full screen</span><span class="counter"></span></div>')
    body = f"<main>{''.join(parts)}</main>{bar}"
    page = _page(f"{title} (slides)", body, body_class="slides",
                 scripts=("vega-bundle.js", "course.js", "slides.js"))
    return page, len(groups), renderer.charts


@dataclass
class SiteReport:
    """What :func:`build_site` wrote (the test reads it)."""

    out: Path
    pages: dict[str, int] = field(default_factory=dict)  # page path (relative) -> charts on it
    widgets: int = 0


def _index(entries: list[tuple[str, dict, int, int]], course: str) -> str:
    rows = []
    for name, meta, charts, slides in entries:
        objectives = "".join(f"<li>{_markdown(o).strip().removeprefix('<p>').removesuffix('</p>')}</li>"
                             for o in meta["objectives"])
        rows.append(
            f'<tr><td><a href="{name}.html"><b>{html.escape(meta["title"] or name)}</b></a><br>'
            f'<span class="note">{html.escape(name)}.ipynb · {charts} charts</span>'
            + (f"<ul>{objectives}</ul>" if objectives else "")
            + f'</td><td>{html.escape(meta["time"])}</td><td>{html.escape(meta["prerequisites"])}</td>'
            f'<td><a href="{name}.slides.html">slides</a> ({slides})<br>'
            f'<a href="notebooks/{name}.ipynb" download>notebook</a></td></tr>'
        )
    body = (
        f'<header class="site"><span class="brand">{html.escape(course)}</span></header><main>'
        f"<h1>{html.escape(course)}</h1>"
        "<p>The course's notebooks as pages to read: text, tables and charts as saved by the course, "
        "ready without Python and without an internet connection. Charts with sliders or menus "
        "still respond here; the live explorers (which run Python) show their default view, so "
        "download a notebook and open it in JupyterLab to explore further. Each notebook also has "
        "slides for a lecture (arrow keys to move, <kbd>f</kbd> for full screen).</p>"
        '<table class="course-map"><thead><tr><th>Notebook</th><th>Time</th><th>Needs</th>'
        "<th>Also</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>"
        f'<p class="note">Built by <code>python -m course_lib.build site</code>.</p></main>'
    )
    return _page(course, body)


def build_site(notebooks=None, out=None) -> SiteReport:
    """Write the static site: ``index.html``, ``<name>.html`` and ``<name>.slides.html`` per notebook.

    The Vega, Vega-Lite and vega-embed JavaScript come from vl-convert as one local file
    (``_static/vega-bundle.js``, shared by every page), so charts and their Vega-Lite params
    work with no internet. The notebooks themselves are copied into ``notebooks/`` for download.
    """
    import vl_convert as vlc
    from pygments.formatters import HtmlFormatter

    from ..charts import _VL_VERSION

    paths = _paths(notebooks)
    out = _safe_out(_out_dir(out, BUILD_DIR / "site"), paths)
    ours = out.resolve() == (BUILD_DIR / "site").resolve() or (out / SITE_MARKER).exists()
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
    _copy_support_files(paths, out)  # pages link to files beside the notebooks by relative path
    static = out / "_static"
    (static / "vega-bundle.js").write_text(vlc.javascript_bundle(vl_version=_VL_VERSION), encoding="utf-8")
    (static / "course.css").write_text(_STYLE, encoding="utf-8")
    (static / "pygments.css").write_text(HtmlFormatter(style="default").get_style_defs(".highlight"), encoding="utf-8")
    (static / "course.js").write_text(_SCRIPT, encoding="utf-8")
    (static / "slides.js").write_text(_SLIDES_SCRIPT, encoding="utf-8")

    course = _course_title()
    report = SiteReport(out)
    books = [(p, _read(p)) for p in paths]
    titles = [(p.stem, front_matter(nb)["title"] or p.stem) for p, nb in books]
    entries = []
    for i, (path, nb) in enumerate(books):
        name = path.stem
        previous = (f"{titles[i - 1][0]}.html", titles[i - 1][1]) if i > 0 else None
        following = (f"{titles[i + 1][0]}.html", titles[i + 1][1]) if i + 1 < len(books) else None
        page, charts = render_page(nb, name=name, course=course, previous=previous, following=following)
        (out / f"{name}.html").write_text(page, encoding="utf-8")
        deck, slides, deck_charts = render_slides(nb, name=name, course=course)
        (out / f"{name}.slides.html").write_text(deck, encoding="utf-8")
        shutil.copy2(path, out / "notebooks" / path.name)
        report.pages[f"{name}.html"] = charts
        report.pages[f"{name}.slides.html"] = deck_charts
        report.widgets += sum(1 for c in nb.cells for o in c.get("outputs", []) if WIDGET_VIEW_MIME in o.get("data", {}))
        entries.append((name, front_matter(nb), charts, slides))
    (out / "index.html").write_text(_index(entries, course), encoding="utf-8")
    report.pages["index.html"] = 0
    return report


# --------------------------------------------------------------------------------------------
# Lecture outline
# --------------------------------------------------------------------------------------------

def outline(nb, name: str) -> str:
    """The lecture outline of one notebook, as markdown: front matter, then one row per section."""
    meta = front_matter(nb)
    lines = [f"## `{name}` — {meta['title'] or name}", ""]
    if meta["time"]:
        lines.append(f"- **Time:** {meta['time']}")
    if meta["prerequisites"]:
        lines.append(f"- **Prerequisites:** {meta['prerequisites']}")
    if meta["objectives"]:
        lines.append("- **Objectives:**")
        lines += [f"  - {o}" for o in meta["objectives"]]
    if meta["instructors"]:
        lines.append(f"- **For instructors (where to pause):** {meta['instructors']}")
    lines += ["", "| slide | section | charts | explorers | exercises |", "|---:|---|---:|---:|---:|"]
    rows: list[list] = []
    slide = 0
    started = False
    for cell in nb.cells:
        kind = _slide_type(cell)
        if kind == "skip" or (cell.cell_type == "code" and not cell.source.strip()):
            continue
        if kind in ("slide", "subslide") or not started:
            slide += 1
            started = True
        heading = re.match(r"^##\s+(.+)$", cell.source, re.M) if cell.cell_type == "markdown" else None
        if heading or not rows:
            title = heading.group(1).strip() if heading else "Introduction"
            rows.append([slide, title, 0, 0, 0])
        row = rows[-1]
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            row[2] += VEGALITE_MIME in data
            if WIDGET_VIEW_MIME in data:
                row[3] += 1
        row[4] += "exercise" in _tags(cell)
    lines += [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {r[4]} |" for r in rows]
    lines.append("")
    return "\n".join(lines)


_OUTLINE_HEAD = """# Lecture outlines (for instructors)

One section per notebook: time, objectives and where to pause, taken from each notebook's first
cell, then its sections with the slide each starts on (the numbering of the offline slides built
by `python -m course_lib.build site`, `build/site/<notebook>.slides.html`), and how many charts, live explorers and
exercises each holds. Regenerate this file after editing a notebook:

```bash
.venv/bin/python -m course_lib.build outline
```

**Presenting.** Each `##` section of a notebook starts a slide. Three ways to present:

* *Offline, without Python:* `python -m course_lib.build site`, then open
  `build/site/<notebook>.slides.html` in a browser (→ / space next, ← back, <kbd>f</kbd> full
  screen). Charts with sliders still respond; live explorers show their default view.
* *Live, from JupyterLab:* *View → Appearance → Presentation Mode* enlarges the notebook for a
  projector, *Simple Interface* (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>D</kbd>) shows one notebook
  alone, F11 full screen; the cells still run, so explorers work.
* *In slides software or print:* `python -m course_lib.build handouts` exports every chart as PNG,
  SVG and PDF into `build/handouts/<notebook>/`, with a list of figure titles and descriptions.

For a class, hand out the student versions (`python -m course_lib.build student`, in
`build/student/`): the same notebooks with the worked solutions replaced by a blank cell.

"""


def build_outline(notebooks=None, out=None) -> Path:
    """Write the lecture outline of every notebook to ``out`` (default ``notebooks/README.md``)."""
    paths = _paths(notebooks)
    out = _out_dir(out, NOTEBOOK_DIR / "README.md")
    text = _OUTLINE_HEAD + "\n".join(outline(_read(p), p.name) for p in paths)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
    return out


# --------------------------------------------------------------------------------------------
# A small notebook with one of everything the builds handle (for the tests and to try commands)
# --------------------------------------------------------------------------------------------

DEMO_SECRET = "DEMO-SOLUTION-7f3a"  # appears only in the demo's solution cells


def demo_notebook() -> nbformat.NotebookNode:
    """A small course-style notebook with its outputs filled in, without running a kernel.

    It has front matter, a skipped setup cell, slides and a fragment, a chart with a Vega-Lite
    slider and menu (kernel-free interactivity), a table, a live explorer with saved widget state,
    an exercise and two solution cells (code and markdown) containing :data:`DEMO_SECRET`. The
    cells are real code: the notebook also runs in a kernel.

    >>> nb = demo_notebook()
    >>> len(charts_in(nb)), front_matter(nb)["time"]
    (2, '10 min')
    """
    import altair as alt
    import pandas as pd

    from .. import charts as course_charts

    v4 = nbformat.v4
    frame = pd.DataFrame({"item": ["a", "b", "c"], "value": [1.0, 2.0, 4.0]})
    chart_code = (
        "frame = pd.DataFrame({'item': ['a', 'b', 'c'], 'value': [1.0, 2.0, 4.0]})\n"
        "factor = alt.param(name='factor', value=1, bind=alt.binding_range(min=0, max=4, step=1, name='factor '))\n"
        "mark = alt.param(name='mark_colour', value='#0072B2', bind=alt.binding_select(options=['#0072B2', '#D55E00'], name='colour '))\n"
        "chart = alt.Chart(frame).mark_bar().encode(x='item:N', y=alt.Y('scaled:Q', scale=alt.Scale(domain=[0, 16])),"
        " color=alt.value(alt.expr(mark.name))).transform_calculate(scaled='datum.value * factor').add_params(factor, mark)\n"
        "charts.finish(chart, title='Scaled bars', source='made up for the demo', description='Three bars; a slider scales them.')"
    )
    factor = alt.param(name="factor", value=1, bind=alt.binding_range(min=0, max=4, step=1, name="factor "))
    mark = alt.param(name="mark_colour", value="#0072B2", bind=alt.binding_select(options=["#0072B2", "#D55E00"], name="colour "))
    chart = (alt.Chart(frame).mark_bar()
             .encode(x="item:N", y=alt.Y("scaled:Q", scale=alt.Scale(domain=[0, 16])), color=alt.value(alt.expr(mark.name)))
             .transform_calculate(scaled="datum.value * factor").add_params(factor, mark))
    spec = course_charts.finish(chart, title="Scaled bars", source="made up for the demo",
                                description="Three bars; a slider scales them.").to_dict()
    points = course_charts.finish(
        alt.Chart(pd.DataFrame({"x": [0, 1]})).mark_point().encode(x="x:Q"),
        title="2 points", source="made up for the demo", description="Two points on a line.").to_dict()
    ids = {name: f"{i:032x}" for i, name in enumerate(["box", "row", "slider", "output"], 1)}
    state = {
        ids["box"]: {"model_name": "VBoxModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                     "state": {"children": [f"IPY_MODEL_{ids['row']}", f"IPY_MODEL_{ids['output']}"]}},
        ids["row"]: {"model_name": "HBoxModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                     "state": {"children": [f"IPY_MODEL_{ids['slider']}"]}},
        ids["slider"]: {"model_name": "IntSliderModel", "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0",
                        "state": {"description": "points", "min": 1, "max": 5, "value": 2}},
        ids["output"]: {"model_name": "OutputModel", "model_module": "@jupyter-widgets/output", "model_module_version": "1.0.0",
                        "state": {"outputs": [{"output_type": "display_data", "metadata": {},
                                               "data": {VEGALITE_MIME: points, "text/plain": ["alt.Chart(...)"]}}]}},
    }
    explorer_code = (
        "def draw(points=2):\n"
        "    frame = pd.DataFrame({'x': list(range(points))})\n"
        "    return charts.finish(alt.Chart(frame).mark_point().encode(x='x:Q'), title=f'{points} points',\n"
        "                         source='made up for the demo', description='Points on a line.')\n"
        "widgets.Explorer({'points': w.IntSlider(value=2, min=1, max=5, description='points')}, draw)"
    )
    cells = [
        v4.new_markdown_cell(
            "# Demo notebook\n\n**Learning objectives**\n\n- read a chart with a slider\n- answer an exercise\n\n"
            "**Time:** 10 min · **Prerequisites:** none\n\n"
            "**For instructors.** Pause after the chart for questions."),
        v4.new_code_cell("import altair as alt\nimport pandas as pd\nimport ipywidgets as w\nimport course_lib\n"
                         "from course_lib import charts, widgets\nfrom course_lib.exercises import check",
                         metadata={"slideshow": {"slide_type": "skip"}}, execution_count=1),
        v4.new_markdown_cell("## A chart with a slider\n\nMove the slider: no kernel needed.",
                             metadata={"slideshow": {"slide_type": "slide"}}),
        v4.new_code_cell(chart_code, execution_count=2, outputs=[v4.new_output(
            "execute_result", data={VEGALITE_MIME: spec, "text/plain": "alt.Chart(...)"}, execution_count=2)]),
        v4.new_markdown_cell("The bars grow with the factor: $h = k \\cdot v$, and $$ \\frac{h}{v} = k. $$",
                             metadata={"slideshow": {"slide_type": "fragment"}}),
        v4.new_code_cell("frame", execution_count=3, outputs=[v4.new_output(
            "execute_result", data={"text/html": frame.to_html(), "text/plain": frame.to_string()}, execution_count=3)],
            metadata={"slideshow": {"slide_type": "subslide"}}),
        v4.new_markdown_cell("## A live explorer", metadata={"slideshow": {"slide_type": "slide"}}),
        v4.new_code_cell(explorer_code, execution_count=4, outputs=[v4.new_output(
            "execute_result", data={WIDGET_VIEW_MIME: {"version_major": 2, "version_minor": 0, "model_id": ids["box"]},
                                    "text/plain": "Explorer(...)"}, execution_count=4)]),
        v4.new_markdown_cell("Say here what to look for.", metadata={"slideshow": {"slide_type": "notes"}}),
        v4.new_markdown_cell("## Exercise\n\nHow many kWh are 2,500 kcal?", metadata={"slideshow": {"slide_type": "slide"}}),
        v4.new_code_cell("answer = 0  # your answer here\ncheck('units.food_day_kwh', answer)", execution_count=5,
                         metadata={"tags": ["exercise"]},
                         outputs=[v4.new_output("stream", name="stdout", text="❌ Not yet: 0 kWh.\n")]),
        v4.new_code_cell(f"answer = 2500 * 4.184 / 3600  # {DEMO_SECRET}\ncheck('units.food_day_kwh', answer)",
                         execution_count=6, metadata={"tags": ["solution"], "slideshow": {"slide_type": "fragment"}},
                         outputs=[v4.new_output("stream", name="stdout", text=f"✅ Correct ({DEMO_SECRET} output)\n")]),
        v4.new_markdown_cell(f"Why: 1 kcal = 4.184 kJ ({DEMO_SECRET} explanation).", metadata={"tags": ["solution"]}),
        v4.new_markdown_cell("## Sources", metadata={"slideshow": {"slide_type": "slide"}}),
    ]
    nb = v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["widgets"] = {WIDGET_STATE_MIME: {"version_major": 2, "version_minor": 0, "state": state}}
    return nb


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------

def main(argv=None) -> int:
    """``python -m course_lib.build student|site|handouts|outline [NOTEBOOK ...] [--out DIR]``."""
    parser = argparse.ArgumentParser(
        prog="python -m course_lib.build",
        description="Build student versions, the offline static site, chart handouts or the lecture outline.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    helps = {
        "student": "notebooks without worked solutions, into build/student/",
        "site": "offline HTML pages, slides and course map, into build/site/",
        "handouts": "every chart as PNG/SVG/PDF, into build/handouts/<notebook>/",
        "outline": "the lecture outline, into notebooks/README.md",
    }
    for name, text in helps.items():
        command = commands.add_parser(name, help=text, description=text)
        command.add_argument("notebooks", nargs="*", help="notebooks to use (default: every notebooks/*.ipynb)")
        command.add_argument("--out", help="output folder (file, for outline)")
        if name == "handouts":
            command.add_argument("--formats", default=",".join(FORMATS), help="comma-separated: png,svg,pdf")
    args = parser.parse_args(argv)
    notebooks = args.notebooks or None
    try:
        if args.command == "student":
            written = build_student(notebooks, args.out)
            print(f"{len(written)} student notebooks in {written[0].parent if written else args.out}")
        elif args.command == "site":
            report = build_site(notebooks, args.out)
            charts = sum(report.pages.values())
            print(f"{len(report.pages)} pages ({charts} charts) in {report.out}; open {report.out / 'index.html'}")
        elif args.command == "handouts":
            written = build_handouts(notebooks, args.out, args.formats)
            print(f"{len(written)} figure files in {_out_dir(args.out, BUILD_DIR / 'handouts')}")
        else:
            print(f"outline written to {build_outline(notebooks, args.out)}")
    except (TypeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
