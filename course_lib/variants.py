"""Exercise families: each student's own numbers for an exercise, drawn from ranges in the data.

A numeric exercise is a *family*: its parameters (another tonnage, another brewery size, another
discount rate, ...) are drawn from ranges declared, each with its reason, in the topic's table
``datasets/exercise_variants_<topic>.csv`` (one row a parameter: ``question``, ``name``,
``label``, ``value`` (the default), ``unit``, ``low``, ``high``, ``step`` or ``options``,
``basis``, ``source``). The expected answer is computed from the student's parameters with the
course's own model (the topic's ``questions`` module).

A student's variant is fixed by SHA-256 of the course, the question id, the parameter and the
student's normalised identity (:mod:`course_lib.identity`): the same numbers on every machine,
in every Python, after every restart. Values come from a grid (``low``, ``low + step``, ...,
``high``), so two students' numbers differ by whole steps. Without an identity, every parameter
takes its default ``value``: the variant the committed notebooks and the site show.

>>> v = draw("start.food_day_kwh", None)
>>> v.is_default, v["kcal"], v.shown("kcal")
(True, 2000.0, '2,000 kcal')
>>> draw("start.food_day_kwh", "alice") == draw("start.food_day_kwh", " ALICE ")
True
>>> draw("start.food_day_kwh", "alice")["kcal"] != draw("start.food_day_kwh", "bob")["kcal"]
True
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import pint

from . import data, formats, identity
from ._ureg import Q_

__all__ = ["Parameter", "Variant", "parameters", "draw", "seed", "grid", "SALT"]

#: Part of every hashed seed: another course drawing with the same ids gets other numbers.
SALT = "sustainable-production-and-consumption/1"


@dataclass(frozen=True)
class Parameter:
    """One drawn parameter of a question: its default, its grid (or its options) and its unit."""

    question: str
    name: str
    label: str
    default: float | str
    unit: str
    values: tuple[float, ...] | tuple[str, ...]

    @property
    def categorical(self) -> bool:
        return bool(self.values) and isinstance(self.values[0], str)


def grid(low: float, high: float, step: float) -> tuple[float, ...]:
    """The values ``low, low + step, ..., high`` (rounded so that 0.1 + 0.2 prints as 0.3).

    >>> grid(1.0, 2.0, 0.25)
    (1.0, 1.25, 1.5, 1.75, 2.0)
    """
    if not (math.isfinite(low) and math.isfinite(high) and math.isfinite(step)) or step <= 0 or high < low:
        raise ValueError(f"a variant grid needs low <= high and step > 0, got low={low}, high={high}, step={step}")
    count = int(math.floor((high - low) / step + 1e-9)) + 1
    decimals = max(0, -math.floor(math.log10(step)) + 3)
    return tuple(round(low + k * step, decimals) for k in range(count))


def _table(topic: str) -> list[dict]:
    name = f"exercise_variants_{topic}"
    if name not in data.datasets()["name"].tolist():
        return []
    return data.load(name).to_dict("records")


@data.cached
def _all_parameters(topic: str) -> dict[str, tuple[Parameter, ...]]:
    found: dict[str, list[Parameter]] = {}
    for row in _table(topic):
        question = f"{topic}.{row['question']}"
        unit = "" if _missing(row.get("unit")) else str(row["unit"])
        options = "" if _missing(row.get("options")) else str(row["options"])
        values: tuple[float, ...] | tuple[str, ...]
        if options:
            values = tuple(o.strip() for o in options.split("|") if o.strip())
            default: float | str = values[0] if _missing(row.get("value")) else str(row["value"])
        else:
            values = grid(float(row["low"]), float(row["high"]), float(row["step"]))
            default = float(row["value"])
        found.setdefault(question, []).append(Parameter(question, str(row["name"]), str(row["label"]), default, unit, values))
    return {q: tuple(ps) for q, ps in found.items()}


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) in ("", "<NA>", "nan")


def parameters(question_id: str) -> tuple[Parameter, ...]:
    """The drawn parameters of ``question_id`` (none for a question that is not a family)."""
    topic = question_id.split(".", 1)[0]
    return _all_parameters(topic).get(question_id, ())


def seed(question_id: str, student: str, part: str = "") -> int:
    """A 64-bit number fixed by the question, the part (a parameter's name) and the student.

    SHA-256, not Python's ``hash()`` (salted per process) nor a random stream (which changes
    between Python and numpy versions): the same on a laptop, on the hub and in the browser.

    >>> seed("start.food_day_kwh", "alice") == seed("start.food_day_kwh", "Alice ")
    True
    """
    text = f"{SALT}/{question_id}/{part}/{identity.normalise(student)}"
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


#: What a question's ``<name>_slips`` function returns: (a likely wrong answer, the key of its diagnosis).
Slips = list[tuple[pint.Quantity, str]]


@dataclass(frozen=True)
class Variant(Mapping[str, object]):
    """One student's numbers for one question: ``variant["beer_hl"]`` is a plain number in the
    parameter's unit (``variant.unit("beer_hl")``), ``variant.quantity("beer_hl")`` the same with
    its unit, ``variant.shown("beer_hl")`` as the exercise prints it."""

    question: str
    student: str | None
    numbers: Mapping[str, object] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)

    @property
    def is_default(self) -> bool:
        return self.student is None

    def __getitem__(self, name: str) -> object:
        try:
            return self.numbers[name]
        except KeyError:
            known = ", ".join(self.numbers) or "none"
            raise KeyError(f"{self.question} has no number called {name!r}; its numbers are: {known}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self.numbers)

    def __len__(self) -> int:
        return len(self.numbers)

    def unit(self, name: str) -> str:
        return self.units.get(name, "")

    def quantity(self, name: str) -> pint.Quantity:
        value = self[name]
        if isinstance(value, str):
            raise TypeError(f"{self.question}: {name!r} is a choice ({value!r}), not a number")
        return Q_(float(value), self.unit(name))  # type: ignore[arg-type]

    def number(self, name: str, unit: str | None = None) -> float:
        """The number (or an option that is one, '2900') as a float, in its parameter's unit or in
        ``unit`` (``""`` for a share: 12 % -> 0.12)."""
        value = float(self[name])  # type: ignore[arg-type]
        return value if unit is None else float(Q_(value, self.unit(name)).to(unit).magnitude)

    def shown(self, name: str) -> str:
        """The value as the exercise prints it: ``'1,000 hL'``, ``'7.5 %'``, ``'diesel'``."""
        value = self[name]
        if isinstance(value, str):
            return value
        unit = self.unit(name)
        if unit in ("percent", "%"):
            return f"{formats.number(float(value), 6)} %"  # type: ignore[arg-type]
        return formats.quantity(Q_(float(value), unit), digits=6) if unit else formats.number(float(value), 6)  # type: ignore[arg-type]

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={self.shown(name)}" for name in self.numbers)
        who = "the default numbers" if self.is_default else f"student {self.student!r}"
        return f"<your numbers for {self.question} ({who}): {shown or 'none'}>"


def draw(question_id: str, student: str | None) -> Variant:
    """The variant of ``question_id`` for ``student`` (a normalised identity, or None: the defaults)."""
    chosen: dict[str, object] = {}
    units: dict[str, str] = {}
    labels: dict[str, str] = {}
    who = identity.normalise(student) if student is not None else None
    for p in parameters(question_id):
        if who is None:
            chosen[p.name] = p.default
        else:
            chosen[p.name] = p.values[seed(question_id, who, p.name) % len(p.values)]
        units[p.name], labels[p.name] = p.unit, p.label
    return Variant(question_id, who, chosen, units, labels)
