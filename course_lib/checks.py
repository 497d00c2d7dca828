"""Argument checks shared by every public function of the course.

Each check returns the cleaned value or raises an error that a first-year student can act on: it
names the argument, repeats the bad value and says what is allowed. Wrong *kinds* of value (text
where a number belongs, a bare string where a list belongs) raise ``TypeError``; values of the
right kind but outside what is allowed raise ``ValueError``.

>>> from course_lib import checks
>>> checks.number("10", "years")
Traceback (most recent call last):
...
TypeError: years must be a number, got '10' (text); write it without quotes: 10
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pint

from . import formats
from ._ureg import Q_, ureg

__all__ = [
    "Q_", "number", "whole_number", "share", "unit", "quantity", "magnitude", 
    "choice", "names", "numbers_list", "frame", "text", "suggest", "dimension_words", "flag", "file_path", "folder",
]

# pint reads "ton" as the US short ton (907 kg): a silent 9 % error for anyone meaning tonnes.
_AMBIGUOUS_UNITS = dict.fromkeys(
    ("ton", "tons"), "the US short ton (907 kg) in pint; write 't' for metric tonnes (or 'short_ton' for 2,000 lb)")


def _kind(value: object) -> str:
    """What ``value`` is, in words, for a message."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "True/False"
    return type(value).__name__


