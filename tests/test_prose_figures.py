"""Every figure in the notebooks' prose is checked against the data.

A notebook's markdown and its stored chart descriptions are read; every number written there must
be one of:

* a figure of one of the notebook's datasets (any numeric cell), at the precision printed: "50
  million" matches 50,000,000 kcal, "2.34" matches 2.3474. A notebook's datasets are those it
  names (``data.load("...")``) and those of the topics it imports (``energy`` -> ``energy_*``;
  ``symbiosis`` -> ``kalundborg_*``), plus any its prose file lists in ``DATASETS``;
* a figure ``course_lib`` computes: the answers of the questions of the notebook's topics, and
  the figures the notebook's own prose file declares (``tests/prose/<notebook>.py``:
  ``FIGURES``, name -> a function computing it from course_lib);
* an allowed number with its reason: the prose file's ``ALLOWED`` (number as written -> reason),
  or the course-wide rules below (small counts and numbering, years as labels).

So when an instructor changes a CSV and the prose still says the old figure, this test fails (the
control test below proves it does). And code cells type no world figure: a numeric literal in a
code cell that equals a dataset figure fails (the figure must be read from the data).
"""

from __future__ import annotations

import ast
import importlib.util
import json
import math
import re
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd
import pint
import pytest

from course_lib import data, exercises

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# The course in Traditional Chinese: its prose is checked by the same rules (its numbers are
# written as the English writes them, with 萬 and 億 for ten thousands and hundred millions).
TRANSLATED = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
PROSE = Path(__file__).resolve().parent / "prose"

_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
          "萬": 1e4, "十萬": 1e5, "百萬": 1e6, "千萬": 1e7, "億": 1e8, "十億": 1e9, "萬億": 1e12}
# ASCII word characters only: in Chinese a number stands right after a character ("約50").
_NUMBER = re.compile(
    r"(?<![\w.^/-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<exp>\s*(?:×|x)\s*10\^\{?(?P<power>[-−]?\d+)\}?)?"
    r"(?:\s+(?P<scale>thousand|million|billion|trillion)\b|\s*(?P<cscale>萬億|十億|百萬|千萬|十萬|萬|億))?", re.ASCII
)


def numbers_in(text: str) -> list[tuple[str, float, int]]:
    """(as written, value, significant digits) of every number in prose ``text``.

    >>> numbers_in("50 million kcal, 1.3×10^6 t and 2,500 kcal/day in 1974")
    [('50 million', 50000000.0, 1), ('1.3×10^6', 1300000.0, 2), ('2,500', 2500.0, 2), ('1974', 1974.0, 4)]
    >>> numbers_in("約5,000萬千卡，即37億")
    [('5,000萬', 50000000.0, 1), ('37億', 3700000000.0, 2)]
    """
    found = []
    for match in _NUMBER.finditer(text):
        digits = match.group("num").replace(",", "")
        value = float(digits)
        if match.group("power"):
            value *= 10 ** int(match.group("power").replace("−", "-"))
        if match.group("scale") or match.group("cscale"):
            value *= _SCALE[match.group("scale") or match.group("cscale")]
        if "." in digits:
            significant = len(digits.replace(".", "").lstrip("0"))
        else:
            significant = len(digits.lstrip("0").rstrip("0")) or 1
        found.append((match.group(0).strip(), value, significant))
    return found


def _round_sig(x: float, digits: int) -> float:
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, digits - 1 - math.floor(math.log10(abs(x))))


def _magnitudes(value: object) -> Iterable[float]:
    if isinstance(value, pint.Quantity):
        value = value.magnitude
    if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
        yield float(value)


class Pool:
    """Values that prose may cite, looked up at any printed precision (also as a percent)."""

    def __init__(self, values: Iterable[float]):
        self.keys: set[tuple[int, float]] = set()
        for value in values:
            for v in (value, value * 100, -value):
                if v:
                    for digits in range(1, 8):
                        self.keys.add((digits, _round_sig(v, digits)))

    def __contains__(self, item: tuple[float, int]) -> bool:
        value, digits = item
        return (digits, _round_sig(value, digits)) in self.keys or (digits, value) in self.keys


#: Topics whose datasets do not start with the topic's name.
TOPIC_DATASETS = {"symbiosis": "kalundborg_", "start": "energy_units"}


def notebook_datasets(nb: dict, extra: Iterable[str] = ()) -> list[str]:
    """The datasets a notebook draws on: named in it, of the topics it imports, or listed."""
    source = "\n".join("".join(c["source"]) for c in nb["cells"])
    topics = set(re.findall(r"from course_lib import ([\w, ]+)", source))
    imported = {t.strip() for group in topics for t in group.split(",")}
    prefixes = {TOPIC_DATASETS.get(t, f"{t}_") for t in imported} | set(extra)
    names = data.datasets()["name"].tolist()
    return [n for n in names if n in source or any(n.startswith(p) for p in prefixes)]


def dataset_values(names: Iterable[str] | None = None) -> list[float]:
    values = []
    for name in data.datasets()["name"] if names is None else names:
        frame = data.load(name)
        for column in frame.columns:
            series = frame[column]
            if pd.api.types.is_numeric_dtype(series):
                values += [float(v) for v in series.dropna().tolist() if math.isfinite(float(v))]
    return values


