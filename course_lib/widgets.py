"""Interactive explorers: controls that redraw one output, built the same way in every topic.

An :class:`Explorer` is a row of controls (sliders, dropdowns, checkboxes) above one output.
Whenever a control's ``value`` changes it calls ``update(**values)`` and shows what comes back (an
Altair chart, a DataFrame, a sentence). Because the update runs on ``.value``, tests and the
benchmark can drive an explorer without a browser:

>>> import ipywidgets as w
>>> box = Explorer({"n": w.IntSlider(value=2, min=1, max=5)}, lambda n: f"{n} squared is {n * n}")
>>> box.controls["n"].value = 3
>>> box.result
'3 squared is 9'

Topics mark the functions that build explorers with :func:`explorer` (in their ``explorers``
module); such a function must work with no arguments (defaults for everything), so
:func:`all_explorers` can build each one for the benchmark and the tests.
"""

from __future__ import annotations

import html
import time
from typing import Any, Callable

import ipywidgets as w
from IPython import get_ipython
from IPython.display import Markdown, display
from IPython.utils.capture import capture_output

from . import _topics
from .i18n import _

__all__ = ["Explorer", "explorer", "all_explorers"]

_BUILDERS: dict[str, Callable[[], "Explorer"]] = {}


class Explorer(w.VBox):
    """Controls above one output, redrawn by ``update(**values)`` on every change.

    Attributes: ``controls`` (name -> widget), ``output`` (the Output widget), ``result`` (what
    ``update`` last returned) and ``last_update_seconds`` (how long that took).
    """

    def __init__(self, controls: dict[str, Any], update: Callable[..., object], *, title: str | None = None) -> None:
        if not isinstance(controls, dict) or not controls:
            raise TypeError("controls must be a non-empty dict of name -> ipywidgets control")
        for name, control in controls.items():
            if not isinstance(control, w.ValueWidget):
                raise TypeError(f"controls[{name!r}] must be an ipywidgets control with a .value, got {type(control).__name__}")
        if not callable(update):
            raise TypeError(f"update must be callable, got {type(update).__name__}")
        self.title = title or _("Interactive explorer")
        self.controls = dict(controls)
        for name, control in self.controls.items():
            _label(control, name)
        self.output = w.Output()
        self._update = update
        self.result: object = None
        self.last_update_seconds: float | None = None
        self._validated = False  # has a chart of this explorer been checked against the schema yet?
        # No colour of its own anywhere: text takes the JupyterLab theme's colours (light or dark),
        # and charts draw on their own white background (course_lib.charts), so contrast holds in both.
        header = [w.HTML(f"<b>{html.escape(title, quote=False)}</b>")] if title else []
        controls_box = w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap"))
        super().__init__(children=[*header, controls_box, self.output])
        for control in self.controls.values():
            control.observe(self._changed, names="value")
        self.refresh()

    def __repr__(self) -> str:
        # Stored as the text/plain fallback in the saved notebook: what a reader without a
        # kernel (or with an untrusted copy) sees in place of the controls.
        return _("[{title}: controls {controls}. Run this cell in a live kernel to use them.]").format(
            title=self.title, controls=", ".join(self.controls))

    def values(self) -> dict:
        """The current value of every control, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _changed(self, _change: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Recompute with the current values and redraw the output."""
        start = time.perf_counter()
        self.result = self._update(**self.values())
        self.last_update_seconds = time.perf_counter() - start
        shell = get_ipython()
        if getattr(shell, "kernel", None) is None:
            return  # no live kernel (a test, a script): .result is all there is to show
        # Capture what displaying the result would show (one or several outputs: a Panel shows a
        # sentence, a table and a chart), then replace the Output's contents in one assignment.
        # `with output: clear_output(wait=True); display(...)` was seen to stall nbclient
        # executions for a whole cell timeout.
        with capture_output(stdout=False, stderr=False) as captured:
            display(self.displayed())
        self.output.outputs = tuple(
            {"output_type": "display_data", "data": out.data, "metadata": out.metadata or {}}
            for out in captured.outputs
        )

    def displayed(self) -> object:
        """What the output shows for ``.result`` (what the benchmark times after each change).

        An Altair chart is checked against the Vega-Lite schema on the explorer's first draw only;
        later redraws send its spec unchecked. The check is about half of a redraw's display time
        (7-22 ms for the course's explorers, ``benchmarks/run.py``), and redraws change values, not
        how the chart is built; a test that calls ``.result.to_dict()`` still checks every chart.
        Anything else is shown as it is.
        """
        import altair as alt

        result = self.result
        if isinstance(result, str):
            return Markdown(result)  # a sentence, shown as text rather than as a quoted string
        if not isinstance(result, alt.TopLevelMixin):
            return result
        if not self._validated:
            self._validated = True
            return result
        return _Spec(result.to_dict(validate=False, context={"pre_transform": False}))


class _Spec:
    """A chart spec already made: displays through Altair's active renderer, as the chart would."""

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> object:
        import altair as alt

        renderer = alt.renderers.get()
        if renderer is None:
            raise RuntimeError("no Altair renderer is enabled: import course_lib.charts first")
        return renderer(self.spec)


def _label(control: Any, name: str) -> None:
    """Make sure a screen reader can name ``control``: its ``description`` (the label JupyterLab shows
    and reads), else its name in the explorer (``"growth_rate"`` -> ``"growth rate"``). A label cut
    short on screen by a narrow ``description_width`` keeps its whole text in ``tooltip``."""
    description = str(getattr(control, "description", "") or "").strip()
    if not description:
        control.description = name.replace("_", " ")
    elif not getattr(control, "tooltip", None) and len(description) > 20:
        control.tooltip = description


def explorer(builder: Callable[[], Explorer]) -> Callable[[], Explorer]:
    """Mark ``builder`` (a function returning an :class:`Explorer`) as one of the course's explorers.

    It is listed as ``"<topic>.<function>"``: ``course_lib.capital.explorers.stock_explorer``
    becomes ``"capital.stock_explorer"``.
    """
    parts = builder.__module__.split(".")
    topic = parts[1] if len(parts) > 2 else parts[-1]
    _BUILDERS[f"{topic}.{builder.__name__}"] = builder
    return builder


def all_explorers() -> dict[str, Callable[[], Explorer]]:
    """Every explorer builder of every topic, by ``"<topic>.<function>"``."""
    _topics.load("explorers")
    return dict(sorted(_BUILDERS.items()))
