"""The attempt log: every answer judged for a student, in order, kept beside the notebooks.

Each time :func:`course_lib.exercises.check` (or :func:`~course_lib.exercises.evaluate`) judges an
answer, one record is appended to the file :data:`FILE_NAME` in the folder the kernel runs in
(the environment variable :data:`LOG_ENV` names another file), one JSON object a line::

    {"question": "energy.toe_per_capita", "student": "alice", "variant": {"population_m": 7.2},
     "answer": 3.1, "unit": null, "verdict": "wrong", "slip": "ten", "option": null,
     "attempt": 1, "time": "2026-12-07T19:30:00Z"}

``verdict`` is ``"right"``, ``"wrong"`` or ``"unread"`` (an untouched placeholder or an answer
that cannot be read: no attempt used, ``attempt`` is null); ``slip`` names the slip diagnosed on a
wrong number, ``option`` the option chosen by its id (never a letter, which differs between
students). Attempt numbers continue across kernel restarts: they are counted in the file. Each
``check()`` output also carries the question's whole history in its metadata (``{"course":
{"attempts": [...]}}``), so a saved notebook holds the log it was made with; the grader compares
it with a fresh run of the notebook (``course_tools.grade.attempts``).

>>> import os, tempfile
>>> saved = os.environ.get(LOG_ENV)
>>> os.environ[LOG_ENV] = os.path.join(tempfile.mkdtemp(), "attempts.jsonl")
>>> from course_lib.exercises import Feedback
>>> first = record("start.food_day_kwh", None, {}, 3.5, None, Feedback(False, "❌ Not yet"))
>>> second = record("start.food_day_kwh", None, {}, 2.32, None, Feedback(True, "✅ Correct"))
>>> [(r["attempt"], r["verdict"]) for r in history("start.food_day_kwh", None)]
[(1, 'wrong'), (2, 'right')]
>>> next_attempt("start.food_day_kwh", None)
3
>>> os.environ[LOG_ENV] = saved or FILE_NAME
"""

from __future__ import annotations

import datetime
import importlib
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from . import _answers

__all__ = ["LOG_ENV", "FILE_NAME", "FIELDS", "log_path", "parse", "read", "history", "next_attempt", "record", "verdict_of"]

#: The environment variable naming the log file (default: :data:`FILE_NAME` in the working folder).
LOG_ENV = "COURSE_ATTEMPT_LOG"
#: The log's file name, beside the notebooks (hidden, like the identity file ``.course_student``).
FILE_NAME = ".course_attempts.jsonl"
#: The keys of every record, in order.
FIELDS = ("question", "student", "variant", "answer", "unit", "verdict", "slip", "option", "attempt", "time")
#: At most this much of the log is read (a log flooded by a loop costs its writer, never the kernel).
MAX_BYTES = 8 * 1024 * 1024

# Records kept in memory when the file cannot be written (a read-only folder): the history of this
# kernel only, so attempts and hints still count up.
_UNSAVED: list[dict[str, Any]] = []


# In the in-browser course (Pyodide) the working folder is the browser's own storage, reached by a
# blocking request for every file operation, which stalled check() when it appended there. So the
# kernel reads the log once, when first asked (what earlier visits logged), keeps its own records
# in memory, and sends each one to the page on the BroadcastChannel "course-attempts"; the page's
# script (course-work.js, added by the site's build) appends it to the same file in the browser's
# storage, where the next kernel reads it and "Download All My Work" takes it.
_IN_BROWSER = sys.platform == "emscripten"
_CHANNEL_NAME = "course-attempts"
_channel: Any = None


def log_path() -> Path:
    """The log file in force: :data:`LOG_ENV` if set, else :data:`FILE_NAME` in the working folder."""
    return Path(os.environ.get(LOG_ENV) or FILE_NAME)


