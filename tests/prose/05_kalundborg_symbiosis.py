"""Figures of notebook 05's prose that course_lib computes, and the few numbers that need no source."""

from course_lib import symbiosis
from course_lib.symbiosis import questions
from course_lib.units import Q_


def _figure(oid: str) -> float:
    return float(symbiosis.outcomes().set_index("id").loc[oid, "value"])


FIGURES = {
    "partners in the park (network chart description)": lambda: len(symbiosis.kalundborg().partners),
    "exchanges in the park (network chart description)": lambda: len(symbiosis.kalundborg().exchanges),
    "exchanges without a printed quantity (network chart description)":
        lambda: int(symbiosis.kalundborg().exchanges["value"].isna().sum()),
    "worked example before exercise 4: difference of the two water cuts, in percentage points":
        lambda: _figure("asnaes_water_cut") - _figure("water_cut"),
    "worked example before exercise 4: ratio of the two water cuts":
        lambda: _figure("asnaes_water_cut") / _figure("water_cut"),
    "worked example before exercise 4: how much larger Asnæs's cut is, in percent":
        lambda: (_figure("asnaes_water_cut") / _figure("water_cut") - 1) * 100,
    "worked example before exercise 6: kg of SO2 avoided per tonne of oil saved":
        lambda: _figure("so2_avoided") * 1000 / _figure("oil_saved"),
    "worked example before exercise 6: sulphur in the oil no longer burnt, percent of its mass":
        lambda: _figure("so2_avoided") / _figure("oil_saved") / questions.SO2_PER_SULPHUR * 100,
    "atomic weight of sulphur, g/mol (IUPAC conventional value)": lambda: questions.SULPHUR,
    "molar mass of SO2, g/mol (from the IUPAC conventional values)": lambda: questions.SULPHUR + 2 * questions.OXYGEN,
    "worked example before exercise 7: tonnes of combustible waste a year per household":
        lambda: _figure("combustible_waste") / _figure("combustible_waste_households"),
    "gigajoules in one megawatt-hour (exercise 7's solution)": lambda: Q_(1, "MWh").to("GJ").magnitude,
}

ALLOWED = {
    "90": "the notebook's estimated working time in minutes",
    "105": "minutes: the time the notebook's core path takes, recomputed by tests/test_lesson_timing.py from datasets/lesson_timing.csv",
    "313": "page numbers of a cited journal article (Further reading)",
    "337": "page numbers of a cited journal article (Further reading)",
    "67": "page numbers of a cited journal article (Further reading)",
    "79": "page numbers of a cited journal article (Further reading)",
    "239": "page numbers of a cited journal article (Further reading)",
    "255": "page numbers of a cited journal article (Further reading)",
}
