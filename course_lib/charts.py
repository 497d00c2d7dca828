"""The course's look for Altair charts, and the renderer that keeps them visible offline.

Importing this module (``import course_lib`` does it) does two things:

1. **Renderer.** It enables Altair's ``mimetype`` renderer. With Altair 5.5 the notebook then
   stores each chart as ``application/vnd.vegalite.v5+json``, which JupyterLab draws with its own
   built-in Vega: no internet, no CDN, no notebook trust, and the chart is still there when a saved
   notebook is reopened without running it. (Altair's default renderer loads Vega from a CDN and
   shows a blank box offline; Altair 6 emits Vega-Lite v6, which JupyterLab 4.6 cannot draw. See
   "Why Altair 5.5" in docs/architecture.md.)
2. **Theme.** It registers and enables the ``course`` theme: large type for projectors and the
   Okabe-Ito colour-blind-safe palette.

Every course chart goes through :func:`finish`, which adds a title, a source line and a text
description that screen readers announce:

>>> import altair as alt, pandas as pd
>>> bars = alt.Chart(pd.DataFrame({"x": ["a", "b"], "y": [1, 2]})).mark_bar().encode(x="x", y="y")
>>> chart = finish(bars, title="Two bars", source="made up for this example",
...                description="Bar b is twice as tall as bar a.")
>>> chart.to_dict()["title"]["subtitle"]
'Source: made up for this example'
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol, TypeVar

import altair as alt
import pandas as pd

from . import _speedups
from .i18n import _

_Chart = TypeVar("_Chart", bound=alt.TopLevelMixin)

__all__ = ["PALETTE", "THEME", "finish", "flow_bars", "source_line", "save", "check_offline", "enable", "text_alternative"]

#: Okabe & Ito (2008) colour-blind-safe palette, black last.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
THEME = "course"
# vl-convert must draw with the Vega-Lite version Altair wrote the spec for ("v5.20.1" -> "5.20").
_VL_VERSION = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
_SOURCE_LINE_CHARS = 110  # fits the default 560 px chart width at the subtitle font size
_FONT = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"
_INK = "#1b1b1b"  # text of charts: 17:1 on their white background


@alt.theme.register(THEME, enable=False)
def _course_theme() -> alt.theme.ThemeConfig:
    return {
        "config": {
            # A white card with dark text in every JupyterLab theme: the dark theme's Vega colours
            # (white text on #333) would otherwise meet the course's own dark labels and marks.
            "background": "white",
            "view": {"continuousWidth": 560, "continuousHeight": 320, "stroke": None},
            "font": _FONT,
            "title": {"fontSize": 20, "subtitleFontSize": 13, "color": _INK, "subtitleColor": "#444", "anchor": "start"},
            "axis": {"labelFontSize": 14, "titleFontSize": 15, "labelLimit": 320, "labelColor": _INK, "titleColor": _INK,
                     "domainColor": "#888", "tickColor": "#888", "gridColor": "#ddd"},
            "legend": {"labelFontSize": 14, "titleFontSize": 15, "labelLimit": 320, "labelColor": _INK, "titleColor": _INK},
            "header": {"labelFontSize": 14, "titleFontSize": 15, "labelColor": _INK, "titleColor": _INK},
            "range": {"category": list(PALETTE)},
            "bar": {"color": PALETTE[0]},
            "line": {"color": PALETTE[0], "strokeWidth": 3},
            "point": {"color": PALETTE[0], "size": 80},
            "text": {"fontSize": 14, "color": _INK},
        }
    }


def text_alternative(spec: dict) -> str:
    """What a reader without the chart gets: its title, its description and its source, as text.

    Stored as the ``text/plain`` beside every chart, so GitHub's preview, nbviewer, a terminal or a
    screen reader shows the words instead of Altair's "renderer not enabled" message.

    >>> text_alternative({"title": {"text": "Two bars", "subtitle": "Source: a test"},
    ...                   "description": "Bar b is twice as tall as bar a."})
    'Chart: Two bars. Bar b is twice as tall as bar a. Source: a test'
    """
    title = spec.get("title", "")
    subtitle: object = ""
    if isinstance(title, dict):
        subtitle = title.get("subtitle", "")
        title = title.get("text", "")
    if isinstance(title, list):
        title = " ".join(map(str, title))
    if isinstance(subtitle, list):
        subtitle = " ".join(map(str, subtitle))
    parts = [_("Chart: {title}.").format(title=title) if title else _("Chart."), str(spec.get("description", "")).strip(),
             str(subtitle).strip()]
    return " ".join(p for p in parts if p)


def _renderer(spec: dict, **metadata: Any) -> dict[str, Any] | tuple[dict[str, Any], dict[str, Any]]:
    """Altair's ``mimetype`` renderer (Vega-Lite 5, drawn by JupyterLab offline) with the chart's
    text alternative as its ``text/plain``."""
    from altair.utils.display import default_renderer_base
    from altair.vegalite.v5.display import VEGALITE_MIME_TYPE

    return default_renderer_base(spec, VEGALITE_MIME_TYPE, text_alternative(spec), **metadata)


alt.renderers.register(THEME, _renderer)


def enable() -> None:
    """Switch on the offline renderer (with text alternatives) and the course theme (done on import)."""
    alt.renderers.enable(THEME)
    alt.theme.enable(THEME)


enable()


# Altair 5.5 rebuilds its schema-to-class table on every shorthand encoding; share it (measured,
# version-guarded, tested: course_lib._speedups).
_speedups.share_altair_class_table()


def source_line(frame: pd.DataFrame) -> str:
    """The source of a dataset loaded with :func:`course_lib.data.load`, for a chart's subtitle.

    >>> from course_lib import data
    >>> source_line(data.load("energy_units")).startswith("Wong-Swanson, B. (2005)")
    True
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a DataFrame from course_lib.data.load, got {type(frame).__name__}")
    sources = frame.attrs.get("sources")
    if not sources:
        raise ValueError(
            "frame carries no sources in frame.attrs['sources']: load it with course_lib.data.load "
            "or pass source='...' to finish()"
        )
    return "; ".join(s["title"].rstrip(".") for s in sources)


