"""Where the notebooks are, where builds go, and small readers of notebook cells.

Nothing here assumes the repository's layout beyond one fallback: the notebooks are the folder
given, else ``notebooks/`` under the current folder, else (when ``course_lib`` runs from a
checkout) the checkout's ``notebooks/``. Builds go under ``build/`` in the current folder.

>>> import nbformat
>>> cell = nbformat.v4.new_code_cell("1", metadata={"tags": ["exercise"], "slideshow": {"slide_type": "slide"}})
>>> sorted(tags(cell)), slide_type(cell)
(['exercise'], 'slide')
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import nbformat

from course_lib.i18n import STORE as LANGUAGE_FILE  # the language of a folder of notebooks: it goes with them

__all__ = [
    "VEGALITE_MIME", "WIDGET_VIEW_MIME", "WIDGET_STATE_MIME", "checkout", "notebook_dir", "build_dir",
    "discover", "notebook_paths", "read", "tags", "slide_type", "out_dir", "safe_out", "copy_support_files",
]

VEGALITE_MIME = "application/vnd.vegalite.v5+json"
WIDGET_VIEW_MIME = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE_MIME = "application/vnd.jupyter.widget-state+json"

# Beside the notebooks but not part of what a build copies: the instructors' outline, caches, the
# translations' catalogues (and, found by their contents, the translated notebooks' folders).
_NOT_COPIED = {"README.md", "__pycache__", "locale"}


def checkout() -> Path | None:
    """The repository folder when ``course_lib`` runs from a checkout (editable install), else None."""
    folder = Path(__file__).resolve().parents[2]
    return folder if (folder / "pyproject.toml").is_file() and (folder / "notebooks").is_dir() else None


def notebook_dir() -> Path:
    """``notebooks/`` in the current folder if there is one, else the checkout's ``notebooks/``."""
    here = Path.cwd() / "notebooks"
    repository = checkout()
    if here.is_dir() or repository is None:
        return here
    return repository / "notebooks"


def build_dir() -> Path:
    """Where builds go by default: ``build/`` in the current folder."""
    return Path.cwd() / "build"


def discover(folder: str | Path | None = None) -> list[Path]:
    """Every ``*.ipynb`` directly in ``folder`` (default :func:`notebook_dir`), sorted by name.

    Checkpoint copies (``.ipynb_checkpoints``) are not included: only the folder's own files.
    """
    if folder is None:
        folder = notebook_dir()
    if not isinstance(folder, (str, Path)):
        raise TypeError(f"folder must be a path, got {type(folder).__name__}")
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder={str(folder)!r} is not a directory; give the folder holding the notebooks")
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file())


def notebook_paths(notebooks: str | Path | Iterable[str | Path] | None) -> list[Path]:
    """The notebooks a build works on: None (every notebook of :func:`notebook_dir`), a folder
    (every notebook in it), or paths of ``.ipynb`` files."""
    if notebooks is None:
        return discover()
    if isinstance(notebooks, (str, Path)):
        if Path(notebooks).is_dir():
            return discover(notebooks)
        notebooks = [notebooks]
    if not isinstance(notebooks, Iterable):
        raise TypeError(f"notebooks must be paths to .ipynb files or a folder, got {type(notebooks).__name__}")
    paths = []
    for item in notebooks:
        if not isinstance(item, (str, Path)):
            raise TypeError(f"notebooks must be paths to .ipynb files, got {type(item).__name__}: {item!r}")
        path = Path(item)
        if path.is_dir():
            paths += discover(path)
            continue
        if path.suffix != ".ipynb" or not path.is_file():
            raise ValueError(f"notebook {str(path)!r} is not an existing .ipynb file")
        paths.append(path)
    return paths


def read(path: Path) -> nbformat.NotebookNode:
    """The notebook at ``path``, as nbformat 4."""
    return nbformat.read(path, as_version=4)


def tags(cell: Any) -> set[str]:
    """The tags of a cell."""
    return set(cell.get("metadata", {}).get("tags", []))


def slide_type(cell: Any) -> str:
    """``metadata.slideshow.slide_type`` of a cell; ``"-"`` (continue) when not set."""
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") or "-"


def out_dir(out: str | Path | None, default: Path) -> Path:
    """``out`` as a path (``default`` when None)."""
    if out is None:
        return default
    if not isinstance(out, (str, Path)):
        raise TypeError(f"out must be a folder path, got {type(out).__name__}")
    return Path(out)


def safe_out(out: Path, paths: list[Path]) -> Path:
    """Refuse output folders where a build would overwrite or delete the notebooks themselves:
    a folder holding them, or any folder above one (the course's own folder, the home folder)."""
    target = out.resolve()
    for source in {p.parent.resolve() for p in paths}:
        if target == source or target in source.parents:
            raise ValueError(
                f"out={str(out)!r} would overwrite the course's own files; choose a new folder, e.g. build/..."
            )
    return out


def copy_support_files(paths: list[Path], out: Path) -> list[Path]:
    """Copy what sits beside the notebooks (data templates, images) into ``out``, same layout.

    Notebooks may open files relative to their folder (e.g. ``park_template/exchanges.csv``), so
    a student folder or a site without them would break. Not copied: notebooks, hidden entries
    (``.ipynb_checkpoints``), ``__pycache__`` and the instructors' ``README.md``.
    """
    copied = []
    for folder in sorted({p.parent.resolve() for p in paths}):
        for item in sorted(folder.iterdir()):
            if item.suffix == ".ipynb" or item.name in _NOT_COPIED or (item.name.startswith(".") and item.name != LANGUAGE_FILE):
                continue
            if item.is_dir() and (any(item.glob("*.ipynb")) or item.resolve() == out.resolve()):
                continue  # the course in another language: built on its own (and not into itself)
            target = out / item.name
            if item.is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(".*", "__pycache__"))
            else:
                shutil.copy2(item, target)
            copied.append(target)
    return copied
