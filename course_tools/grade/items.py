"""Item analysis: what a class's attempt logs say about each question and each student.

From the class table (one row per recorded attempt: ``student, question, attempt, verdict, slip,
option, answer, time`` and, when the grader knows it, ``score``), classical test theory for a class of
20-300 students:

* **difficulty**: the share of the students who tried a question that were right at their first
  attempt (higher means easier);
* **discrimination**: the point-biserial correlation between being right at the first attempt (0 or
  1) and the *rest-score*, the student's total without this question (the points the grader gave when
  the table has them, else the number of other questions right at the first attempt); and the
  upper-minus-lower index, the difficulty among the 27 % of students with the highest rest-scores
  minus that among the 27 % with the lowest;
* **attempts to success**: the mean attempt number of the first right answer, among those who got
  there;
* the share of the students whose first attempt chose each wrong option, or made each slip the
  course diagnosed, and the most common of them, the **dominant misconception**, named in the
  question's own words (the option's label, the slip's diagnosis from ``questions.toml``);
* **flags**, with the thresholds in one place (:data:`THRESHOLDS`): too easy, too hard, negative
  discrimination, an option nobody picks at the first attempt, and a wrong option the upper 27 %
  chose more often than the key (often a wrong key).

Reflections are left out: they are read by a person with the rubric sheet, not scored right or wrong.
Per student: a one-line summary and the slips they made. :func:`write_report` writes all of it as one
static page that works offline (``index.html``) and as CSV (``items.csv``, ``students.csv``).

>>> import pandas as pd
>>> rows = [("ann", "q.a", 1, "right", None, None), ("ann", "q.b", 1, "right", None, None),
...         ("bob", "q.a", 1, "wrong", "per_item", None), ("bob", "q.a", 2, "right", None, None),
...         ("bob", "q.b", 1, "right", None, None), ("cy", "q.a", 1, "wrong", None, None),
...         ("cy", "q.b", 1, "wrong", None, None)]
>>> table = pd.DataFrame(rows, columns=["student", "question", "attempt", "verdict", "slip", "option"])
>>> found = analyse(table, min_students=1)
>>> found.items.set_index("question").loc["q.a", ["difficulty", "attempts_to_success"]].tolist()
[0.3333, 1.5]
>>> found.items.set_index("question").loc["q.a", "dominant_slip"]
'per item'
"""

from __future__ import annotations

import functools
import html
import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["THRESHOLDS", "COLUMNS", "ITEM_COLUMNS", "STUDENT_COLUMNS", "Analysis", "analyse", "point_biserial",
           "spearman", "write_report"]

#: Every threshold of the flags, in one place (shares and correlations; see docs/grading.md).
THRESHOLDS: Mapping[str, float] = {
    "too_easy": 0.9,             # difficulty above this: nearly everyone right at once
    "too_hard": 0.2,             # difficulty below this: too hard, or a broken question
    "negative_discrimination": 0.0,  # discrimination below this: the weaker students do better
    "upper_lower_share": 0.27,   # the share of students in the upper and in the lower group
    "min_students": 5,           # fewer students than this on a question: no flags (too few to tell)
}

#: The columns the class table must have (``score`` is optional).
COLUMNS = ("student", "question", "attempt", "verdict", "slip", "option")
#: The columns of ``items.csv``, in order.
ITEM_COLUMNS = ("question", "kind", "students", "difficulty", "discrimination", "upper_lower", "attempts_to_success",
                "solved", "dominant_slip", "dominant_share", "dominant_id", "flags", "wrong_first")
#: The columns of ``students.csv``, in order.
STUDENT_COLUMNS = ("student", "questions", "right_first", "right_first_share", "solved", "mean_attempts", "score",
                   "slips", "summary")


@dataclass
class Analysis:
    """The result of :func:`analyse`: one row per question, one per student, one per wrong choice."""

    items: pd.DataFrame
    students: pd.DataFrame
    choices: pd.DataFrame  # question, type ('option' or 'slip'), id, words, students, share
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(THRESHOLDS))


# ---- statistics -------------------------------------------------------------------------------

