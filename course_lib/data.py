"""Load the course's datasets together with where their figures come from.

Every figure the course uses lives in a CSV under ``datasets/``; ``datasets/datapackage.json``
(a Frictionless Data Package) describes each file: title, description, fields with units, licence
and sources. Every row also carries its own ``basis`` (``seed``, ``literature`` or ``assumption``)
and ``source`` (the article's section or table, a citation, or the reasoning behind an assumption).

In the spirit of seaborn's ``load_dataset`` and scikit-learn's loaders, one call gives the data
and its description:

>>> from course_lib import data
>>> print(data.cite("energy_table"))  # doctest: +ELLIPSIS
Table 1: energy used by selected human activities and products (de Rosnay, 1975). ...

The data ship inside the package (``course_lib/datasets`` in an installed wheel; the repository's
top-level ``datasets/`` folder in a checkout, mapped to the same package name), found with
:mod:`importlib.resources`. Instructors who adapt the data can point the course at their own copy
of the folder with the environment variable ``COURSE_DATA_DIR``; everything derived from the data
is cached *per folder* (:func:`cached`), so switching folders switches every default with it.
"""

from __future__ import annotations

import copy
import functools
import importlib.resources
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pandas as pd

from .i18n import _

__all__ = ["load", "datasets", "cite", "describe", "data_dir", "cached", "parameters", "BASES", "PARAMETER_FIELDS"]

_T = TypeVar("_T")

#: The allowed values of every dataset's ``basis`` column.
BASES = ("seed", "literature", "assumption")

_COURSE = "Sustainable Production and Consumption: an interactive Jupyter course (2026)"

# Frictionless field types -> pandas dtypes. Dates stay strings: the course has none yet.
_DTYPES = {"string": "string", "integer": "Int64", "number": "float64", "boolean": "boolean"}


@functools.lru_cache(maxsize=1)
def _shipped() -> Path:
    """The datasets shipped with the package: ``course_lib.datasets`` as an importable resource.

    A wheel holds them in ``course_lib/datasets``; an editable install maps that name to the
    repository's ``datasets/`` folder (``package-dir`` in ``pyproject.toml``). When course_lib is
    imported straight from a checkout that was never installed, the folder beside it is used.
    """
    try:
        folder = Path(str(importlib.resources.files("course_lib.datasets")))
    except ModuleNotFoundError:
        folder = Path(__file__).resolve().parent / "datasets"
    if not (folder / "datapackage.json").is_file():
        folder = Path(__file__).resolve().parent.parent / "datasets"
    return folder


def data_dir() -> Path:
    """The folder holding the CSV files and ``datapackage.json``.

    ``COURSE_DATA_DIR`` wins when set, so an instructor can swap in adapted data without
    touching the package; otherwise the datasets shipped inside the package.
    """
    return _checked_folder(os.environ.get("COURSE_DATA_DIR") or None)


@functools.lru_cache(maxsize=16)
def _checked_folder(override: str | None) -> Path:
    # Asked on every call of a cached function (the folder is part of its key): the folder is looked
    # at once per value of COURSE_DATA_DIR, not once per call (a failed look is not remembered).
    folder = Path(override) if override else _shipped()
    if not (folder / "datapackage.json").is_file():
        raise FileNotFoundError(
            f"no datapackage.json in {folder}; set COURSE_DATA_DIR to a folder that has one "
            "or reinstall the course with `pip install -r requirements.txt`"
        )
    return folder


def cached(function: Callable[..., _T]) -> Callable[..., _T]:
    """Cache ``function``'s results per data folder: a decorator for anything computed from the data.

    A plain ``functools.lru_cache`` would keep the first folder's figures after an instructor
    points ``COURSE_DATA_DIR`` elsewhere; here the active folder is part of every cache key.
    Arguments must be hashable. ``function.cache_clear()`` empties the cache.

    >>> calls = []
    >>> @cached
    ... def rows(name):
    ...     calls.append(name)
    ...     return len(load(name))
    >>> rows("energy_units"), rows("energy_units"), len(calls)
    (3, 3, 1)
    """
    @functools.lru_cache(maxsize=64)
    def keyed(folder: str, *args: Any, **kwargs: Any) -> _T:
        return function(*args, **kwargs)

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> _T:
        return keyed(str(data_dir()), *args, **kwargs)

    wrapper.cache_clear = keyed.cache_clear  # type: ignore[attr-defined]
    return wrapper


@functools.lru_cache(maxsize=4)
def _package(folder: str) -> dict:
    with open(Path(folder) / "datapackage.json", encoding="utf-8") as fh:
        return json.load(fh)


def _resources() -> dict[str, dict]:
    package = _package(str(data_dir()))
    return {resource["name"]: resource for resource in package["resources"]}


def _resource(name) -> dict:
    if not isinstance(name, str):
        raise TypeError(f"name must be a dataset name (str), got {name!r} of type {type(name).__name__}")
    resources = _resources()
    if name not in resources:
        known = ", ".join(sorted(resources))
        raise ValueError(f"name={name!r} is not a course dataset; known datasets: {known}")
    return resources[name]


