"""The glossary: every technical term the notebooks use, defined in plain words, and up to date.

The dataset ``glossary.csv`` says where each term first appears; the notebooks are read to check
it, so a term dropped from the notebooks, or first used earlier than the dataset says, fails here.
"""

from pathlib import Path

import pytest

from course_lib import data
from course_tools.build import glossary

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def table():
    return data.load("glossary")


def test_the_glossary_covers_the_course_terms_in_plain_words(table):
    assert len(table) >= 40
    words = table["definition"].str.split().str.len()
    assert (words >= 8).all(), table.loc[words < 8, "term"].tolist()
    # The terms the course once used undefined (issue: "Terms used undefined").
    for term in ("chemical oxygen demand (COD)", "lower heating value", "volatile solids", "degree", "betweenness",
                 "orimulsion", "flow table (tidy)", "percentage point", "net present value"):
        assert term in set(table["term"]), term


def test_every_term_appears_where_the_dataset_says_it_first_does(table):
    uses = glossary.first_uses(table, NOTEBOOKS)
    assert {t: u for t, u in uses.items() if not u} == {}, "terms no notebook uses"
    stale = {t: (s, uses[t]) for t, s in zip(table["term"], table["first_used"]) if uses[t] != s}
    assert stale == {}


def test_the_glossary_page_is_generated_from_the_dataset(table):
    assert (ROOT / "notebooks" / "GLOSSARY.md").read_text(encoding="utf-8") == glossary.glossary_markdown(table)


def test_a_stale_dataset_is_refused(tmp_path, table):
    (tmp_path / "01_x.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": ["A stock of fish."]}]}')
    with pytest.raises(ValueError, match="glossary.csv is out of date with the notebooks: .*stock: dataset says '02_natural_capital'"):
        glossary.build_glossary([tmp_path / "01_x.ipynb"], tmp_path / "G.md")
