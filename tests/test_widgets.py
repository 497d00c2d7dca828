"""course_lib.widgets: explorers redraw on every control change, and every topic's explorer works."""

import json

import ipywidgets as w
import pytest

from course_lib import _topics, widgets


def test_an_explorer_recomputes_when_a_control_changes():
    calls = []

    def update(n, label):
        calls.append((n, label))
        return f"{label}: {n * n}"

    box = widgets.Explorer({"n": w.IntSlider(value=2, min=0, max=9), "label": w.Dropdown(options=["sq", "square"])}, update)
    assert box.result == "sq: 4" and box.values() == {"n": 2, "label": "sq"}
    box.controls["n"].value = 7
    box.controls["label"].value = "square"
    assert box.result == "square: 49"
    assert calls == [(2, "sq"), (7, "sq"), (7, "square")]
    assert box.last_update_seconds >= 0


def test_explorer_arguments_are_checked():
    with pytest.raises(TypeError, match="controls must be a non-empty dict"):
        widgets.Explorer({}, lambda: None)
    with pytest.raises(TypeError, match=r"controls\['n'\] must be an ipywidgets control"):
        widgets.Explorer({"n": 3}, lambda n: n)
    with pytest.raises(TypeError, match="update must be callable"):
        widgets.Explorer({"n": w.IntSlider()}, "not a function")


def _other_value(control):
    """A valid value different from the current one, for any common control."""
    if isinstance(control, w.Checkbox):
        return not control.value
    if hasattr(control, "options") and control.options:
        values = [o[1] if isinstance(o, tuple) else o for o in control.options]
        return next((v for v in values if v != control.value), control.value)
    if hasattr(control, "min") and hasattr(control, "max"):
        if isinstance(control.value, tuple):
            return (control.min, control.max)
        return control.max if control.value != control.max else control.min
    return control.value


def _fingerprint(result) -> str:
    """What an explorer shows, as text: a chart's spec, a table's values, a sentence."""
    if hasattr(result, "to_dict"):
        try:
            return json.dumps(result.to_dict(validate=False), sort_keys=True, default=str)
        except TypeError:
            return json.dumps(result.to_dict(), sort_keys=True, default=str)
    return repr(result)


def test_every_topic_with_an_explorers_module_registers_explorers():
    topics = {name.split(".")[0] for name in widgets.all_explorers()}
    assert topics == set(_topics.topics("explorers"))
    assert {"start", "energy", "capital", "lean", "circular", "zeri", "symbiosis"} <= topics


@pytest.mark.parametrize("name", sorted(widgets.all_explorers()))
def test_every_course_explorer_builds_and_every_control_changes_what_it_shows(name):
    box = widgets.all_explorers()[name]()
    assert isinstance(box, widgets.Explorer)
    shown = _fingerprint(box.result)
    assert shown not in ("None", "''"), f"{name}: no initial output"
    silent = []
    for control_name, control in box.controls.items():
        new_value = _other_value(control)
        if new_value == control.value:
            continue  # a free-text control: nothing else to choose
        control.value = new_value
        now = _fingerprint(box.result)
        if now == shown:
            silent.append(control_name)
        shown = now
    # A control may matter only together with another (leasing changes nothing until collected
    # products are reused or recycled): with one other control moved, it must change the output.
    for control_name in silent:
        changes = False
        for other in (n for n in box.controls if n != control_name):
            fresh = widgets.all_explorers()[name]()
            fresh.controls[other].value = _other_value(fresh.controls[other])
            before = _fingerprint(fresh.result)
            fresh.controls[control_name].value = _other_value(fresh.controls[control_name])
            if _fingerprint(fresh.result) != before:
                changes = True
                break
        assert changes, f"{name}: control {control_name!r} never changes the output"


def test_a_saved_explorer_tells_a_reader_without_a_kernel_what_it_is():
    box = widgets.Explorer({"n": w.IntSlider(value=1)}, lambda n: n, title="Squares")
    assert repr(box) == "[Squares: controls n. Run this cell in a live kernel to use them.]"