def suggest(value: str, allowed: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when ``value`` is close to one of ``allowed``, else ``''``.

    >>> suggest("gyprock", ["gyproc", "statoil"])
    " (did you mean 'gyproc'?)"
    """
    close = difflib.get_close_matches(str(value), [str(a) for a in allowed], n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _bounds_text(minimum: float | None, maximum: float | None, inclusive: bool) -> str:
    low, high = (">=", "<=") if inclusive else (">", "<")
    if minimum is not None and maximum is not None:
        return f"between {minimum:g} and {maximum:g}" if inclusive else f"{low} {minimum:g} and {high} {maximum:g}"
    if minimum is not None:
        return f"{low} {minimum:g}"
    if maximum is not None:
        return f"{high} {maximum:g}"
    return "any finite number"


def number(
    value: Any,
    argument: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    inclusive: bool = True,
    unit: str | None = None,
) -> float:
    """``value`` as a float: a finite real number (not text, not True/False) within the bounds.

    ``inclusive=False`` makes both bounds strict. ``unit`` only adds words to the messages.

    >>> number(-1, "K", minimum=0, inclusive=False, unit="t")
    Traceback (most recent call last):
    ...
    ValueError: K=-1 is not allowed: give a number > 0 (t)
    """
    in_unit = f" (in {unit})" if unit else ""
    if isinstance(value, str):
        hint = f"; write it without quotes: {value.strip()}" if _parses(value) else ""
        raise TypeError(f"{argument} must be a number{in_unit}, got {value!r} (text){hint}")
    if isinstance(value, pint.Quantity):
        raise TypeError(f"{argument} must be a plain number{in_unit}, got the quantity {value}")
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{argument} must be a number{in_unit}, got {value!r} of type {_kind(value)}")
    result = float(value)
    if not math.isfinite(result):
        raise ValueError(f"{argument}={value!r} is not a finite number")
    too_low = minimum is not None and (result < minimum if inclusive else result <= minimum)
    too_high = maximum is not None and (result > maximum if inclusive else result >= maximum)
    if too_low or too_high:
        words = f" ({unit})" if unit else ""
        raise ValueError(f"{argument}={value!r} is not allowed: give a number {_bounds_text(minimum, maximum, inclusive)}{words}")
    return result


def _parses(text: str) -> bool:
    try:
        float(text.replace(",", ""))
    except ValueError:
        return False
    return True


def whole_number(value: Any, argument: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as an int: a whole number (``10`` or ``10.0``) within the bounds.

    >>> whole_number(2.5, "years")
    Traceback (most recent call last):
    ...
    ValueError: years=2.5 must be a whole number (1, 2, 3, ...)
    """
    result = number(value, argument)
    if not result.is_integer():
        raise ValueError(f"{argument}={value!r} must be a whole number (1, 2, 3, ...)")
    if (minimum is not None and result < minimum) or (maximum is not None and result > maximum):
        raise ValueError(f"{argument}={value!r} is not allowed: give a whole number {_bounds_text(minimum, maximum, True)}")
    return int(result)


def share(value: Any, argument: str, *, allow_zero: bool = True, allow_one: bool = True) -> float:
    """A share (a fraction of a whole) between 0 and 1; says so when a percent is given.

    >>> share(24, "scrap_share")
    Traceback (most recent call last):
    ...
    ValueError: scrap_share=24 is a share and must lie between 0 and 1: write 24 % as 0.24
    """
    result = number(value, argument)
    if result < 0 or result > 1:
        percent = f": write {result:g} % as {result / 100:g}" if 1 < result <= 100 else ""
        raise ValueError(f"{argument}={value!r} is a share and must lie between 0 and 1{percent}")
    if (result == 0 and not allow_zero) or (result == 1 and not allow_one):
        low, high = ("0 <" if not allow_zero else "0 <="), ("< 1" if not allow_one else "<= 1")
        raise ValueError(f"{argument}={value!r} is not allowed: give a share with {low} {argument} {high}")
    return result


def unit(value: Any, argument: str = "unit", *, like: str | None = None) -> pint.Unit:
    """``value`` as a pint Unit; ``like`` (a unit) demands the same dimension.

    Refuses ``"ton"``, which pint reads as the US short ton, and says what to write instead.

    >>> unit("tons", "unit")
    Traceback (most recent call last):
    ...
    ValueError: unit='tons' is ambiguous: it is the US short ton (907 kg) in pint; write 't' for metric tonnes (or 'short_ton' for 2,000 lb)
    """
    if isinstance(value, pint.Unit):
        result = value
    else:
        if not isinstance(value, str):
            raise TypeError(f"{argument} must be a unit name such as 'kg' (text), got {value!r} of type {_kind(value)}")
        if value.strip().lower() in _AMBIGUOUS_UNITS:
            raise ValueError(f"{argument}={value!r} is ambiguous: it is {_AMBIGUOUS_UNITS[value.strip().lower()]}")
        try:
            result = ureg.Unit(value)
        except (pint.errors.PintError, AttributeError, ValueError, TypeError, AssertionError, SyntaxError, KeyError):
            raise ValueError(
                f"{argument}={value!r} is not a unit the course knows; write a unit such as "
                "'kg', 't', 'm**3', 'kWh', 'MJ', 'kcal', 'food_day', 'year'"
            ) from None
    if like is not None:
        wanted = ureg.Unit(like)
        if result.dimensionality != wanted.dimensionality:
            raise ValueError(f"{argument}={value!r} is {dimension_words(result)}, but it must be {dimension_words(wanted)} (for example {like})")
    return result


N_ = str  # marks a message for the catalogue: course_lib._answers shows it in the course language
_DIMENSION_WORDS = {
    "[length] ** 2 * [mass] / [time] ** 2": N_("an energy"),
    "[length] ** 2 * [mass] / [time] ** 3": N_("a power"),
    "[mass]": N_("a mass"),
    "[length] ** 3": N_("a volume"),
    "[length] ** 2": N_("an area"),
    "[length]": N_("a length"),
    "[time]": N_("a time"),
    "[mass] / [time]": N_("a mass per time (a mass flow)"),
    "[length] ** 3 / [time]": N_("a volume per time"),
    "1 / [time]": N_("a rate (per time)"),
    "[length] ** 2 / [time] ** 2": N_("an energy per mass"),
    "[currency]": N_("an amount of money"),
}


def dimension_words(value: pint.Unit | pint.Quantity) -> str:
    """What kind of quantity ``value`` is, in words: ``'an energy'``, ``'a mass'``, ..."""
    dims = value.dimensionality
    if not dims:
        return N_("a pure number (no unit)")
    for name, words in _DIMENSION_WORDS.items():
        try:
            if dims == ureg.get_dimensionality(name):
                return words
        except (pint.errors.PintError, KeyError, ValueError):
            continue
    unit_text = formats.unit(value)
    return f"a quantity measured in {unit_text}"




def quantity(value: Any, argument: str, unit_: str, *, minimum: float | None = None, maximum: float | None = None,
             inclusive: bool = True) -> pint.Quantity:
    """``value`` as a pint Quantity in ``unit_``: a number is read in ``unit_``; a quantity in any
    compatible unit is converted. Bounds apply in ``unit_``.

    >>> quantity(Q_(500, "kg"), "stock", "t")
    <Quantity(0.5, 'metric_ton')>
    """
    return Q_(magnitude(value, argument, unit_, minimum=minimum, maximum=maximum, inclusive=inclusive), unit_)


def _same_dimension(value: pint.Quantity, argument: str, unit_: str) -> pint.Unit:
    """``unit_`` as a Unit, after checking that ``value`` can be converted to it."""
    target = ureg.Unit(unit_)
    if value.dimensionality != target.dimensionality:
        example = f" (for example in {formats.unit(target)})" if formats.unit(target) else ""
        raise ValueError(f"{argument}={formats.quantity(value)} is {dimension_words(value)}, "
                         f"but it must be {dimension_words(target)}{example}")
    return target


def magnitude(value: Any, argument: str, unit_: str, *, minimum: float | None = None, maximum: float | None = None,
              inclusive: bool = True) -> float:
    """Like :func:`quantity` but returns the float in ``unit_``."""
    if isinstance(value, pint.Quantity):
        target = _same_dimension(value, argument, unit_)
        if np.ndim(value.magnitude) != 0:
            raise TypeError(f"{argument} must be one quantity, got an array of {np.size(value.magnitude)}")
        converted = float(value.to(target).magnitude)
        try:
            return number(converted, argument, minimum=minimum, maximum=maximum, inclusive=inclusive, unit=unit_)
        except ValueError:
            raise ValueError(
                f"{argument}={formats.quantity(value)} is not allowed: give {_bounds_text(minimum, maximum, inclusive)} {formats.unit(target)}"
                if math.isfinite(converted) else f"{argument}={formats.quantity(value)} is not a finite number"
            ) from None
    return number(value, argument, minimum=minimum, maximum=maximum, inclusive=inclusive, unit=formats.unit(unit_))


def choice(value: Any, argument: str, allowed: Sequence[str]) -> str:
    """``value`` if it is one of ``allowed``; otherwise an error listing them (with a "did you mean").

    >>> choice("fixed amout", "policy", ("fixed amount", "income only"))
    Traceback (most recent call last):
    ...
    ValueError: policy='fixed amout' is not allowed (did you mean 'fixed amount'?); choose one of: 'fixed amount', 'income only'
    """
    listing = ", ".join(repr(a) for a in allowed)
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be one of {listing} (text), got {value!r} of type {_kind(value)}")
    if value not in allowed:
        raise ValueError(f"{argument}={value!r} is not allowed{suggest(value, allowed)}; choose one of: {listing}")
    return value


def names(value: Any, argument: str, allowed: Sequence[str] | None = None, *, allow_empty: bool = True) -> tuple[str, ...]:
    """A list (or tuple, set, ...) of names as a tuple; a bare string is refused, not split into letters.

    >>> names(["gyprok"], "partners", ["gyproc", "statoil"])
    Traceback (most recent call last):
    ...
    ValueError: partners contains 'gyprok', which is not allowed (did you mean 'gyproc'?); allowed: 'gyproc', 'statoil'
    """
    if isinstance(value, str):
        raise TypeError(f"{argument} must be a list of names such as [{value!r}], not the single string {value!r}")
    if isinstance(value, (dict, pd.DataFrame)) or not isinstance(value, Iterable):
        raise TypeError(f"{argument} must be a list of names, got {value!r} of type {_kind(value)}")
    result = tuple(value)
    for item in result:
        if not isinstance(item, str):
            raise TypeError(f"{argument} must contain names (text), got {item!r} of type {_kind(item)}")
        if allowed is not None and item not in allowed:
            listing = ", ".join(repr(a) for a in allowed)
            raise ValueError(f"{argument} contains {item!r}, which is not allowed{suggest(item, allowed)}; allowed: {listing}")
    if not result and not allow_empty:
        raise ValueError(f"{argument} must name at least one item, got an empty list")
    return result


def numbers_list(value: Any, argument: str, *, minimum: float | None = None, maximum: float | None = None) -> tuple[float, ...]:
    """A list of numbers as a tuple of floats; a single number or text is refused.

    >>> numbers_list(0.5, "shares")
    Traceback (most recent call last):
    ...
    TypeError: shares must be a list of numbers such as [0.5], not a single number
    """
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        raise TypeError(f"{argument} must be a list of numbers such as [{value!r}], not a single number")
    if isinstance(value, (str, dict)) or not isinstance(value, Iterable):
        raise TypeError(f"{argument} must be a list of numbers, got {value!r} of type {_kind(value)}")
    return tuple(number(v, f"{argument}[{i}]", minimum=minimum, maximum=maximum) for i, v in enumerate(value))


def frame(value: Any, argument: str, columns: Iterable[str] = ()) -> pd.DataFrame:
    """``value`` if it is a DataFrame holding every one of ``columns``.

    >>> frame(pd.DataFrame({"a": [1]}), "table", ["a", "b"])
    Traceback (most recent call last):
    ...
    ValueError: table lacks the column 'b'; it has: 'a'
    """
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"{argument} must be a table (a pandas DataFrame), got {_kind(value)}")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        have = ", ".join(repr(c) for c in value.columns)
        plural = "columns" if len(missing) > 1 else "column"
        raise ValueError(f"{argument} lacks the {plural} {', '.join(repr(m) for m in missing)}; it has: {have}")
    return value