def point_biserial(item: Sequence[float] | np.ndarray, rest: Sequence[float] | np.ndarray) -> float:
    """The point-biserial correlation of a 0/1 ``item`` with ``rest`` (Pearson's r; NaN when either is constant).

    >>> point_biserial([1, 1, 0, 0], [3, 2, 1, 0])
    0.8944
    """
    x, y = np.asarray(item, dtype=float), np.asarray(rest, dtype=float)
    if x.shape != y.shape:
        raise ValueError(f"item and rest must be the same length, got {x.size} and {y.size}")
    if x.size < 2 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return math.nan
    return round(float(np.corrcoef(x, y)[0, 1]), 4)


def spearman(a: Sequence[float] | np.ndarray, b: Sequence[float] | np.ndarray) -> float:
    """Spearman's rank correlation (average ranks for ties), with numpy and pandas only.

    >>> spearman([1, 2, 3, 4], [10, 20, 30, 40]), spearman([1, 2, 3], [3, 2, 1])
    (1.0, -1.0)
    """
    x, y = pd.Series(np.asarray(a, dtype=float)).rank(), pd.Series(np.asarray(b, dtype=float)).rank()
    if len(x) != len(y):
        raise ValueError(f"a and b must be the same length, got {len(x)} and {len(y)}")
    return round(float(np.corrcoef(x, y)[0, 1]), 4)


# ---- the question's own words -----------------------------------------------------------------

@functools.lru_cache(maxsize=4096)
def _question(question_id: str) -> Any:
    """The course's question, or None (asked once per id: an unknown id makes the course list every topic's)."""
    from course_lib import exercises

    try:
        return exercises.question(question_id)
    except (ValueError, TypeError):
        return None  # a question the course no longer has: name things by their ids


def _plain(text: str) -> str:
    """A template of the question data as one sentence for the whole class: each student's own
    numbers ({tonnes}) become the name of the number in brackets ([tonnes])."""
    return re.sub(r"\{(\w+)\}", r"[\1]", " ".join(str(text).split()))


@functools.lru_cache(maxsize=8192)
def _words(question_id: str, kind: str, ident: str) -> str:
    """The option's label or the slip's diagnosis, as ``questions.toml`` writes it (else the id in words)."""
    q = _question(question_id)
    if q is not None:
        if kind == "option" and ident in q.labels:
            return _label(q, q.labels[ident])
        if kind == "slip" and ident in q.explanations:
            return _plain(q.explanations[ident])
    return str(ident).replace("_", " ")


def _label(q: Any, label: str) -> str:
    """An option's label; one made of the student's own numbers ('{high}') is shown with the course's
    default numbers, and says so (a bracketed name alone would tell the instructor nothing)."""
    if "{" not in label:
        return _plain(label)
    from course_lib import _judge, variants

    try:
        filled = _judge._fill(label, _judge._values(q, variants.draw(q.id, None)))
    except (ValueError, KeyError, TypeError):
        return _plain(label)
    return f"{' '.join(filled.split())} (with the course's default numbers)"


def _kind(question_id: str) -> str:
    q = _question(question_id)
    return str(getattr(q, "kind", "") or "")


def _title(question_id: str) -> str:
    q = _question(question_id)
    return str(getattr(q, "title", "") or "")


# ---- the analysis -----------------------------------------------------------------------------

def _checked(table: object) -> pd.DataFrame:
    if not isinstance(table, pd.DataFrame):
        raise TypeError(f"table must be a pandas DataFrame with the columns {', '.join(COLUMNS)}, got {type(table).__name__}")
    missing = [c for c in COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"table lacks the columns {', '.join(missing)}; the class table has {', '.join(COLUMNS)} (and score)")
    bad = sorted(set(table["verdict"].dropna().astype(str)) - {"right", "wrong", "unread"})
    if bad:
        raise ValueError(f"table's verdict column holds {bad}; allowed: right, wrong, unread")
    frame = table[table["verdict"].isin(["right", "wrong"]) & table["attempt"].notna()].copy()
    frame["attempt"] = frame["attempt"].astype(int)
    frame["student"] = frame["student"].astype(str)
    frame["question"] = frame["question"].astype(str)
    kinds = {q: _kind(q) for q in frame["question"].unique()}
    return frame[frame["question"].map(kinds) != "reflection"].sort_values(["student", "question", "attempt"])