class _Seen:
    """What this process has read of one log file: where it stopped and the records by question and student.

    A kernel, a test run or the grader judges thousands of answers against one log: reading the
    whole file again for each would make the n-th answer cost n lines. Only what was appended
    since the last look is read (by anyone: another kernel may write the same file).
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.inode: tuple[int, int] | None = None
        self.head = b""  # the file's first bytes: a file deleted and written anew may reuse the inode
        self.offset = 0
        self.records: list[dict[str, Any]] = []
        self.by: dict[tuple[str, str | None], list[dict[str, Any]]] = {}

    def add(self, record: dict[str, Any]) -> None:
        self.records.append(record)
        self.by.setdefault((record["question"], record.get("student")), []).append(record)


_SEEN: dict[str, _Seen] = {}


def _seen(path: Path | None = None) -> _Seen:
    """The records of the log at ``path``, brought up to date with what was appended since the last look."""
    path = Path(path or log_path())
    seen = _SEEN.setdefault(str(path.absolute()), _Seen())
    if _IN_BROWSER:
        if seen.inode is None:  # once per kernel: what earlier visits logged; this kernel's own are _UNSAVED
            seen.inode = (0, 0)
            try:
                with open(path, "rb") as handle:
                    chunk = handle.read(MAX_BYTES)
            except OSError:
                chunk = b""
            _parse(seen, chunk[: chunk.rfind(b"\n") + 1])
        return seen
    try:
        with open(path, "rb") as handle:
            info = os.fstat(handle.fileno())
            head = handle.read(256)
            if seen.inode != (info.st_dev, info.st_ino) or info.st_size < seen.offset or head[: len(seen.head)] != seen.head:
                seen.reset()  # a new or shortened file (deleted, rewritten): read it from the start
                seen.inode = (info.st_dev, info.st_ino)
            if len(seen.head) < 256:
                seen.head = head
            handle.seek(seen.offset)
            chunk = handle.read(max(0, MAX_BYTES - seen.offset))
    except OSError:  # no log (yet, or deleted): nothing recorded
        seen.reset()
        return seen
    complete = chunk[: chunk.rfind(b"\n") + 1]  # a line still being written is read next time
    seen.offset += len(complete)
    _parse(seen, complete)
    return seen


def _parse(seen: _Seen, complete: bytes) -> None:
    """Add the records in ``complete`` (whole lines of a log) to ``seen``."""
    for data in parse(complete):
        seen.add(data)


def parse(text: bytes) -> list[dict[str, Any]]:
    """The records in ``text`` (lines of a log), in order; a line that is not a record is skipped.

    >>> parse(b'{"question": "start.food_day_kwh", "attempt": 1}\\nnot a record\\n[1]\\n')
    [{'question': 'start.food_day_kwh', 'attempt': 1}]
    """
    records = []
    for line in text.decode("utf-8", errors="replace").splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("question"), str):
            records.append(data)
    return records


def read(path: Path | None = None) -> list[dict[str, Any]]:
    """Every record in the log at ``path`` (default :func:`log_path`), lines that cannot be read skipped."""
    return [dict(r) for r in _seen(path).records] + [dict(r) for r in _UNSAVED]


def history(question: str, student: str | None, records: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The records of ``question`` for ``student``, oldest first."""
    if records is None:
        found = [dict(r) for r in _seen().by.get((question, student), [])] + [dict(r) for r in _UNSAVED]
    else:
        found = records
    return [r for r in found if r.get("question") == question and r.get("student") == student]


def next_attempt(question: str, student: str | None, records: list[dict[str, Any]] | None = None) -> int:
    """The number the next real attempt at ``question`` by ``student`` gets (1 for the first)."""
    numbers = [r["attempt"] for r in history(question, student, records)
               if isinstance(r.get("attempt"), int) and not isinstance(r.get("attempt"), bool)]
    return max(numbers, default=0) + 1


def verdict_of(feedback: Any) -> str:
    """``"right"``, ``"wrong"`` or ``"unread"`` (no attempt used) for a :class:`~course_lib.exercises.Feedback`."""
    if not getattr(feedback, "attempted", True):
        return "unread"
    return "right" if bool(feedback) else "wrong"


def _plain(value: object) -> object:
    """A variant's value as JSON: numbers and text as they are, anything else as its text."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def record(question: str, student: str | None, variant: Mapping[str, object], answer: object, unit: str | None,
           feedback: Any, attempt: int | None = None) -> dict[str, Any]:
    """Append the record of one judged answer to the log and return it.

    ``attempt`` is the number of this real attempt (default: the next one, counted in the log);
    an answer that uses no attempt (``feedback.attempted`` false) is recorded with ``attempt`` null.
    """
    verdict = verdict_of(feedback)
    if verdict == "unread":
        number = None
    else:
        number = attempt if attempt is not None else next_attempt(question, student)
    entry = {"question": question, "student": student, "variant": {k: _plain(v) for k, v in variant.items()},
             "answer": _answers.to_record(answer), "unit": unit, "verdict": verdict,
             "slip": getattr(feedback, "slip", None), "option": getattr(feedback, "option", None),
             "attempt": number,
             "time": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}
    line = json.dumps(entry, ensure_ascii=False, default=str)
    if _IN_BROWSER:
        _UNSAVED.append(entry)
        _to_page(line)
        return entry
    try:
        with open(log_path(), "a", encoding="utf-8") as handle:
            handle.write(line + "\n")
    except OSError:  # a read-only folder: the history lives in this kernel only
        _UNSAVED.append(entry)
    return entry


def _to_page(line: str) -> None:
    """Send one record to the in-browser course's page, which keeps it in the browser's storage.

    Nothing happens where no page listens (Pyodide elsewhere): the record stays in this kernel's memory.
    """
    global _channel
    if _channel is False:
        return
    try:
        if _channel is None:
            browser = importlib.import_module("js")  # Pyodide's bridge to the browser
            _channel = browser.BroadcastChannel.new(_CHANNEL_NAME)
        _channel.postMessage(line)
    except Exception:  # no BroadcastChannel here: the log stays in memory, as before
        _channel = False
