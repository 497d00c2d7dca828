"""course_lib._speedups: the two changes to third-party behaviour, each version-guarded and tested.

Each test runs in a fresh interpreter so that what was imported before cannot hide the effect.
"""

import json
import subprocess
import sys

import pytest

from course_lib import _speedups

pytestmark = pytest.mark.slow  # a fresh Python per test


def _run(code: str, **env: str) -> dict:
    import os

    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                            env={**os.environ, **env})
    return json.loads(result.stdout.strip().splitlines()[-1])


IRI = """
import json, sys
import course_lib
deferred = type(sys.modules.get("rfc3987_syntax")).__name__ == "module" and "is_valid_syntax" in vars(sys.modules.get("rfc3987_syntax", object))
import altair
before = "Lark" in repr(vars(sys.modules["rfc3987_syntax"]).get("RFC3987_SYNTAX_PARSER", None)) if "rfc3987_syntax" in sys.modules else None
import rfc3987_syntax
ok = bool(rfc3987_syntax.is_valid_syntax("iri", "https://example.org/a"))
bad = bool(rfc3987_syntax.is_valid_syntax("iri", "not an iri"))
print(json.dumps({"deferred": deferred, "built_before_use": before, "valid": ok, "invalid": bad}))
"""


def test_the_iri_parser_is_built_on_first_use_and_still_validates():
    out = _run(IRI)
    assert out == {"deferred": True, "built_before_use": False, "valid": True, "invalid": False}


def test_switching_the_speedups_off_leaves_the_libraries_untouched():
    out = _run(IRI, COURSE_NO_SPEEDUPS="1")
    assert out["deferred"] is False and out["valid"] is True and out["invalid"] is False


TABLE = """
import json
import course_lib.charts
import altair as alt, pandas as pd
from altair.utils import schemapi
chart = alt.Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_line().encode(x="x:Q", y="y:Q", color="x:N")
print(json.dumps({"shared": bool(getattr(schemapi._FromDict, "_course_shared", False)), "spec": chart.to_dict()}))
"""


def test_altair_class_table_is_shared_and_charts_come_out_the_same():
    fast = _run(TABLE)
    plain = _run(TABLE, COURSE_NO_SPEEDUPS="1")
    assert fast["shared"] is True and plain["shared"] is False
    assert fast["spec"] == plain["spec"]


def test_an_untested_version_is_left_alone(monkeypatch):
    monkeypatch.setitem(_speedups.TESTED_WITH, "share_altair_class_table", {"altair": ("0.0.1",)})
    assert _speedups._allowed("share_altair_class_table") is False
    monkeypatch.setitem(_speedups.TESTED_WITH, "share_altair_class_table", {"no-such-distribution": ("1",)})
    assert _speedups._allowed("share_altair_class_table") is False


@pytest.mark.parametrize("name", sorted(_speedups.TESTED_WITH))
def test_each_speedup_names_the_exact_versions_it_was_tested_with(name):
    versions = _speedups.TESTED_WITH[name]
    assert versions and all(v and all(part.isdigit() for part in v[0].split(".")) for v in versions.values())