@functools.lru_cache(maxsize=64)
def _read(folder: str, name: str) -> pd.DataFrame:
    resource = _package(folder)["resources"]
    resource = next(r for r in resource if r["name"] == name)
    fields = resource["schema"]["fields"]
    dtypes = {f["name"]: _DTYPES[f.get("type", "string")] for f in fields if f.get("type", "string") in _DTYPES}
    frame = pd.read_csv(Path(folder) / resource["path"], dtype=dtypes, keep_default_na=False, na_values=[""])
    for field in fields:
        if field.get("type") == "string":
            # Empty text cells mean "not printed": keep them as <NA>, not the string "nan".
            frame[field["name"]] = frame[field["name"]].astype("string")
    frame.attrs = _metadata(resource)
    return frame


def _metadata(resource: dict) -> dict:
    fields = resource["schema"]["fields"]
    return {
        "name": resource["name"],
        "title": resource.get("title", resource["name"]),
        "description": resource.get("description", ""),
        "sources": copy.deepcopy(resource.get("sources", [])),
        "licenses": copy.deepcopy(resource.get("licenses", _package(str(data_dir())).get("licenses", []))),
        "units": {f["name"]: f["unit"] for f in fields if f.get("unit")},
        "fields": {f["name"]: f.get("description", "") for f in fields},
        "path": resource["path"],
        "citation": _citation(resource),
    }


def load(name: str) -> pd.DataFrame:
    """Return dataset ``name`` as a DataFrame whose ``attrs`` carry its metadata.

    ``df.attrs`` holds ``title``, ``description``, ``sources``, ``licenses``, ``units`` (column ->
    unit), ``fields`` (column -> description), ``path`` and a ready-made ``citation``. The frame
    is a fresh copy each time: change it freely.

    >>> load("energy_units").attrs["units"]["value"]
    'see value_unit'
    """
    resource = _resource(name)
    frame = _read(str(data_dir()), resource["name"]).copy(deep=True)
    frame.attrs = copy.deepcopy(frame.attrs)
    return frame


def datasets() -> pd.DataFrame:
    """List the course's datasets: name, title, one-line description and number of rows.

    >>> "energy_table" in datasets()["name"].tolist()
    True
    """
    rows = []
    for name, resource in sorted(_resources().items()):
        description = resource.get("description", "").strip().split("\n")[0]
        rows.append({"name": name, "title": resource.get("title", name), "description": description})
    return pd.DataFrame(rows, columns=["name", "title", "description"])


def describe(name: str) -> pd.DataFrame:
    """The fields of dataset ``name``: type, unit and meaning, one row per column."""
    fields = _resource(name)["schema"]["fields"]
    return pd.DataFrame(
        [
            {
                "field": f["name"],
                "type": f.get("type", "string"),
                "unit": f.get("unit", ""),
                "description": f.get("description", ""),
            }
            for f in fields
        ]
    )


def _citation(resource: dict) -> str:
    sources = "; ".join(s["title"].rstrip(".") for s in resource.get("sources", []))
    return _("{title}. Dataset '{name}' (datasets/{path}) in: {course}. Sources: {sources}.").format(
        title=resource.get("title", resource["name"]), name=resource["name"], path=resource["path"],
        course=_COURSE, sources=sources)


def cite(name: str) -> str:
    """A citation for dataset ``name`` that a student can paste into a report.

    It names the dataset, the course and every source listed for it; cite the original sources
    too when you use a figure.
    """
    return _citation(_resource(name))


#: The columns every slider-parameter table starts with (``"parameterTable": true`` in
#: ``datapackage.json``): one layout for every topic's model parameters.
PARAMETER_FIELDS = ("name", "label", "value", "unit", "low", "high", "step", "minimum", "maximum", "exclusive")


def parameters(name: str) -> pd.DataFrame:
    """A parameter table (``"parameterTable": true``), indexed by parameter ``name``.

    Columns: ``label`` (plain words), ``value`` (the default), ``unit``, ``low``/``high`` (slider
    and plausible range), ``step`` (slider step), ``minimum``/``maximum`` (what the model
    accepts; ``exclusive`` names those refused themselves), then any topic columns and
    ``basis``/``source``. Missing bounds are NaN. :mod:`course_lib.params` reads them for the models.

    >>> float(parameters("capital_model_defaults").loc["capacity", "high"])
    5000.0
    """
    resource = _resource(name)
    if resource.get("parameterTable") is not True:
        tables = ", ".join(sorted(n for n, r in _resources().items() if r.get("parameterTable") is True))
        raise ValueError(f"name={name!r} is not a parameter table; parameter tables: {tables}")
    frame = load(name)
    for column in ("value", "low", "high", "step", "minimum", "maximum"):
        frame[column] = frame[column].astype("float64")
    return frame.set_index("name")
