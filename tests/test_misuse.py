"""A misused public function says what went wrong: the argument, the value and what is allowed.

One row per misuse: the call (as a student or author would write it), the error it must raise
and words the message must hold. The course promises this for every public function (a
traceback that names no argument is a dead end for a first-year student); these rows are the
examples the functions' docstrings used to carry, kept here so the docstrings stay short.
"""

from __future__ import annotations

import pandas as pd
import pytest

from course_lib import capital, checks, circular, energy, flows, lean, start, symbiosis
from course_lib.units import Q_


def _flows(**change: list[object]) -> pd.DataFrame:
    """A mill that takes 10 t of ore, sells 6 t, loses 1 t of dust and stocks 3 t."""
    frame = pd.DataFrame({"source": ["mine", "mill", "mill", "mill"],
                          "target": ["mill", "market", "environment", "mill stock"],
                          "material": ["ore", "metal", "dust", "ore"],
                          "value": [10.0, 6.0, 1.0, 3.0], "unit": ["t", "t", "t", "t"]})
    return frame.assign(**change)


def _one_flow() -> pd.DataFrame:
    return pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["m"], "value": [1.0], "unit": ["t"]})


MISUSES: list[tuple[str, object, type[Exception], str]] = [
    # (label, call, error, words the message holds)
    ("sorting answer given as one string", lambda: capital.sorting_answer("air"), TypeError,
     "items must be a list of names such as ['air'], not the single string 'air'"),
    ("static index with no use", lambda: capital.static_index(775e6, 0), ValueError, "use=0 is not allowed"),
    ("growth typed in percent", lambda: capital.exponential_index(31, 3.9), ValueError,
     "give 3.9 % a year as 0.039"),
    ("negative capacity", lambda: capital.maximum_sustainable_yield(0.5, -1000), ValueError,
     "K=-1000 is not allowed"),
    ("misspelt policy", lambda: capital.stock_path(0.5, 1000, 150, "fixed amout"), ValueError,
     "did you mean 'fixed amount'?"),
    ("years as text", lambda: capital.yearly_stock(0.5, 1000, 150, years="10"), TypeError,
     "years must be a number (in yr), got '10' (text)"),
    ("shares as one number", lambda: capital.collapse_table(0.5, 1000, shares=0.5), TypeError,
     "shares must be a list of numbers"),
    ("names given as one string", lambda: checks.names("dry matter", "views"), TypeError,
     "views must be a list of names such as ['dry matter']"),
    ("a time where a mass is asked", lambda: checks.quantity(Q_(3, "h"), "stock", "t"), ValueError,
     "stock=3 h is a time, but it must be a mass"),
    ("simulation years as text", lambda: circular.simulate("10"), TypeError, "years must be a number (in yr)"),
    ("chart of a name, not a comparison", lambda: energy.comparison_chart("aluminium"), TypeError,
     "result must be a Comparison from energy.compare(...)"),
    ("heating value kind", lambda: energy.gasoline_heating_value("net"), ValueError,
     "kind='net' is not allowed; choose one of: 'lower', 'higher'"),
    ("normalising per week", lambda: energy.normalise("week"), ValueError, "per='week' is not allowed"),
    ("power of a car", lambda: energy.power_of("car"), ValueError, "item='car' has no power"),
    ("tolerance in percent", lambda: energy.table_checks(10), ValueError, "write 10 % as 0.1"),
    ("comparator in joules", lambda: energy.comparator(unit="J"), ValueError, "did you mean 'kJ'?"),
    ("a mass among energy units", lambda: energy.unit_factors(["kcal", "kg"]), ValueError,
     "units='kg' is a mass, but it must be an energy"),
    ("aluminium for two hours", lambda: energy.energy_of("aluminium", Q_(2, "h")), ValueError,
     "'aluminium' is counted per t"),
    ("a time as an energy", lambda: energy.with_value("man_day", Q_(3, "h")), ValueError,
     "value=3 h is a time, but it must be an energy"),
    ("American spelling", lambda: energy.compare("aluminum", "car"), ValueError, "did you mean 'aluminium'?"),
    ("mass not balanced", lambda: flows.check_balance(_flows(value=[10.0, 6.0, 1.0, 2.0]), stocks=["mill stock"]),
     flows.MassBalanceError, "1,000 kg missing, 10% of inputs"),
    ("balance in a volume", lambda: flows.stage_balance(_flows(), unit="m**3"), ValueError,
     "unit='m**3' is a volume, but it must be a mass"),
    ("tolerance of 5", lambda: flows.check_balance(_flows(), stocks=["mill stock"], rel_tol=5), ValueError,
     "write 5 % as 0.05"),
    ("diagram aligned in the middle", lambda: flows.sankey_layout(_one_flow(), align="middle"), ValueError,
     "align='middle' is not allowed; choose one of: 'left', 'center', 'justify'"),
    ("coloured by an absent column", lambda: flows.flow_diagram(_one_flow(), title="One flow", description="a to b",
                                                                source="example", color="kind"),
     ValueError, "color='kind' is not allowed"),
    ("US tons", lambda: flows.sum_by_unit(_flows(unit=["tons", "kg", "kg", "t"])), ValueError,
     "'tons' is ambiguous"),
    ("scrap share in percent", lambda: lean.back_calculate(scrap_share=24), ValueError, "write 24 % as 0.24"),
    ("metal energy in metres", lambda: lean.metal_energy(1, "m"), ValueError, "unit='m' is a length"),
    ("value added as a mass", lambda: lean.value_added_ratio(Q_(3, "kg"), Q_(319, "day")), ValueError,
     "value_added=3 kg is a mass, but it must be a time"),
    ("energy in kilograms", lambda: start.describe_energy(3, "kg"), ValueError, "unit='kg' is a mass"),
    ("course map of a missing folder", lambda: start.course_map("no-such-folder"), ValueError,
     "folder='no-such-folder' is not a folder"),
    ("a park with no name", lambda: symbiosis.park_from_frames(symbiosis.kalundborg().partners,
                                                              symbiosis.kalundborg().exchanges, name=" "),
     ValueError, "name must not be empty"),
    ("an exchange to a partner the park lacks",
     lambda: symbiosis.add_to_park(symbiosis.kalundborg(), exchanges={"source": "novozymes", "target": "biogaz",
                                                                     "material": "residue", "value": 1, "unit": "t"}),
     symbiosis.ParkError, "the park has 1 problem"),
    ("removing a misspelt partner", lambda: symbiosis.what_if(symbiosis.kalundborg(), "asnes"), ValueError,
     "did you mean 'asnaes'?"),
]


@pytest.mark.parametrize("call, error, words", [pytest.param(c, e, w, id=label) for label, c, e, w in MISUSES])
def test_a_misused_function_names_the_argument_the_value_and_what_is_allowed(call, error, words):
    with pytest.raises(error) as caught:
        call()
    assert words in str(caught.value)