def _none(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value == ""


def analyse(table: pd.DataFrame, *, min_students: int | None = None) -> Analysis:
    """Item analysis of a class table (see the module's docstring); ``min_students`` overrides
    :data:`THRESHOLDS` ``["min_students"]``, below which a question gets no flags."""
    frame = _checked(table)
    if frame.empty:
        raise ValueError("table holds no judged attempt (verdict right or wrong with an attempt number): nothing to analyse")
    least = int(THRESHOLDS["min_students"] if min_students is None else min_students)
    if least < 1:
        raise ValueError(f"min_students={min_students!r} must be at least 1")
    first = frame.groupby(["student", "question"], sort=True).head(1).set_index(["student", "question"])
    right_first = (first["verdict"] == "right").astype(float).unstack("question")  # students x questions, NaN = not tried
    questions = list(right_first.columns)
    students = list(right_first.index)
    solved_at = frame[frame["verdict"] == "right"].groupby(["student", "question"])["attempt"].min()
    has_score = "score" in table.columns and table["score"].notna().any()
    if has_score:
        scored = table[table["score"].notna()].copy()
        scored["student"], scored["question"] = scored["student"].astype(str), scored["question"].astype(str)
        points = scored.groupby(["student", "question"])["score"].max().unstack("question")
        points = points.reindex(index=students, columns=questions).fillna(0.0).astype(float)
    else:
        points = right_first.fillna(0.0)
    totals = points.sum(axis=1)
    share = float(THRESHOLDS["upper_lower_share"])
    by_question = first.reset_index().groupby("question")

    item_rows, choice_rows = [], []
    for question in questions:
        x = right_first[question]
        tried = x.notna()
        n = int(tried.sum())
        xi = x[tried].to_numpy(dtype=float)
        rest = (totals - points[question])[tried].to_numpy(dtype=float)
        difficulty = round(float(xi.mean()), 4) if n else math.nan
        discrimination = point_biserial(xi, rest)
        upper_lower = math.nan
        group = int(round(n * share))
        upper: list[str] = []
        if group >= 1 and n >= 2 * group:
            order = np.argsort(rest, kind="stable")
            upper_lower = round(float(xi[order[-group:]].mean() - xi[order[:group]].mean()), 4)
            upper = [str(s) for s in x.index[tried][order[-group:]]]
        at = solved_at.xs(question, level="question") if question in solved_at.index.get_level_values("question") else pd.Series(dtype=float)
        attempts = round(float(at.mean()), 4) if len(at) else math.nan
        solved = round(len(at) / n, 4) if n else math.nan
        rows = by_question.get_group(question) if question in by_question.groups else first.iloc[:0]
        wrong = rows[rows["verdict"] == "wrong"]
        counts: dict[tuple[str, str], int] = {}
        for option, slip in zip(wrong["option"], wrong["slip"]):
            if not _none(option):
                key = ("option", str(option))
            elif not _none(slip):
                key = ("slip", str(slip))
            else:
                continue
            counts[key] = counts.get(key, 0) + 1
        for (kind, ident), count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            choice_rows.append({"question": question, "type": kind, "id": ident, "words": _words(question, kind, ident),
                                "students": count, "share": round(count / n, 4)})
        dominant = max(counts.items(), key=lambda kv: (kv[1], kv[0][0] == "slip", kv[0][1])) if counts else None
        flags = []
        q = _question(question)
        # A question the log records options for (a choice or a prediction): options never chosen.
        picked = set(rows["option"].dropna().astype(str))
        unpicked = [c for c in (q.choices if q is not None else ()) if c not in picked] if picked else []
        if n >= least:
            if difficulty > THRESHOLDS["too_easy"]:
                flags.append("too easy")
            if difficulty < THRESHOLDS["too_hard"]:
                flags.append("too hard")
            if not math.isnan(discrimination) and discrimination < THRESHOLDS["negative_discrimination"]:
                flags.append("negative discrimination")
            if unpicked:
                flags.append("option nobody picks: " + ", ".join(
                    f'{c} ("{_words(question, "option", c)}")' for c in unpicked))
            rival = _rival(rows, upper) if picked else None
            if rival is not None:
                flags.append(f'the stronger students prefer {rival} ("{_words(question, "option", rival)}") to the key: '
                             "check the key")
        item_rows.append({
            "question": question, "kind": _kind(question), "title": _title(question), "students": n,
            "difficulty": difficulty, "discrimination": discrimination, "upper_lower": upper_lower,
            "attempts_to_success": attempts, "solved": solved,
            "dominant_slip": dominant and _words(question, *dominant[0]) or "",
            "dominant_share": round(dominant[1] / n, 4) if dominant else math.nan,
            "dominant_id": f"{dominant[0][0]}:{dominant[0][1]}" if dominant else "",
            "flags": "; ".join(flags), "unpicked": unpicked,
            "wrong_first": "; ".join(f"{k}:{i}={c / n:.2f}" for (k, i), c in
                                     sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        })
    items = pd.DataFrame(item_rows, columns=[*ITEM_COLUMNS, "title", "unpicked"])
    choices = pd.DataFrame(choice_rows, columns=["question", "type", "id", "words", "students", "share"])
    return Analysis(items=items, students=_students(frame, right_first, solved_at, totals if has_score else None),
                    choices=choices)


def _rival(rows: pd.DataFrame, upper: Sequence[str]) -> str | None:
    """A wrong option that more of the ``upper`` group (the strongest 27 %) chose at the first attempt
    than chose the key: often a wrong key. None if there is none."""
    if not upper:
        return None
    top = rows[rows["student"].isin(upper)]
    wrong = top[(top["verdict"] == "wrong") & top["option"].map(lambda o: not _none(o))]["option"].astype(str).value_counts()
    if len(wrong) and int(wrong.iloc[0]) > int((top["verdict"] == "right").sum()):
        return str(wrong.index[0])
    return None


def _students(frame: pd.DataFrame, right_first: pd.DataFrame, solved_at: pd.Series,
              score: pd.Series | None) -> pd.DataFrame:
    rows = []
    slipped = frame[(frame["verdict"] == "wrong") & frame["slip"].map(lambda s: not _none(s))]
    own_slips: dict[str, list[str]] = {}
    short: dict[str, list[str]] = {}  # the diagnosis up to its first colon or full stop, for the page
    for student, question, slip in dict.fromkeys(zip(slipped["student"], slipped["question"], slipped["slip"])):
        words = _words(question, "slip", str(slip))
        own_slips.setdefault(student, []).append(f"{question}: {words}")
        short.setdefault(student, []).append(f"{question}: {re.split(r'[:.;] ', words, maxsplit=1)[0]}")
    solved_by = solved_at.groupby(level="student")
    tried_n, right_n = right_first.notna().sum(axis=1), right_first.sum(axis=1)
    for student in right_first.index:
        n, right = int(tried_n[student]), int(right_n[student])
        mine = solved_by.get_group(student) if student in solved_by.groups else pd.Series(dtype=float)
        slips = own_slips.get(student, [])
        share = right / n if n else math.nan
        summary = (f"{student}: right at the first attempt on {right} of {n} questions ({share:.0%}), "
                   f"solved {len(mine)} in the end"
                   + (f" with {float(mine.mean()):.1f} attempts on average" if len(mine) else "")
                   + (f"; {len(slips)} diagnosed slip{'s' if len(slips) != 1 else ''}" if slips else "; no diagnosed slip")
                   + (f"; score {float(score[student]):g}" if score is not None else "") + ".")
        rows.append({"student": student, "questions": n, "right_first": right, "right_first_share": round(share, 4),
                     "solved": len(mine), "mean_attempts": round(float(mine.mean()), 4) if len(mine) else math.nan,
                     "score": float(score[student]) if score is not None else math.nan,
                     "slips": "; ".join(slips), "summary": summary, "slips_short": " | ".join(short.get(student, []))})
    return pd.DataFrame(rows, columns=[*STUDENT_COLUMNS, "slips_short"])


# ---- the report -------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b1b1b;background:#fff;
max-width:72rem;margin:0 auto;padding:1rem;line-height:1.5;overflow-wrap:anywhere}
a{color:#0b57a4}
table{border-collapse:collapse;margin:1rem 0;font-size:.95rem}
caption{text-align:left;font-weight:600;padding:.25rem 0}
th,td{border:1px solid #767676;padding:.3rem .5rem;vertical-align:top;text-align:left}
td.num{text-align:right;font-variant-numeric:tabular-nums}
th button{font:inherit;font-weight:600;background:none;border:none;padding:0;color:#1b1b1b;cursor:pointer;text-align:left}
th button:focus-visible,a:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
th[aria-sort] button::after{content:" (sorted)";font-weight:400}
th[aria-sort=ascending] button::after{content:" ▲ ascending"}
th[aria-sort=descending] button::after{content:" ▼ descending"}
.scroll{overflow-x:auto}
.flag{font-weight:600}
figure{margin:1rem 0}
figure svg{max-width:100%;height:auto}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem}
"""

# Sortable tables: a button in each header cell, aria-sort on the sorted one; numbers sort as numbers.
_SCRIPT = """
document.querySelectorAll("table.sortable").forEach(function (table) {
  var heads = table.querySelectorAll("thead th");
  heads.forEach(function (th, col) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      heads.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.value, y = b.cells[col].dataset.value;
        var nx = parseFloat(x), ny = parseFloat(y), d;
        if (x === "" || y === "") { d = (x === "") - (y === ""); return d; }
        d = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? d : -d;
      });
      rows.forEach(function (r) { body.appendChild(r); });
      document.getElementById(table.id + "-status").textContent =
        "Sorted by " + button.textContent.replace(/ \\(.*|[▲▼].*/, "") + (asc ? ", ascending." : ", descending.");
    });
  });
});
"""


def _cell_text(value: object, digits: int = 2) -> tuple[str, str]:
    """(what the cell shows, what it sorts by)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–", ""
    if isinstance(value, (float, np.floating)):
        return f"{float(value):.{digits}f}", repr(float(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value)), str(int(value))
    return str(value), str(value)


