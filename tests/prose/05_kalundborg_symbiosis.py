"""Figures of notebook 05's prose that course_lib computes, and the few numbers that need no source."""

from course_lib import symbiosis


def _cut(oid: str) -> float:
    return float(symbiosis.outcomes().set_index("id").loc[oid, "value"])


FIGURES = {
    "partners in the park (network chart description)": lambda: len(symbiosis.kalundborg().partners),
    "exchanges in the park (network chart description)": lambda: len(symbiosis.kalundborg().exchanges),
    "exchanges without a printed quantity (network chart description)":
        lambda: int(symbiosis.kalundborg().exchanges["value"].isna().sum()),
    "exercise 5: difference of the two water cuts, in percentage points":
        lambda: _cut("asnaes_water_cut") - _cut("water_cut"),
    "exercise 5: the two water cuts wrongly added": lambda: _cut("asnaes_water_cut") + _cut("water_cut"),
    "exercise 5: ratio of the two water cuts": lambda: _cut("asnaes_water_cut") / _cut("water_cut"),
    "exercise 5: how much larger Asnæs's cut is, in percent":
        lambda: (_cut("asnaes_water_cut") / _cut("water_cut") - 1) * 100,
}

ALLOWED = {
    "90": "the notebook's estimated working time in minutes",
    "313": "page numbers of a cited journal article (Further reading)",
    "337": "page numbers of a cited journal article (Further reading)",
    "67": "page numbers of a cited journal article (Further reading)",
    "79": "page numbers of a cited journal article (Further reading)",
    "239": "page numbers of a cited journal article (Further reading)",
    "255": "page numbers of a cited journal article (Further reading)",
}
