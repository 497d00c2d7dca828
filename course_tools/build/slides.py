"""Slides from a notebook's slide metadata (``metadata.slideshow.slide_type``), as RISE reads it.

``slide`` and ``subslide`` start a slide (the offline slides are one flat sequence), ``fragment``
appears on the next key press, ``notes`` is kept as hidden speaker notes, ``skip`` is left out,
and ``-`` continues whatever block is open. Empty code cells are left out too.

>>> import nbformat
>>> v4 = nbformat.v4
>>> cells = [v4.new_markdown_cell("# Title"), v4.new_code_cell("setup()", metadata={"slideshow": {"slide_type": "skip"}}),
...          v4.new_markdown_cell("## One", metadata={"slideshow": {"slide_type": "slide"}}),
...          v4.new_markdown_cell("More", metadata={"slideshow": {"slide_type": "fragment"}})]
>>> group(cells)
[[Block(kind='normal', cells=[0])], [Block(kind='normal', cells=[2]), Block(kind='fragment', cells=[3])]]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .sources import slide_type

__all__ = ["Block", "group", "SlideGroups"]


@dataclass
class Block:
    """Consecutive cells of one slide shown together: ``normal``, ``fragment`` or ``notes``."""

    kind: str
    cells: list[int] = field(default_factory=list)  # indices into the cells grouped


def shown(cell: Any) -> bool:
    """Whether a cell appears on a slide (not marked ``skip``, not an empty code cell)."""
    return slide_type(cell) != "skip" and not (cell.cell_type == "code" and not cell.source.strip())


def group(cells: Sequence[Any]) -> list[list[Block]]:
    """The slides made from ``cells``: each a list of blocks of cell indices (see the module)."""
    slides: list[list[Block]] = []
    for index, cell in enumerate(cells):
        if not shown(cell):
            continue
        kind = slide_type(cell)
        if kind in ("slide", "subslide") or not slides:
            slides.append([Block("normal", [index])])
        elif kind in ("fragment", "notes"):
            slides[-1].append(Block(kind, [index]))
        elif slides[-1][-1].kind == "notes":  # "-" after notes: back on the slide
            slides[-1].append(Block("normal", [index]))
        else:
            slides[-1][-1].cells.append(index)
    return slides


class SlideGroups(Preprocessor):
    """Drop the cells no slide shows and put the slides in ``resources["slides"]`` (for the template).

    Runs before the other steps, so charts are numbered as the slides show them.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        kept = [cell for cell in nb.cells if shown(cell)]
        nb.cells = kept
        resources["slides"] = group(kept)
        return nb, resources
