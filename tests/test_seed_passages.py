"""The passages of the seed article that the tests quote: each intact, each the article's own text.

``tests/seed_passages.toml`` holds only the passages the tests compare the datasets with (the article
cannot be copied into the project). Each must match its SHA-256, so no passage is edited to make a
test pass; where the article sits beside the repository (developers' machines and CI), each must
also be found in it, exactly as committed.
"""

from __future__ import annotations

from tests import seed_passages as seed


def test_every_passage_matches_its_hash_and_names_a_use():
    assert seed.passages()
    for passage in seed.passages():
        assert passage.hash_matches(), f"edited passage (its SHA-256 differs): {passage.text[:80]!r}"
        assert passage.used_by and set(passage.used_by) <= set(seed.USES), passage.used_by
    assert {use for p in seed.passages() for use in p.used_by} == set(seed.USES)  # every use has passages
    assert len({p.text for p in seed.passages()}) == len(seed.passages())  # each passage once


def test_every_passage_is_the_articles_own_text_where_the_article_is():
    text = seed.article()
    if text is None:  # a clone without the article: the hashes above pin the passages
        return
    missing = [p.text[:80] for p in seed.passages() if p.text not in text]
    assert missing == [], f"passages not in {seed.ARTICLE.name}: {missing}"


def test_a_changed_passage_is_caught():
    """A control: one character changed breaks the hash, and the article does not contain it."""
    first = seed.passages()[0]
    changed = seed.Passage(first.text.replace("e", "a", 1), first.sha256, first.used_by)
    assert first.hash_matches() and not changed.hash_matches()
    text = seed.article()
    if text is not None:
        assert first.text in text and changed.text not in text