def finish(chart: _Chart, *, title: str, description: str, source: str | None = None,
           data: pd.DataFrame | None = None) -> _Chart:
    """Give ``chart`` the course's title, source line and screen-reader description.

    ``source`` is the text after "Source:"; pass ``data`` (a frame from ``course_lib.data.load``)
    instead to take it from the dataset's metadata. ``description`` should say in words what the
    chart shows: it is what a screen reader announces and what a reader without the chart gets.
    """
    if not isinstance(chart, alt.TopLevelMixin):
        raise TypeError(f"chart must be an Altair chart, got {type(chart).__name__}")
    for argument, value in (("title", title), ("description", description)):
        if not isinstance(value, str) or not value.strip():
            raise ValueError(f"{argument} must be a non-empty string, got {value!r}")
    if source is None:
        if data is None:
            raise ValueError("give source='...' or data=<frame from course_lib.data.load>: every chart names its source")
        source = source_line(data)
    # Long source lines are wrapped (Vega draws a list as several lines) so none is cut off.
    lines = textwrap.wrap(_("Source: {source}").format(source=source), _SOURCE_LINE_CHARS)
    return chart.properties(
        title=alt.Title(title, subtitle=lines[0] if len(lines) == 1 else lines),
        description=description,
    )


def flow_bars(table: pd.DataFrame, names: Mapping[str, str], colours: Sequence[str], *, width: int, height: int,
              label_limit: int | None = None) -> alt.FacetChart:
    """One row of labelled bars per ``scenario`` of ``table``: its columns ``names`` (tonnes per year),
    named and coloured in that order. Pass the result through :func:`finish`.

    >>> table = pd.DataFrame({"scenario": ["sold", "leased"], "virgin_t": [2.7, 1.3]})
    >>> flow_bars(table, {"virgin_t": "virgin material"}, PALETTE[:1], width=300, height=60).to_dict()["facet"]
    {'row': {'field': 'scenario', 'header': {'labelAlign': 'left', 'labelAngle': 0, 'labelFontWeight': 'bold'}, 'sort': ['sold', 'leased'], 'title': None, 'type': 'nominal'}}
    """
    long = table.melt(id_vars="scenario", value_vars=list(names), var_name="flow", value_name="t")
    long["flow"] = long["flow"].map(names)
    long["label"] = long["t"].map(lambda t: f"{t:.3g} t/yr")
    order = list(names.values())
    y = alt.Y("flow:N", sort=order, title=None) if label_limit is None else alt.Y(
        "flow:N", sort=order, title=None, axis=alt.Axis(labelLimit=label_limit))
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("t:Q", title=_("tonnes per year"), axis=alt.Axis(tickCount=6)), y=y,
        color=alt.Color("flow:N", scale=alt.Scale(domain=order, range=list(colours)), legend=None),
        tooltip=[alt.Tooltip("scenario:N", title=_("scenario")), alt.Tooltip("flow:N", title=_("flow")),
                 alt.Tooltip("t:Q", format=".3f", title="t/year")],
    )
    text = alt.Chart(long).mark_text(align="left", dx=4).encode(x="t:Q", y=y, text="label:N")
    return alt.layer(bars, text).properties(width=width, height=height).facet(
        row=alt.Row("scenario:N", sort=table["scenario"].tolist(), title=None,
                    header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold")))


def check_offline(chart: alt.TopLevelMixin | dict) -> dict:
    """Return the chart's Vega-Lite spec after checking it needs nothing from the internet.

    ``chart`` is an Altair chart or its spec (a dict). Raises ``ValueError`` if the spec loads
    data from a URL or is not Vega-Lite 5 (the version JupyterLab draws offline), or lacks the
    title/description that :func:`finish` adds.

    >>> check_offline({"mark": "bar"})
    Traceback (most recent call last):
    ...
    ValueError: chart spec is None; JupyterLab draws Vega-Lite v5 offline: make the chart with Altair 5
    """
    if isinstance(chart, dict):
        spec = chart
    elif isinstance(chart, alt.TopLevelMixin):
        spec = chart.to_dict()
    else:
        raise TypeError(f"chart must be an Altair chart or a Vega-Lite spec (dict), got {type(chart).__name__}")
    if "/vega-lite/v5" not in spec.get("$schema", ""):
        raise ValueError(f"chart spec is {spec.get('$schema')!r}; JupyterLab draws Vega-Lite v5 offline: make the chart with Altair 5")
    text = str(spec)
    if "'url':" in text:
        raise ValueError("chart loads data from a URL; inline the data so it renders offline")
    if "title" not in spec or "description" not in spec:
        raise ValueError("chart has no title or description: pass it through course_lib.charts.finish")
    return spec


class HasSpec(Protocol):
    """Anything that gives a Vega-Lite spec: an Altair chart, or a chart read from a saved notebook."""

    def to_dict(self) -> dict: ...


def save(chart: HasSpec, path: str | Path, *, scale: float = 2.0) -> Path:
    """Write ``chart`` to ``path`` as PNG, SVG or PDF (chosen by the suffix), through vl-convert.

    Works offline: vl-convert carries its own copy of Vega. ``scale`` sharpens PNGs for slides.
    """
    import vl_convert as vlc

    path = Path(path)
    spec = chart.to_dict()
    suffix = path.suffix.lower()
    if suffix == ".png":
        payload = vlc.vegalite_to_png(spec, vl_version=_VL_VERSION, scale=scale)
    elif suffix == ".svg":
        payload = vlc.vegalite_to_svg(spec, vl_version=_VL_VERSION).encode("utf-8")
    elif suffix == ".pdf":
        payload = vlc.vegalite_to_pdf(spec, vl_version=_VL_VERSION)
    else:
        raise ValueError(f"path={str(path)!r} must end in .png, .svg or .pdf")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)
    return path