def _table(table_id: str, caption: str, frame: pd.DataFrame, headers: Mapping[str, str]) -> str:
    head = "".join(f'<th scope="col"><button type="button">{html.escape(label)}</button></th>' for label in headers.values())
    rows = []
    for _, row in frame.iterrows():
        cells = []
        for i, column in enumerate(headers):
            shown, key = _cell_text(row[column])
            numeric = isinstance(row[column], (int, float, np.integer, np.floating))
            tag = "th scope=\"row\"" if i == 0 else "td"
            klass = ' class="num"' if numeric else ""
            cells.append(f'<{tag}{klass} data-value="{html.escape(key)}">{html.escape(shown)}</{tag.split()[0]}>')
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<div class="scroll" role="region" aria-labelledby="{table_id}-caption" tabindex="0">'
            f'<table class="sortable" id="{table_id}"><caption id="{table_id}-caption">{html.escape(caption)} '
            f'(press a column\'s heading to sort by it)</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table></div>'
            f'<p id="{table_id}-status" class="status" role="status" aria-live="polite"></p>')


@dataclass(frozen=True)
class _Chart:
    spec: dict
    svg: str
    text: str  # the text alternative, stored with the chart


def _svg_chart(chart: Any, description: str) -> _Chart:
    import altair as alt
    import vl_convert as vlc

    from course_lib import charts

    spec = chart.properties(description=description).to_dict()
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    svg = vlc.vegalite_to_svg(spec, vl_version=version)
    return _Chart(spec, svg, charts.text_alternative(spec))


