"""The seed article's passages that the tests quote (``tests/seed_passages.toml``), and the article.

The article cannot be copied into the project: the tests compare the datasets with the passages
committed beside this file, each pinned by its SHA-256, and ``tests/test_seed_passages.py`` checks
the passages against the article wherever the article sits beside the repository
(``../shared/seed/``). So the tests run the same everywhere, article or not.

>>> steps = quoted("lean.five_steps")
>>> len(steps), steps[0]
(5, 'Specify the value of your product or service, as defined by your customers.')
"""

from __future__ import annotations

import functools
import hashlib
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The article, where developers and CI keep it: next to the repository, never in it.
ARTICLE = ROOT.parent / "shared" / "seed" / "000_1099a366e88e0620.txt"
PASSAGES = Path(__file__).with_name("seed_passages.toml")
#: The uses a passage may name, one per test that quotes the article.
USES = ("lean.five_steps", "zeri.evidence", "symbiosis.evidence", "symbiosis.section_b", "symbiosis.figure_4_labels")


@dataclass(frozen=True)
class Passage:
    """One passage as printed in the article, the SHA-256 of its UTF-8 text, and who quotes it."""

    text: str
    sha256: str
    used_by: tuple[str, ...]

    def hash_matches(self) -> bool:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest() == self.sha256


@functools.cache
def passages() -> tuple[Passage, ...]:
    """Every committed passage, in the article's order."""
    table = tomllib.loads(PASSAGES.read_text(encoding="utf-8"))
    return tuple(Passage(p["text"], p["sha256"], tuple(p["used_by"])) for p in table["passage"])


def quoted(use: str) -> list[str]:
    """The texts of the passages that ``use`` (one of :data:`USES`) compares with."""
    if use not in USES:
        raise ValueError(f"use must be one of {USES}, got {use!r}")
    return [p.text for p in passages() if use in p.used_by]


def normalised(text: str) -> str:
    """``text`` with every run of spaces, tabs and line breaks made one space."""
    return " ".join(text.split())


def article() -> str | None:
    """The whole article where it sits beside the repository, else None."""
    return ARTICLE.read_text(encoding="utf-8") if ARTICLE.is_file() else None
