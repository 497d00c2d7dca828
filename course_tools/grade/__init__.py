"""Grade a class's notebooks with the course's own checks: a gradebook and feedback per student.

One command, with the course's Python, over the submitted notebooks (files or folders)::

    python -m course_lib.grade submissions/ --out grades.csv [--points points.csv] [--jobs N]
        [--cell-timeout S] [--timeout S] [--memory MB] [--disk MB] [--assignment NOTEBOOK] [--feedback DIR]

Each submission is copied into a temporary folder of its own and run top to bottom in a fresh
kernel (per-cell and per-notebook time limits, a memory limit, several at a time:
:mod:`~course_tools.grade.run`), inside a sandbox with no network, nothing writable but its own
folder and nothing it starts left running (:mod:`~course_tools.grade.sandbox`; ``--no-sandbox``
where the machine has none). Every ``check("<id>", answer, unit)`` call records its answer
(:data:`course_lib.exercises.ANSWER_LOG`); the grader judges the answers in its *own* process
(:mod:`~course_tools.grade.scoring`), so what a notebook prints, or a ``check`` it redefines, counts
for nothing. The attempts come from the attempt log the notebook carries in its ``check()`` outputs,
cross-checked against the run (:mod:`~course_tools.grade.attempts`), and are scored by the course's
policy (:mod:`~course_tools.grade.policy`, ``scoring.toml`` beside ``points.csv``); reflections and
the capstone go to a rubric sheet the instructor fills in (:mod:`~course_tools.grade.rubric`). The questions of the
assignment come from the course's notebook of the same name (or ``--assignment``), never from a
submission (:mod:`~course_tools.grade.assignment`). Out come ``grades.csv`` (``submission``, one
column per question, ``total``, ``max``, ``status``) and a Markdown feedback file per submission
with the verdict and hints ``check()`` gives (:mod:`~course_tools.grade.report`).

Every student's exercises carry numbers of their own (:mod:`course_lib.variants`). A submission
runs, and is scored, as the identity its notebook recorded when the student ran it, else as its
file name (``alice.ipynb`` -> ``alice``); a disagreement is written in its status. The answer key,
each student's numbers and expected answers, without grading anything::

    python -m course_lib.grade --answer-key alice,bob,... --out key.csv [--assignment NOTEBOOK]

With ``--report DIR`` the grader also writes an item analysis of the class's first attempts
(difficulty, discrimination, the dominant misconception per question; :mod:`~course_tools.grade.items`).

The same in Python, scoring recorded answers without running anything:

>>> from course_tools import grade
>>> records = grade.read_records(['{"id": "start.food_day_kwh", "answer": 8368, "unit": "kJ"}'])
>>> (verdict,) = grade.score(records, ["start.food_day_kwh"], {"start.food_day_kwh": 2})
>>> verdict.earned, verdict.feedback
(2.0, '✅ Correct: 8,368 kJ = 2.324 kWh (expected 2.324 kWh, within 0.4%).')

Tooling, like :mod:`course_tools.build`: it stands on the floor (``exercises``, ``_answers``,
``checks``, ``formats``) and never imports a topic; questions load on demand through ``exercises``.
"""

import lazy_loader as _lazy

__getattr__, __dir__, __all__ = _lazy.attach(
    __name__,
    submod_attrs={
        "assignment": ["Submission", "find_submissions", "choose_assignment", "question_ids", "assignment_questions",
                       "read_points", "read_notebook"],
        "scoring": ["Record", "QuestionScore", "read_log", "read_records", "score"],
        "run": ["Limits", "Run", "run_notebook", "run_all"],
        "sandbox": ["SandboxUnavailable", "sandbox_problem"],
        "grader": ["Grade", "Gradebook", "grade"],
        "report": ["write_grades", "write_feedback", "feedback_markdown"],
        "key": ["answer_key", "write_answer_key", "read_students"],
        "cli": ["main"],
        "attempts": ["submitted_log", "cross_check", "class_table", "CLASS_COLUMNS"],
        "policy": ["Policy", "read_policy", "item_kind"],
        "rubric": ["rubric_rows", "write_rubric_sheet", "merge_rubrics", "RUBRIC_COLUMNS"],
        "items": ["analyse", "write_report"],
    },
)
