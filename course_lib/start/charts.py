"""The set-up checks of notebook 00: what is installed, and a test chart drawn from Table 1."""

from __future__ import annotations

import platform

import altair as alt
import pandas as pd
import pint

from .. import __version__, charts, data, formats
from ..i18n import _

__all__ = ["environment", "test_chart"]


def environment() -> str:
    """The versions a student runs and the chart display in use, as two lines of text.

    ``course`` (the course's display, switched on by ``import course_lib``) means charts are stored
    in the notebook and drawn by JupyterLab itself, without internet.

    >>> import course_lib
    >>> environment().splitlines()[1]
    'Chart display: course'
    """
    return (
        f"Python {platform.python_version()}, course_lib {__version__}, pandas {pd.__version__}, "
        f"altair {alt.__version__}, pint {pint.__version__}\n"
        + _("Chart display: {renderer}").format(renderer=alt.renderers.active)
    )


def _millions(kcal: float) -> str:
    return _("{number} million").format(number=formats.number(kcal / 1e6, digits=3))


def test_chart() -> alt.Chart:
    """Bars of the energy to produce one tonne of each material of Table 1: if they show, charts work.

    The description (what a screen reader says, and what the notebook keeps as text) is written from
    the data, so it changes when the table does.

    >>> test_chart().to_dict()["description"].split(":")[1].split(",")[0]
    ' Aluminium 50 million kcal per tonne'
    """
    table = data.load("energy_table")
    materials = table[table["category"] == "material"].sort_values("value_kcal", ascending=False)
    bars = alt.Chart(materials).mark_bar().encode(
        x=alt.X("value_kcal:Q", title=_("energy to produce one tonne (kcal)")),
        y=alt.Y("label:N", sort="-x", title=None),
        tooltip=[alt.Tooltip("label:N", title=_("material")), alt.Tooltip("value_kcal:Q", format=",", title=_("kcal per tonne"))],
    )
    names = [str(label).split(" (")[0] for label in materials["label"]]
    values = [_millions(float(v)) for v in materials["value_kcal"]]
    listed = [_("{material} {value} kcal per tonne").format(material=names[0], value=values[0])] + [
        f"{n} {v}" for n, v in zip(names[1:], values[1:])]
    return charts.finish(
        bars,
        title=_("Test chart: energy to produce one tonne of {count} materials").format(count=len(materials)),
        description=_("Horizontal bars, longest first: {bars}.").format(bars=_(", ").join(listed)),
        data=table,
    )