def _charts(found: Analysis) -> list[_Chart]:
    import altair as alt

    import course_lib.charts  # noqa: F401  (the course's theme)

    items = found.items.dropna(subset=["difficulty", "discrimination"]).copy()
    items["flagged"] = np.where(items["flags"] != "", "flagged", "not flagged")
    made = []
    if len(items):
        flagged = items[items["flagged"] == "flagged"]
        worst = items.sort_values("discrimination").iloc[0]
        description = (f"Each point is a question: its difficulty (share right at the first attempt, across) against its "
                       f"discrimination (up). {len(items)} questions; {len(flagged)} flagged, drawn as triangles "
                       f"(the others as circles). Difficulty runs from {items['difficulty'].min():.2f} to "
                       f"{items['difficulty'].max():.2f}; the lowest discrimination is {worst['discrimination']:.2f} "
                       f"({worst['question']}).")
        scatter = alt.Chart(items).mark_point(size=90, filled=True).encode(
            x=alt.X("difficulty:Q", title="Difficulty (share right at the first attempt)", scale=alt.Scale(domain=[0, 1])),
            y=alt.Y("discrimination:Q", title="Discrimination (point-biserial)"),
            shape=alt.Shape("flagged:N", title="Flags", scale=alt.Scale(domain=["flagged", "not flagged"],
                                                                         range=["triangle-up", "circle"])),
            color=alt.Color("flagged:N", title="Flags", scale=alt.Scale(domain=["flagged", "not flagged"],
                                                                         range=["#D55E00", "#0072B2"])),
        ).properties(width=560, height=320)
        rule = alt.Chart(pd.DataFrame({"y": [0.0]})).mark_rule(color="#767676").encode(y="y:Q")
        made.append(_svg_chart(alt.layer(scatter, rule).properties(
            title={"text": "Difficulty and discrimination of each question", "subtitle": "Source: the class's attempt logs"}),
            description))
    mis = found.items[found.items["dominant_slip"] != ""].sort_values("dominant_share", ascending=False).head(10).copy()
    if len(mis):
        lines = "; ".join(f"{q}, {s:.0%} of the students: {w}" for q, s, w in
                          zip(mis["question"], mis["dominant_share"], mis["dominant_slip"]))
        description = f"The most common misconception of each question, by the share of students it misled at the first attempt: {lines}."
        bars = alt.Chart(mis).mark_bar().encode(
            x=alt.X("dominant_share:Q", title="Share of the students at their first attempt", axis=alt.Axis(format="%")),
            y=alt.Y("question:N", title=None, sort="-x"),
        ).properties(title={"text": "The dominant misconceptions",
                            "subtitle": "Source: the class's attempt logs"}, width=360)
        made.append(_svg_chart(bars, description))
    return made


