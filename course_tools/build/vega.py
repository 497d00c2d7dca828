"""The offline Vega bundle: Vega, Vega-Lite and vega-embed as one local JavaScript file.

vl-convert carries these libraries for its own rendering and hands them out as one bundle, so a
page of the site draws its charts (and their sliders and menus) with no CDN and no internet.
The bundle's Vega-Lite is the version the course's charts are written for (Altair's).
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BUNDLE", "write_bundle"]

BUNDLE = "vega-bundle.js"
# What the bundle exposes to the pages' scripts (vl-convert's default snippet, written out).
_GLOBALS = "window.vegaEmbed = vegaEmbed; window.vega = vega; window.vegaLite = vegaLite;"


def write_bundle(folder: Path) -> Path:
    """Write :data:`BUNDLE` (defining ``window.vegaEmbed``) into ``folder``; returns its path."""
    import vl_convert as vlc

    from course_lib.charts import _VL_VERSION  # the Vega-Lite version Altair writes

    path = Path(folder) / BUNDLE
    path.write_text(vlc.javascript_bundle(_GLOBALS, vl_version=_VL_VERSION), encoding="utf-8")
    return path