def question_values(topics: Iterable[str] | None = None) -> list[float]:
    values = []
    wanted = None if topics is None else set(topics)
    for question_id in exercises.questions():
        if wanted is not None and question_id.split(".")[0] not in wanted:
            continue
        question = exercises.question(question_id)
        try:
            expected = exercises.expected(question_id, None)  # the default variant, which the notebooks show
        except Exception:  # a question's answer may not exist for adapted data (a stock that never collapses)
            continue
        if isinstance(expected, pint.Quantity):
            values += list(_magnitudes(expected))
            if question.unit not in (None, ""):
                values += list(_magnitudes(expected.to(question.unit)))
    return values


def _prose_module(stem: str) -> object:
    path = PROSE / f"{stem}.py"
    if not path.is_file():
        return object()
    spec = importlib.util.spec_from_file_location(f"prose_{stem}", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def prose_file(stem: str) -> tuple[dict[str, Callable[[], object]], dict[str, str]]:
    module = _prose_module(stem)
    return dict(getattr(module, "FIGURES", {})), dict(getattr(module, "ALLOWED", {}))


def course_wide_allowed(written: str, value: float) -> str | None:
    """The course-wide reasons a number needs no source; None when it needs one."""
    if value.is_integer() and 0 <= value <= 12 and "." not in written:
        return "a small count or a number in a heading, list or exercise (0 to 12)"
    if value.is_integer() and 1800 <= value <= 2100 and "," not in written and "." not in written:
        return "a year, used as a label (the figure it labels is checked on its own)"
    return None


def prose_of(nb: dict) -> list[tuple[int, str]]:
    """(cell index, text) of every markdown cell and every stored chart description."""
    out = []
    for index, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            text = re.sub(r"`[^`]*`", " ", text)  # code spans name functions and ids, not figures
            text = re.sub(r"\]\([^)]*\)", "]", text)  # link targets
            text = re.sub(r"(?m)^#+ .*$", lambda m: re.sub(r"\d", " ", m.group(0)) if re.match(r"#+ \d", m.group(0)) else m.group(0), text)
            out.append((index, text))
        for output in cell.get("outputs", []):
            spec = output.get("data", {}).get("application/vnd.vegalite.v5+json")
            if isinstance(spec, dict) and spec.get("description"):
                out.append((index, spec["description"]))
    return out


def unsourced(path: Path) -> list[str]:
    """Every number in the notebook's prose that no dataset, computation or reason accounts for."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    module = _prose_module(path.stem)
    figures, allowed = prose_file(path.stem)
    # A translation writes an allowed number its own way ("50 million" as "5,000萬"): same value, same reason.
    allowed_values = {v for k in allowed for _, v, _ in numbers_in(k)} if path.parent.name != "notebooks" else set()
    names = notebook_datasets(nb, getattr(module, "DATASETS", ()))
    source = "\n".join("".join(c["source"]) for c in nb["cells"])
    topics = {t.strip() for g in re.findall(r"from course_lib import ([\w, ]+)", source) for t in g.split(",")}
    computed = [v for f in figures.values() for v in _magnitudes(f())]
    pool = Pool(dataset_values(names) + question_values(topics) + computed)
    problems = []
    for index, text in prose_of(nb):
        for written, value, digits in numbers_in(text):
            if written in allowed or value in allowed_values or course_wide_allowed(written, value):
                continue
            if (value, digits) not in pool:
                problems.append(f"cell {index}: {written!r}")
    return problems


@pytest.mark.parametrize("path", NOTEBOOKS + TRANSLATED, ids=lambda p: str(p.relative_to(ROOT / "notebooks").with_suffix("")))
def test_every_figure_in_the_prose_comes_from_the_data(path):
    assert unsourced(path) == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_allowed_number_gives_its_reason_and_is_still_used(path):
    figures, allowed = prose_file(path.stem)
    text = "\n".join(t for _, t in prose_of(json.loads(path.read_text(encoding="utf-8"))))
    for written, reason in allowed.items():
        assert isinstance(reason, str) and len(reason.split()) >= 3, f"{written}: give a reason"
        assert written in text, f"{written!r} is allowed but no longer written in {path.stem}"
    for name, figure in figures.items():
        assert list(_magnitudes(figure())), f"{path.stem}: FIGURES[{name!r}] is not a number or quantity"


def _literal_figures(source: str, values: set[float]) -> list[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:  # IPython magics
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            value = float(node.value)
            if abs(value) > 12 and not (value.is_integer() and 1800 <= value <= 2100) and value in values:
                found.append(repr(node.value))
    return found


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_code_cell_types_a_world_figure(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    values = set(dataset_values(notebook_datasets(nb)))
    typed = [f"cell {i}: {lits}" for i, cell in enumerate(nb["cells"]) if cell["cell_type"] == "code"
             for lits in [_literal_figures("".join(cell["source"]), values)] if lits]
    assert typed == []


def test_the_check_fails_when_a_csv_changes_and_the_prose_does_not(tmp_path, monkeypatch):
    """A control: raise Table 1's aluminium figure in a copy of the data; the prose citing the old
    figure must now be reported."""
    copy = tmp_path / "datasets"
    shutil.copytree(ROOT / "datasets", copy, ignore=shutil.ignore_patterns("__pycache__"))
    table = pd.read_csv(copy / "energy_table.csv", dtype=str, keep_default_na=False)
    row = table["id"] == "aluminium"
    table.loc[row, "value_kcal"] = "61000000"
    table.to_csv(copy / "energy_table.csv", index=False)
    notebook = tmp_path / "prose.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "source": ["table = data.load('energy_table')"]},
        {"cell_type": "markdown", "metadata": {}, "source": ["Producing a tonne of aluminium takes 50 million kcal."]}]}))
    assert unsourced(notebook) == []
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert unsourced(notebook) == ["cell 1: '50 million'"]