def _misconception(ident: str, words: str) -> str:
    """A dominant misconception as the page says it: the option chosen, or the slip's diagnosis."""
    if ident.startswith("option:"):
        return f"chose the option “{html.escape(words)}”"
    return f"an answer that looks like {html.escape(words)}" if words[:1].islower() else html.escape(words)


def _page(found: Analysis, charts: Sequence[_Chart]) -> str:
    items = found.items.copy()
    n_students = len(found.students)
    t = found.thresholds
    flagged = items[items["flags"] != ""]
    flag_list = "".join(f'<li><span class="flag">{html.escape(r["question"])}</span>: {html.escape(r["flags"])}</li>'
                        for _, r in flagged.iterrows()) or "<li>No question is flagged.</li>"
    mis = items[items["dominant_slip"] != ""].sort_values("dominant_share", ascending=False).head(10)
    mis_list = "".join(f'<li><strong>{html.escape(r["question"])}</strong> ({r["dominant_share"]:.0%} of the students at '
                       f'their first attempt): {_misconception(r["dominant_id"], r["dominant_slip"])}</li>'
                       for _, r in mis.iterrows())
    # Each picture's accessible name is its text alternative, printed below it as the caption.
    figures = "".join(
        '<figure>' + re.sub(r"<svg\b", f'<svg role="img" aria-labelledby="chart{i}-text"', c.svg, count=1)
        + f'<figcaption id="chart{i}-text">{html.escape(c.text)}</figcaption></figure>'
        for i, c in enumerate(charts))
    item_headers = {"question": "Question", "students": "Students", "difficulty": "Difficulty", "discrimination": "Discrimination",
                    "upper_lower": "Upper − lower 27 %", "attempts_to_success": "Attempts to success",
                    "dominant_slip": "Dominant misconception", "dominant_share": "Its share", "flags": "Flags"}
    student_headers = {"student": "Student", "questions": "Questions tried", "right_first": "Right at first attempt",
                       "right_first_share": "Share right first", "solved": "Solved in the end",
                       "mean_attempts": "Mean attempts", "slips_short": "Their slips (in short; in full in students.csv)"}
    choices = found.choices.assign(type=found.choices["type"].map({"option": "option chosen", "slip": "slip"}))
    choice_headers = {"question": "Question", "type": "Kind", "words": "In the question's words", "students": "Students",
                      "share": "Share"}
    if found.students["score"].notna().any():
        student_headers["score"] = "Score"
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Item analysis: {len(items)} questions, {n_students} students</title><style>{_STYLE}</style></head>
<body><a class="skip" href="#main">Skip to the report</a>
<header><h1>Item analysis of the class's answers</h1></header>
<main id="main">
<p>{n_students} students, {len(items)} questions (reflections are read with the rubric sheet and left out here).
<strong>Difficulty</strong> is the share of the students who were right at their first attempt (higher means easier).
<strong>Discrimination</strong> is the correlation between being right at the first attempt and the student's score on
the other questions: a question the stronger students get right more often has a positive discrimination.
<strong>Upper − lower 27 %</strong> is the difficulty among the 27 % of students with the highest score on the other
questions minus that among the 27 % with the lowest. A <strong>misconception</strong> is a wrong option chosen, or a slip
the course diagnosed, at the first attempt.</p>
<h2 id="flags">Questions to look at</h2>
<p>Flags: too easy (difficulty above {t['too_easy']:g}), too hard (below {t['too_hard']:g}), negative discrimination
(below {t['negative_discrimination']:g}: the weaker students do better, often a wrong key or an ambiguous prompt), and options
nobody picks at the first attempt (they do no work as distractors), and a wrong option the strongest 27 % chose more often
than the key (check the key). Questions with fewer than {t['min_students']:g} students get no flags.</p>
<ul>{flag_list}</ul>
<h2 id="misconceptions">What the class misunderstood</h2>
<ol>{mis_list or '<li>No wrong option or diagnosed slip was recorded.</li>'}</ol>
<h2 id="charts">Charts</h2>
{figures}
<h2 id="items">Every question</h2>
{_table("items-table", "Item statistics, one row per question", items, item_headers)}
<h2 id="choices">Every wrong option and slip</h2>
<p>The share of the students whose first attempt chose each wrong option, or gave an answer that looks like each slip
the course diagnoses (wrong answers no slip explains are not counted here).</p>
{_table("choices-table", "Wrong first attempts, one row per option or slip", choices, choice_headers)}
<h2 id="students">Every student</h2>
{_table("students-table", "One row per student", found.students, student_headers)}
</main>
<footer><p>Made by the course's grader from the class's attempt logs. The same tables: items.csv, choices.csv and students.csv beside this page.</p></footer>
<script>{_SCRIPT}</script>
</body></html>
"""


def write_report(table: pd.DataFrame, out_dir: str | Path) -> Path:
    """Write the item analysis of ``table`` to ``out_dir``: ``index.html`` (one static page, offline,
    sortable tables, charts with their text alternatives), ``items.csv``, ``students.csv`` and
    ``choices.csv`` (each wrong option and slip of each question: its words, students and share).
    Returns the page's path."""
    if not isinstance(out_dir, (str, Path)):
        raise TypeError(f"out_dir must be a folder path, got {out_dir!r}")
    found = analyse(table)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise ValueError(f"out_dir={str(out_dir)!r} is a file: name a folder for the report")
    out.mkdir(parents=True, exist_ok=True)
    found.items[list(ITEM_COLUMNS)].to_csv(out / "items.csv", index=False, float_format="%.4g")
    found.students[list(STUDENT_COLUMNS)].to_csv(out / "students.csv", index=False, float_format="%.4g")
    found.choices.to_csv(out / "choices.csv", index=False, float_format="%.4g")
    page = out / "index.html"
    made = _charts(found)
    page.write_text(_page(found, made), encoding="utf-8")
    # Each chart's Vega-Lite spec with its text alternative, to redraw or to read without the page.
    (out / "charts.json").write_text(json.dumps([{"spec": c.spec, "text": c.text} for c in made]), encoding="utf-8")
    return page