def text(value: Any, argument: str, *, allow_empty: bool = False) -> str:
    """``value`` if it is text (and, unless ``allow_empty``, not blank)."""
    if not isinstance(value, str):
        raise TypeError(f"{argument} must be text, got {value!r} of type {_kind(value)}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{argument} must not be empty")
    return value


def flag(value: Any, argument: str) -> bool:
    """``value`` if it is True or False (not 1, not "yes").

    >>> flag("yes", "include_former")
    Traceback (most recent call last):
    ...
    TypeError: include_former must be True or False, got 'yes' of type str
    """
    if not isinstance(value, bool):
        raise TypeError(f"{argument} must be True or False, got {value!r} of type {type(value).__name__}")
    return value


def file_path(value: Any, argument: str) -> Path:
    """``value`` (a str or Path) as a Path to a file that exists.

    >>> file_path("no/such/file.csv", "partners_path")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    FileNotFoundError: partners_path='no/such/file.csv': no such file (working folder: ...)
    """
    if not isinstance(value, (str, Path)):
        raise TypeError(f"{argument} must be a file path (str or Path), got {value!r} of type {type(value).__name__}")
    path = Path(value)
    if not path.is_file():
        raise FileNotFoundError(f"{argument}={str(value)!r}: no such file (working folder: {Path.cwd()})")
    return path


def folder(value: Any, argument: str) -> Path:
    """``value`` (a str or Path) as a Path to a folder that exists.

    >>> folder("no/such/folder", "folder")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: folder='no/such/folder' is not a folder (working folder: ...)
    """
    if not isinstance(value, (str, Path)):
        raise TypeError(f"{argument} must be a folder path (text), got {value!r} of type {type(value).__name__}")
    path = Path(value)
    if not path.is_dir():
        raise ValueError(f"{argument}={str(value)!r} is not a folder (working folder: {Path.cwd()})")
    return path
