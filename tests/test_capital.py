"""course_lib.capital: the renewable stock model, the reserve indices, the long trends, the charts.

Expected figures are derived here independently: closed forms worked out by hand, an independent
Runge-Kutta integration of the same differential equation, the printed table of *The Limits to
Growth*, and a recomputation of the Gapminder aggregate from Gapminder's file (capital_gapminder).
"""

import io
import json
import math
import re
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_lib import capital, charts, data
from course_lib.capital import charts as capital_charts
from course_lib.exercises import evaluate, questions, variant
from course_lib.exercises import expected as exercise_answer
from course_lib.exercises import question as _question
from course_lib.units import Q_

ROOT = Path(__file__).resolve().parent.parent
R = st.floats(min_value=0.05, max_value=1.95)
K = st.floats(min_value=1.0, max_value=1e6)


# ---- an independent reference: Runge-Kutta on dN/dt = rN(1 - N/K) - harvest ------------------


def rk4(r, K, H, policy, N0, years, dt=0.002, fraction=None):
    """Integrate the model step by step; return (times, stocks, collapse time or None)."""
    f = H / N0 if fraction is None else fraction

    def rate(N):
        growth = r * N * (1 - N / K)
        if policy == "fixed amount":
            take = H if N > 0 else 0.0
        elif policy == "fixed fraction":
            take = f * N
        else:
            take = min(H, max(growth, 0.0))
        return growth - take

    steps = int(round(years / dt))
    times, stocks, N = [0.0], [N0], N0
    for i in range(steps):
        k1 = rate(N)
        k2 = rate(N + dt / 2 * k1)
        k3 = rate(N + dt / 2 * k2)
        k4 = rate(N + dt * k3)
        new = N + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        if new <= 0:  # collapse inside this step: interpolate the crossing
            return np.array(times), np.array(stocks), i * dt + dt * N / (N - new)
        N = new
        times.append((i + 1) * dt)
        stocks.append(N)
    return np.array(times), np.array(stocks), None


# ---- maximum sustainable yield --------------------------------------------------------------------


@given(r=R, K=K)
@settings(max_examples=60, deadline=None)
def test_msy_matches_the_closed_form_rk_over_4(r, K):
    assert capital.maximum_sustainable_yield(r, K).magnitude == pytest.approx(r * K / 4, rel=1e-9)
    assert capital.msy_stock(r, K).magnitude == pytest.approx(K / 2, rel=1e-9)


def test_msy_has_units_and_converts():
    msy = capital.maximum_sustainable_yield(0.5, Q_(2, "kilotonne"))  # K in kilotonnes, result in tonnes per year
    assert msy.to("t/year").magnitude == pytest.approx(0.5 * 2000 / 4)
    per_day = capital.maximum_sustainable_yield(Q_(0.5 / 365.25, "1/day"), 1000)
    assert per_day.magnitude == pytest.approx(125.0)
    assert capital.maximum_sustainable_yield(0.5, 1000, unit="m**3").units == Q_(1, "m**3/year").units


def test_the_yield_curve_peaks_at_the_msy():
    curve = capital.sustainable_yield_curve(0.8, 600, points=601)
    top = curve.loc[curve["regrowth"].idxmax()]
    assert top["stock"] == pytest.approx(300) and top["regrowth"] == pytest.approx(0.8 * 600 / 4)


# ---- collapse -------------------------------------------------------------------------------------


def test_time_to_collapse_worked_by_hand():
    # r = 0.5, K = 1000, H = 150 from N0 = 500: D = K^2/4 - KH/r = -50,000, a = sqrt(50,000);
    # T = K/(r a) * (atan((N0 - K/2)/a) + atan(K/(2a))).
    a = math.sqrt(50_000)
    expected = 1000 / (0.5 * a) * (0 + math.atan(500 / a))
    assert capital.time_to_collapse(0.5, 1000, 150, initial=500).magnitude == pytest.approx(expected, rel=1e-12)
    assert expected == pytest.approx(10.288, abs=1e-3)


@pytest.mark.parametrize("r, K, H, N0", [
    (0.5, 1000, 150, 500),      # above the MSY, from K/2
    (0.5, 1000, 130, 1000),     # just above the MSY, from K
    (1.2, 50, 20, 40),          # above the MSY (15), fast stock
    (0.5, 1000, 125, 300),      # exactly the MSY, starting below K/2: slow collapse
    (0.5, 1000, 120, 300),      # below the MSY but below the lower equilibrium (400)
])
def test_collapse_time_matches_numerical_integration(r, K, H, N0):
    _, _, crossing = rk4(r, K, H, "fixed amount", N0, years=200)
    closed = capital.time_to_collapse(r, K, H, initial=N0).magnitude
    assert crossing is not None
    assert closed == pytest.approx(crossing, rel=2e-3)


@given(r=R, K=K, excess=st.floats(min_value=1.001, max_value=5), share=st.floats(min_value=0.01, max_value=1))
@settings(max_examples=80, deadline=None)
def test_a_fixed_harvest_above_the_msy_always_collapses(r, K, excess, share):
    T = capital.time_to_collapse(r, K, excess * r * K / 4, initial=share * K).magnitude
    assert math.isfinite(T) and T > 0


@given(r=R, K=K, below=st.floats(min_value=0, max_value=1), share=st.floats(min_value=0.5, max_value=1))
@settings(max_examples=80, deadline=None)
def test_a_fixed_harvest_at_or_below_the_msy_from_half_k_or_more_never_collapses(r, K, below, share):
    assert capital.time_to_collapse(r, K, below * r * K / 4, initial=share * K).magnitude == math.inf


def test_collapse_table_reads_in_msy_multiples():
    table = capital.collapse_table(0.5, 1000, 500, shares=(0.9, 1.0, 1.5))
    assert table["harvest"].tolist() == pytest.approx([112.5, 125.0, 187.5])
    assert table["years_to_collapse"].iloc[:2].tolist() == [math.inf, math.inf]
    assert math.isfinite(table["years_to_collapse"].iloc[2])


# ---- paths: closed forms against numerical integration ---------------------------------------------

CASES = [
    (0.5, 1000, 150, 500),   # above the MSY
    (0.5, 1000, 100, 1000),  # below the MSY, from K
    (0.5, 1000, 120, 300),   # below the lower equilibrium
    (0.5, 1000, 125, 800),   # exactly the MSY, from above
    (1.5, 200, 30, 150),
    (0.3, 1000, 0, 100),     # no harvest: plain logistic growth
    (0.5, 1000, 250, 500),   # fixed fraction equal to r
    (0.5, 1000, 400, 500),   # fixed fraction above r
]


@pytest.mark.parametrize("policy", capital.POLICIES)
@pytest.mark.parametrize("r, K, H, N0", CASES)
def test_stock_path_matches_numerical_integration(policy, r, K, H, N0):
    years = 40
    path = capital.stock_path(r, K, H, policy, years, N0, points_per_year=4)
    times, stocks, crossing = rk4(r, K, H, policy, N0, years)
    reference = np.interp(path["year"], times, stocks, right=0.0 if crossing is not None else stocks[-1])
    if crossing is not None:
        reference = np.where(path["year"] >= crossing, 0.0, reference)
        near = np.abs(path["year"] - crossing) < 0.01  # the last instants before the crossing are steep
        reference, model = reference[~near], path["stock"][~near]
    else:
        model = path["stock"]
    np.testing.assert_allclose(model, reference, atol=1e-3 * K)


def test_cumulative_harvest_is_the_integral_of_the_harvest():
    fixed = capital.stock_path(0.5, 1000, 150, "fixed amount", 60, 500)
    T = fixed.attrs["collapse_year"]
    np.testing.assert_allclose(fixed["cumulative_harvest"], 150 * np.minimum(fixed["year"], T))
    for policy in ("fixed fraction", "income only"):
        path = capital.stock_path(0.5, 1000, 150, policy, 60, 500, points_per_year=100)
        trapezoid = np.concatenate([[0], np.cumsum(np.diff(path["year"]) * (path["harvest"].values[1:] + path["harvest"].values[:-1]) / 2)])
        np.testing.assert_allclose(path["cumulative_harvest"], trapezoid, rtol=1e-6, atol=1e-6)


def test_the_three_policies_from_the_defaults():
    table = capital.compare_policies(0.5, 1000, 150, years=60, initial=500)
    last = table.groupby("policy").last()
    # fixed amount: 150 t/yr until the collapse at 10.29 years
    assert last.loc["fixed amount", "cumulative_harvest"] == pytest.approx(150 * 10.2883, rel=1e-4)
    # income only: the regrowth at 500 t (125 t/yr) for 60 years, the stock untouched
    assert last.loc["income only", "cumulative_harvest"] == pytest.approx(125 * 60)
    assert last.loc["income only", "stock"] == 500
    # fixed fraction 150/500 = 0.3: settles at K (1 - f/r) = 400 t
    assert last.loc["fixed fraction", "stock"] == pytest.approx(400, rel=1e-5)


@given(r=R, K=st.floats(min_value=1, max_value=1e5), share=st.floats(min_value=0, max_value=1))
@settings(max_examples=80, deadline=None)
def test_fraction_policy_within_the_msy_never_collapses_from_half_k(r, K, share):
    """Property (issue 6): a harvest of at most rK/4 taken as a fixed fraction from K/2 is safe."""
    harvest = share * r * K / 4  # first-year harvest, so the fraction is harvest / (K/2) <= r/2
    path = capital.stock_path(r, K, harvest, "fixed fraction", 200, K / 2)
    # f <= r/2, so the equilibrium K (1 - f/r) is at least K/2: the stock never falls below its start
    assert path["stock"].min() >= K / 2 * (1 - 1e-9)
    assert path.attrs["collapse_year"] is None
    yearly = capital.yearly_stock(r, K, harvest, "fixed fraction", 200, K / 2)
    assert yearly["stock"].min() > 0


@given(r=R, K=st.floats(min_value=1, max_value=1e5), H=st.floats(min_value=0, max_value=1e6),
       share=st.floats(min_value=0.001, max_value=1), policy=st.sampled_from(capital.POLICIES))
@settings(max_examples=120, deadline=None)
def test_the_stock_is_never_negative(r, K, H, share, policy):
    path = capital.stock_path(r, K, H, policy, 100, share * K)
    assert (path["stock"] >= 0).all() and (path["harvest"] >= 0).all()
    assert np.isfinite(path[["stock", "harvest", "cumulative_harvest"]].to_numpy()).all()
    if policy != "fixed fraction" or H / (share * K) <= 1:
        yearly = capital.yearly_stock(r, K, H, policy, 100, share * K)
        assert (yearly["stock"] >= 0).all() and (yearly["harvest"] >= 0).all()


@given(r=R, K=st.floats(min_value=1, max_value=1e5), H=st.floats(min_value=0, max_value=1e6), share=st.floats(min_value=0.001, max_value=1))
@settings(max_examples=60, deadline=None)
def test_income_only_never_draws_the_capital_down(r, K, H, share):
    path = capital.stock_path(r, K, H, "income only", 100, share * K)
    assert (np.diff(path["stock"]) >= -1e-9 * K).all()
    # year by year a fast stock can overshoot K and fall back by itself; the harvest never exceeds the regrowth
    yearly = capital.yearly_stock(r, K, H, "income only", 100, share * K)
    assert (yearly["harvest"] <= yearly["regrowth"].clip(lower=0) + 1e-12 * K).all()


def test_year_by_year_version_worked_by_hand():
    table = capital.yearly_stock(0.5, 1000, 150, "fixed amount", years=2, initial=500)
    # year 0: 500 + 0.5*500*0.5 - 150 = 475; year 1: 475 + 0.5*475*0.525 - 150 = 449.6875
    assert table["stock"].tolist() == pytest.approx([500, 475, 449.6875])
    at_msy = capital.yearly_stock(0.5, 1000, 125, "fixed amount", years=50, initial=500)
    assert (at_msy["stock"] == 500).all()  # harvesting exactly the MSY at K/2 keeps the stock there


def test_full_harvests_year_by_year_worked_by_hand():
    # 500 -> 475 -> 449.69 -> 423.42 -> 395.49 -> 365.03 -> 330.92 -> 291.63 -> 244.92 -> 187.38 -> 113.52
    # -> 13.83 (eleven full harvests of 150 t); then 13.83 + 6.82 < 150: the twelfth cannot be taken in full
    stock, full = 500.0, 0
    while stock + 0.5 * stock * (1 - stock / 1000) >= 150:
        stock = stock + 0.5 * stock * (1 - stock / 1000) - 150
        full += 1
    assert full == 11 and stock == pytest.approx(13.83, abs=0.01)
    assert capital.full_harvest_years(0.5, 1000, 150, initial=500).magnitude == 11
    # continuous time takes the harvest bit by bit, before the year's regrowth: the stock goes sooner
    assert capital.time_to_collapse(0.5, 1000, 150, initial=500).magnitude < 11


@pytest.mark.parametrize("harvest, initial, expected", [
    (0, 500, math.inf),      # no harvest: never
    (100, 500, math.inf),    # below the MSY, above the lower balance point (276 t): never
    (125, 500, math.inf),    # exactly the MSY at K/2: the stock stays at 500 t for ever
    (100, 200, 2.0),         # below the lower balance point: 200 -> 180 -> 153.8, then 153.8 + 65.1 - 100 > 0 ...
    (1000, 500, 0.0),        # more than stock plus regrowth: not even one full harvest
])
def test_full_harvests_year_by_year_edge_cases(harvest, initial, expected):
    result = capital.full_harvest_years(0.5, 1000, harvest, initial=initial).magnitude
    if math.isinf(expected):
        assert math.isinf(result)
    else:
        table = capital.yearly_stock(0.5, 1000, harvest, "fixed amount", years=int(result) + 1, initial=initial)
        assert (table["harvest"].iloc[: int(result)] == harvest).all()
        assert table["harvest"].iloc[int(result)] < harvest


@settings(max_examples=40, deadline=None)
@given(r=R, share=st.floats(min_value=1.05, max_value=4.0), start=st.floats(min_value=0.05, max_value=1.0))
def test_full_harvests_agree_with_the_yearly_table(r, share, start):
    """Above the MSY the full harvest can be taken n times, and the table takes less in year n."""
    K, H = 1000.0, share * r * 1000.0 / 4
    n = capital.full_harvest_years(r, K, H, initial=start * K).magnitude
    assert math.isfinite(n)
    table = capital.yearly_stock(r, K, H, "fixed amount", years=int(n) + 1, initial=start * K)
    assert table["harvest"].iloc[: int(n)].tolist() == pytest.approx([H] * int(n))
    assert table["harvest"].iloc[int(n)] < H


def test_policy_summary_is_the_last_row_of_each_path():
    paths = capital.compare_policies(0.5, 1000, 150, years=60, initial=500)
    summary = capital.policy_summary(0.5, 1000, 150, years=60, initial=500)
    last = paths.groupby("policy").last()
    assert summary["total_harvest"].to_dict() == pytest.approx(last["cumulative_harvest"].to_dict())
    assert summary.loc["income only", "total_harvest"] == pytest.approx(125 * 60)   # the MSY every year
    assert summary.loc["fixed amount", "total_harvest"] == pytest.approx(150 * 10.288, rel=1e-3)
    assert summary.attrs["collapse_year"] == pytest.approx(10.288, abs=1e-3)


def test_default_case_reads_the_defaults_table(root):
    table = pd.read_csv(root / "datasets" / "capital_model_defaults.csv").set_index("name")["value"]
    assert capital.default_case() == (table["growth_rate"], table["capacity"], table["harvest"],
                                      table["initial_share"] / 100 * table["capacity"])


def test_oxygen_lost_worked_by_hand():
    # same amount of air: 7 of 21 parts gone; nitrogen kept: O2 per N2 from 21/79 to 14/86
    assert capital.oxygen_lost(21, 14, nitrogen_kept=False).magnitude == pytest.approx(100 / 3)
    assert capital.oxygen_lost(21, 14).magnitude == pytest.approx(100 * (1 - (14 / 86) / (21 / 79)))
    assert round(capital.oxygen_lost(21, 14).magnitude) == 39
    assert capital.oxygen_lost(Q_(0.21, ""), Q_(14, "percent")).magnitude == pytest.approx(38.76, abs=0.01)
    assert capital.oxygen_lost(21, 21).magnitude == 0 and capital.oxygen_lost(21, 0).magnitude == 100
    assert capital.oxygen_lost(21, 14).units == Q_(1, "percent").units


# ---- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, error, words", [
    (dict(K=0), ValueError, "K=0"),
    (dict(K=-5), ValueError, "K=-5"),
    (dict(K=float("nan")), ValueError, "finite"),
    (dict(r=0), ValueError, "r=0"),
    (dict(r=-0.1), ValueError, "r=-0.1"),
    (dict(r=2.0), ValueError, "r=2.0 is not allowed: give a number > 0 and < 2 (1/yr) (Growth rate r"),
    (dict(r=3), ValueError, "r=3 is not allowed: give a number > 0 and < 2"),
    (dict(harvest=-1), ValueError, "harvest=-1"),
    (dict(harvest=float("inf")), ValueError, "harvest=inf"),
    (dict(years=12.5), ValueError, "years=12.5 must be a whole number"),
    (dict(years=0), ValueError, "years=0 is not allowed: give a whole number between 1 and 1000"),
    (dict(years=-3), ValueError, "years=-3 is not allowed: give a whole number between 1 and 1000"),
    (dict(years=1001), ValueError, "years=1001 is not allowed: give a whole number between 1 and 1000"),
    (dict(years=True), TypeError, "years must be a number (in yr), got True"),
    (dict(years="10"), TypeError, "years must be a number (in yr), got '10' (text); write it without quotes: 10"),
    (dict(policy="clear-cut"), ValueError, "policy='clear-cut' is not allowed; choose one of: 'fixed amount'"),
    (dict(policy="fixed amout"), ValueError, "(did you mean 'fixed amount'?)"),
    (dict(policy=3), TypeError, "policy must be one of 'fixed amount', 'fixed fraction', 'income only' (text), got 3"),
    (dict(initial=2000), ValueError, "initial=2000 is above the capacity K=1000 t"),
    (dict(initial=0), ValueError, "initial=0 is not allowed: give a number > 0 (t)"),
    (dict(K="1000"), TypeError, "K must be a number (in t), got '1000' (text); write it without quotes: 1000"),
    (dict(K=Q_(3, "m")), ValueError, "K=3 m is a length, but it must be a mass"),
    (dict(harvest=Q_(3, "t")), ValueError, "harvest=3 t is a mass, but it must be a mass per time"),
    (dict(fraction=0.2), ValueError, "fraction=0.2 only applies to policy='fixed fraction', not 'fixed amount'"),
    (dict(points_per_year=0), ValueError, "points_per_year=0 is not allowed: give a whole number between 1 and 100"),
    (dict(unit="tons"), ValueError, "unit='tons' is ambiguous"),
])
def test_bad_arguments_are_refused_with_clear_messages(kwargs, error, words):
    arguments = dict(r=0.5, K=1000, harvest=100, policy="fixed amount", years=10, initial=None) | kwargs
    with pytest.raises(error, match=re.escape(words)):
        capital.stock_path(**arguments)


def test_yearly_model_refuses_a_share_above_one():
    with pytest.raises(ValueError, match="at most 1"):
        capital.yearly_stock(0.5, 1000, 600, "fixed fraction", 10, initial=500)


# ---- non-renewable reserves ----------------------------------------------------------------------


def test_static_index_is_reserve_over_use_in_any_units():
    assert capital.static_index(775e6, 1.85e6).magnitude == pytest.approx(775 / 1.85)
    assert capital.static_index(Q_(775, "Mt"), Q_(1.85e3, "kilotonne/year")).magnitude == pytest.approx(775 / 1.85)
    with pytest.raises(ValueError, match="use=0"):
        capital.static_index(100, 0)


@given(s=st.floats(min_value=1, max_value=3000), g=st.floats(min_value=-0.2, max_value=0.2))
@settings(max_examples=80, deadline=None)
def test_exponential_index_is_the_closed_form(s, g):
    e = capital.exponential_index(s, g).magnitude
    if abs(g) < 1e-12:
        assert e == pytest.approx(s)
    elif 1 + g * s <= 0:
        assert e == math.inf
    else:
        assert e == pytest.approx(math.log1p(g * s) / g, rel=1e-12)
        # at that time the amount used, integral of e^(g t) dt, equals the reserve (s years of today's use)
        assert math.expm1(g * e) / g == pytest.approx(s, rel=1e-9)
        assert (e <= s) if g > 0 else (e >= s)


def test_reserve_path_runs_out_at_both_indices():
    path = capital.reserve_path(31, 0.039, years=40, points_per_year=10)
    growing = path[path.scenario == "growing use"].set_index("year")["remaining"]
    constant = path[path.scenario == "constant use"].set_index("year")["remaining"]
    e = math.log(1 + 0.039 * 31) / 0.039
    assert growing[growing > 0].index.max() < e <= growing[growing == 0].index.min() + 1e-9
    assert constant.loc[15.5] == pytest.approx(50)  # half gone at half the static index
    assert constant[constant == 0].index.min() == pytest.approx(31)


def test_the_limits_to_growth_table_is_reproduced_within_its_rounding():
    check = capital.reserve_check()
    assert len(check) == 4
    assert check["difference"].abs().max() <= 1.0  # the book printed whole years
    assert check["difference_5x"].abs().max() <= 1.0


def test_growth_given_as_percent_by_mistake_is_explained():
    with pytest.raises(ValueError, match="0.039"):
        capital.exponential_index(31, 3.9)
    assert capital.exponential_index(31, Q_(3.9, "percent/year")).magnitude == pytest.approx(math.log(1 + 0.039 * 31) / 0.039)


# ---- the four capitals and the data --------------------------------------------------------------------


def test_sorting_answer_comes_from_the_examples():
    examples = data.load("capital_examples")
    answer = capital.sorting_answer()
    assert set(answer.values()) == {"human", "financial", "manufacturing", "natural"}
    assert answer == dict(zip(examples.loc[examples["in_sorting_exercise"], "item"],
                              examples.loc[examples["in_sorting_exercise"], "capital"]))
    assert capital.sorting_answer(["air", "loans from banks"]) == {"air": "natural", "loans from banks": "financial"}
    with pytest.raises(ValueError, match="unicorns"):
        capital.sorting_answer(["unicorns"])
    with pytest.raises(TypeError, match="items"):
        capital.sorting_answer("air")


def test_the_unpriced_capital_is_quoted_as_the_article_words_it():
    source = data.load("capital_types").set_index("capital").loc["natural", "source"]
    assert "do not put a price on the cleanliness of the air and water" in source
    assert "does not put a price" not in source


def test_every_article_natural_capital_example_is_listed():
    article = ["air", "water", "soil", "minerals", "oil", "plants", "animals", "deserts", "wetlands", "tundra",
               "rainforests", "oceans", "rivers"]
    examples = data.load("capital_examples").set_index("item")
    assert (examples.loc[article, "capital"] == "natural").all()
    assert (examples.loc[article, "basis"] == "seed").all()


def test_capital_datasets_validate_against_their_schema(root):
    from frictionless import Resource

    package = json.loads((root / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    mine = [r for r in package["resources"] if r["name"].startswith("capital_")]
    assert len(mine) == 10
    for descriptor in mine:
        report = Resource(descriptor, basepath=str(root / "datasets")).validate()
        assert report.valid, (descriptor["name"], report.flatten(["rowNumber", "fieldName", "note"])[:5])
        frame = data.load(descriptor["name"])
        literature = frame.loc[frame["basis"] == "literature", "source"]
        assert literature.str.contains(r"\b(?:19|20)\d\d\b").all(), descriptor["name"]


def test_biosphere_units_are_pint_units_and_grades_are_honest():
    table = data.load("capital_biosphere2")
    for row in table.dropna(subset=["value"]).itertuples():
        if pd.notna(row.unit):
            Q_(row.value, row.unit)
    assert set(table.loc[table["basis"] == "literature", "grade"]) <= {"A", "B"}
    assert table.loc[table["basis"] == "seed", "grade"].isna().all()
    assert table.loc[table["basis"] == "seed", "value"].isna().all()  # the article prints no figure


def test_model_defaults_lie_inside_their_slider_ranges():
    table = data.parameters("capital_model_defaults")
    assert (table["low"] <= table["value"]).all() and (table["value"] <= table["high"]).all()
    assert (table["basis"] == "assumption").all()
    assert table.loc["growth_rate", "high"] < table.loc["growth_rate", "maximum"]  # the stable range: r < 2
    assert capital.defaults() == {"growth_rate": 0.5, "capacity": 1000.0, "harvest": 150.0, "initial_share": 50.0,
                                  "horizon": 60}


# ---- long trends -------------------------------------------------------------------------------


def test_stored_trends_equal_a_fresh_aggregation_of_the_gapminder_file():
    stored = data.load("capital_trends")
    fresh = capital.long_trends()
    assert stored["group"].tolist() == fresh["group"].tolist() and stored["year"].tolist() == fresh["year"].tolist()
    np.testing.assert_allclose(stored["gdp_per_capita"], fresh["gdp_per_capita"], atol=0.051)
    np.testing.assert_allclose(stored["life_expectancy"], fresh["life_expectancy"], atol=0.0051)
    assert stored["population"].tolist() == fresh["population"].tolist()


def test_grouping_follows_the_stated_rule():
    raw = capital.read_gapminder()
    groups = raw.assign(group=capital.development_group(raw)).drop_duplicates("country").set_index("country")["group"]
    developed = set(groups[groups == "developed"].index)
    europe = set(raw.loc[raw["continent"] == "Europe", "country"]) - {"Turkey"}
    assert developed == europe | {"United States", "Canada", "Japan", "Australia", "New Zealand"}
    assert len(developed) == 34 and groups["Turkey"] == "developing" and groups["Korea, Rep."] == "developing"


def test_population_weighted_gdp_by_hand_for_one_year():
    raw = capital.read_gapminder()
    rows = raw[(raw["year"] == 1997) & raw["country"].isin(["Japan", "United States"])]
    expected = (rows["gdpPercap"] * rows["pop"]).sum() / rows["pop"].sum()
    rules = pd.DataFrame({"level": ["country", "country"], "name": ["Japan", "United States"], "group": ["developed"] * 2})
    mini = capital.long_trends(rows, rules)
    assert mini.set_index("group").loc["developed", "gdp_per_capita"] == pytest.approx(expected)


def test_population_growth_is_the_log_rate_per_thousand():
    trends = data.load("capital_trends")
    world = trends[trends["group"] == "all 142 countries"].set_index("year")["population"]
    growth = capital.population_growth(trends)
    first = growth[(growth["group"] == "all 142 countries") & (growth["year"] == 1954.5)]["growth_per_1000"].item()
    assert first == pytest.approx(1000 * math.log(world[1957] / world[1952]) / 5)


# ---- exercises ---------------------------------------------------------------------------------------
#
# Every capital question is a family: each student draws their own numbers (exercise_variants_capital).
# The answers are worked out here by hand from the student's numbers, with closed forms and loops
# written in this file (not the course's model functions), for the default variant and for other
# students.

STUDENTS = [None, "alice", "bob", "carol", "s1234567"]


def _by_hand_collapse(r, K, H, N0):
    """Years until a fixed harvest H empties a stock from N0, continuous time: the closed form of the
    notebook for H above the MSY (a = sqrt(K H / r - K^2 / 4)); inf at or below it from N0 >= K/2."""
    if H <= r * K / 4:
        assert N0 >= K / 2
        return math.inf
    a = math.sqrt(K * H / r - K * K / 4)
    return K / (r * a) * (math.atan((N0 - K / 2) / a) + math.atan(K / (2 * a)))


def _numbers(qid, student):
    v = variant(qid, student)
    return {name: v[name] for name in v}


def _hand_answer(qid, student):  # noqa: C901 (one branch per question, each a few lines by hand)
    name = qid.split(".", 1)[1]
    n = _numbers(qid, student)
    if name == "unpriced_capital":
        return next(free for word, free in (("fishing", "fish"), ("paper", "river"), ("cement", "air"), ("fruit", "bees"))
                    if word in n["business"])
    if name == "best_harvest":
        r, K, years = n["r"], n["capacity"], n["years"]
        msy = r * K / 4
        shares = [(n["base"] + k * n["spacing"]) / 100 for k in range(3)]
        harvests = [5 * math.floor(s * msy / 5 + 1e-9) for s in shares]
        totals = [h * min(_by_hand_collapse(r, K, h, K), years) for h in harvests]
        return ("low", "middle", "high")[totals.index(max(totals))]
    if name == "msy_fraction":
        return 100 * n["r"] / 2
    if name == "policy_gap":
        r, K, years = n["r"], n["capacity"], int(n["years"])
        H, N0 = n["harvest_share"] / 100 * K, n["start_share"] / 100 * K
        totals = []
        for policy in ("fixed amount", "fixed fraction", "income only"):
            times, stocks, collapse = rk4(r, K, H, policy, N0, years, dt=0.005)
            if policy == "fixed amount":
                totals.append(H * (collapse if collapse is not None else years))
            elif policy == "fixed fraction":
                totals.append(float(np.trapezoid(H / N0 * stocks, times)))
            else:
                totals.append(float(np.trapezoid(np.minimum(H, r * stocks * (1 - stocks / K)), times)))
        return max(totals) - min(totals)
    if name == "collapse_harvest":
        r, K, N0, years = n["r"], n["capacity"], n["start_share"] / 100 * n["capacity"], n["years"]
        low, high = r * K / 4, 2 * K
        for _ in range(200):
            middle = (low + high) / 2
            low, high = (low, middle) if _by_hand_collapse(r, K, middle, N0) <= years else (middle, high)
        return high
    if name == "next_year_stock":
        r, K = n["r"], n["capacity"]
        N, H = n["start_share"] / 100 * K, n["harvest_share"] / 100 * K
        for _ in range(2):
            N = N + r * N * (1 - N / K) - H
        return N
    if name == "stock_flow":
        return "not_sustainable" if n["harvest_share"] / 100 * n["capacity"] > n["r"] * n["capacity"] / 4 else "sustainable"
    if name in ("reserves_five_times", "reserve_productivity"):
        s, g = n["static"], n["growth"] / 100
        index = lambda s, g: math.log(1 + g * s) / g  # noqa: E731
        if name == "reserve_productivity":
            return index(s, g / 2) - index(s, g)
        five = index(5 * s, g) / index(s, g)
        return "five_times" if five >= 4 else "two_to_four" if five >= 2 else "under_two"
    if name == "biosphere_oxygen_lost":
        before = float(pd.read_csv(ROOT / "datasets" / "capital_biosphere2.csv").set_index("id").loc["oxygen_start", "value"])
        after = n["after"]
        return 100 * (1 - (after / (100 - after)) / (before / (100 - before)))
    if name == "life_income_cause":
        raw = capital.read_gapminder().set_index(["country", "year"])
        year = int(n["year"])
        (gdp_a, life_a), (gdp_b, life_b) = (raw.loc[(n[c], year), ["gdpPercap", "lifeExp"]] for c in ("country_a", "country_b"))
        richer_longer = life_a > life_b if gdp_a > gdp_b else life_b > life_a
        return "fits" if richer_longer else "against"
    if name == "reflect_income_capital":
        return ("A rising GDP counts the harvest, a flow, and says nothing about the stock it came from, so it "
                "cannot show that we live on nature's income.")
    raise AssertionError(f"{qid}: a new question needs a hand answer here")


CAPITAL = sorted(q for q in questions() if q.startswith("capital."))


def test_the_notebook_asks_every_capital_question():
    assert len(CAPITAL) == 12


@pytest.mark.parametrize("qid", CAPITAL)
def test_every_capital_question_accepts_a_hand_computed_answer_and_refuses_a_wrong_one(qid):
    for student in STUDENTS:
        answer = _hand_answer(qid, student)
        assert evaluate(qid, answer, student=student).correct, (qid, student, answer)
        if isinstance(answer, float):
            expected = exercise_answer(qid, student)
            assert expected.magnitude == pytest.approx(answer, rel=2e-3 if qid == "capital.policy_gap" else 1e-6), (qid, student)
            assert not evaluate(qid, answer * 1.2, student=student).correct, qid  # 20 % off is outside every tolerance


def test_the_default_numbers_are_new_cases_not_the_worked_example():
    d = capital.defaults()
    worked = (d["growth_rate"], d["capacity"])
    for qid in ("capital.best_harvest", "capital.msy_fraction", "capital.policy_gap", "capital.collapse_harvest",
                "capital.next_year_stock", "capital.stock_flow"):
        n = _numbers(qid, None)
        assert (n["r"], n["capacity"]) != worked, qid
    # the worked examples' answers of the old exercises (449.7 t after two years, 25 %, Biosphere 2's 38.8 %)
    assert exercise_answer("capital.next_year_stock", None).magnitude != pytest.approx(449.6875, rel=0.01)
    assert exercise_answer("capital.msy_fraction", None).magnitude != pytest.approx(25, rel=0.01)
    assert exercise_answer("capital.biosphere_oxygen_lost", None).magnitude != pytest.approx(38.76, rel=0.01)


@pytest.mark.parametrize("qid, answer, right", [
    ("capital.msy_fraction", 100 * 0.84 / 2, True),         # r / 2 as a percent (default r = 0.84)
    ("capital.msy_fraction", "42 %", True),
    ("capital.msy_fraction", 0.42, False),                  # a share where a percent is asked
    ("capital.msy_fraction", 84, False),                    # r itself
    ("capital.next_year_stock", 1557.59, True),             # 1,400 -> 1,496 -> 1,557.59 t
    ("capital.next_year_stock", 1496, False),               # one step, not two
    ("capital.collapse_harvest", "327 t/yr", True),
    ("capital.collapse_harvest", 270, False),               # the MSY: 0.6 x 1,800 / 4
    ("capital.policy_gap", 33718.8 - 8947.3, True),         # fixed fraction minus fixed amount, read off the bars
    ("capital.policy_gap", 33718.8, False),                 # the largest total alone
    ("capital.reserve_productivity", math.log(1 + 0.0225 * 150) / 0.0225 - math.log(1 + 0.045 * 150) / 0.045, True),
    ("capital.reserve_productivity", math.log(1 + 0.0225 * 150) / 0.0225, False),  # the years, not the gain
    ("capital.biosphere_oxygen_lost", 100 * (1 - (17.5 / 82.5) / (21 / 79)), True),
    ("capital.biosphere_oxygen_lost", 3.5, False),          # percentage points are not a share of the oxygen
    ("capital.best_harvest", "middle", True),               # 250, 320 or 395 t/yr with an MSY of 360 t/yr
    ("capital.best_harvest", "395 t/yr", False),            # the largest harvest, above the MSY
    ("capital.stock_flow", "not_sustainable", True),        # 450 t/yr against an MSY of 337.5 t/yr
    ("capital.stock_flow", "sustainable", False),
    ("capital.reserves_five_times", "two to four times as long", True),  # 60 years at 2.5 %/yr: 2.34 times
    ("capital.reserves_five_times", "about five times as long (four times or more)", False),
    ("capital.life_income_cause", "against", True),         # Sri Lanka and Saudi Arabia, 1977
    ("capital.life_income_cause", "it proves the claim: income makes lives longer", False),
    ("capital.unpriced_capital", "the fish in the sea", True),
    ("capital.unpriced_capital", "the diesel", False),
])
def test_questions_judge_independently_derived_answers_for_the_default_numbers(qid, answer, right):
    assert evaluate(qid, answer, student=None).correct is right


def test_the_likely_slips_are_diagnosed():
    def said(qid, answer):
        return evaluate(qid, answer, student=None).message
    assert "the stock after the first year" in said("capital.next_year_stock", 1496)
    assert "first year's regrowth used twice" in said("capital.next_year_stock", 1400 + 2 * 336 - 2 * 240)
    assert "the MSY" in said("capital.collapse_harvest", 270)
    assert "starting stock divided by the years" in said("capital.collapse_harvest", 1440 / 15)
    assert "growth rate r as a percentage" in said("capital.msy_fraction", 84)
    assert "divided by the capacity K" in said("capital.msy_fraction", 21)
    assert "the largest total alone" in said("capital.policy_gap", 33718.8)
    assert "years at half the growth" in said("capital.reserve_productivity", math.log(1 + 0.0225 * 150) / 0.0225)
    assert "percentage points" in said("capital.biosphere_oxygen_lost", 3.5)


def test_wrong_options_are_told_the_misconception_they_hold():
    wrong = evaluate("capital.stock_flow", "sustainable, as the company says: a small share of the stock leaves plenty of fish", student=None)
    assert not wrong.correct and "compares the harvest with the stock" in wrong.message
    wrong = evaluate("capital.life_income_cause", "proves", student=None)
    assert not wrong.correct and "correlation is not causation" in wrong.message
    wrong = evaluate("capital.best_harvest", "high", student=None)
    assert not wrong.correct and "only if the stock can keep it up" in wrong.message
    assert evaluate("capital.unpriced_capital", "The fish in the sea", student=None).correct


def test_the_right_verdict_differs_between_students():
    """The choices depend on the student's numbers: each right option is right for someone."""
    students = [f"student-{i:03d}" for i in range(60)]
    for qid, options in [("capital.best_harvest", {"low", "middle", "high"}), ("capital.stock_flow", {"sustainable", "not_sustainable"}),
                         ("capital.reserves_five_times", {"two_to_four", "under_two"}), ("capital.life_income_cause", {"fits", "against"}),
                         ("capital.unpriced_capital", {"fish", "river", "air", "bees"})]:
        assert {exercise_answer(qid, s) for s in students} >= options, qid


def test_the_method_a_prompt_rules_out_is_a_diagnosed_slip_not_a_second_right_answer():
    # Oxygen: the prompt says the nitrogen and argon stayed, so the drop over the ambient share
    # (3.5 / 21 = 16.7 % for the default 17.5 %) is the method it rules out.
    same_air = evaluate("capital.biosphere_oxygen_lost", 100 * 3.5 / 21, student=None)
    assert not same_air.correct and "amount of air had stayed the same" in same_air.message
    # Biosphere 2 itself, 21 % to 14 %: 33.3 % is the ruled-out method, 38.8 % the answer.
    assert capital.oxygen_lost(21, 14, nitrogen_kept=False).magnitude == pytest.approx(100 / 3)
    assert capital.oxygen_lost(21, 14).magnitude == pytest.approx(100 * (1 - (14 / 86) / (21 / 79)))
    # Collapse: the prompt asks for the continuous model; the year-by-year model's harvest, found
    # here by hand (the smallest harvest whose full catches stop within the years), is a slip
    # wherever the two models differ by more than the precision asked (three significant digits).
    # Where they agree that closely the two answers cannot be told apart, and both are right.
    def year_by_year(r, K, start, years):
        def years_for(h):  # full catches in a row, +1 for the year the stock runs out
            n, count = start, 0
            while n + r * n * (1 - n / K) >= h and count < 1000:
                n, count = n + r * n * (1 - n / K) - h, count + 1
            return count + 1
        low, high = r * K / 4, 2 * K
        for _ in range(60):
            middle = (low + high) / 2
            low, high = (low, middle) if years_for(middle) <= years else (middle, high)
        return high

    tolerance = _question("capital.collapse_harvest").rel_tol
    apart = 0
    for student in [None] + [f"student-{i:03d}" for i in range(40)]:
        n = _numbers("capital.collapse_harvest", student)
        other = year_by_year(n["r"], n["capacity"], n["start_share"] / 100 * n["capacity"], n["years"])
        if abs(other / exercise_answer("capital.collapse_harvest", student).magnitude - 1) > 1.5 * tolerance:
            apart += 1
            said = evaluate("capital.collapse_harvest", other, student=student)
            assert not said.correct and "year-by-year model" in said.message, (student, other)
    assert apart >= 3  # the slip is met, not only written down


def test_a_reflection_needs_a_real_answer_and_then_shows_the_model_answer_with_the_students_fishery():
    assert not evaluate("capital.reflect_income_capital", "GDP is a flow", student=None).correct
    answer = "GDP counts the harvest, a flow, not the stock; a harvest above the MSY yields well and then collapses."
    feedback = evaluate("capital.reflect_income_capital", answer, student=None)
    assert feedback.correct and "accounts of the stocks themselves" in feedback.message
    assert "840 t/yr" in feedback.message and "4,000 t" in feedback.message  # the default fishery: 140 % of 600 t/yr
    assert len(_question("capital.reflect_income_capital").rubric) == 3
    assert exercise_answer("capital.reflect_income_capital", "alice") != exercise_answer("capital.reflect_income_capital", "bob")


def test_the_answers_follow_the_variants_table(root, tmp_path, monkeypatch):
    """An instructor who changes a default in exercise_variants_capital changes the default answer."""
    copy = tmp_path / "datasets"
    shutil.copytree(root / "datasets", copy)
    csv = copy / "exercise_variants_capital.csv"
    table = pd.read_csv(csv, dtype=str, keep_default_na=False)
    row = (table["question"] == "msy_fraction") & (table["name"] == "r")
    table.loc[row, "value"] = "0.5"
    table.to_csv(csv, index=False)
    assert exercise_answer("capital.msy_fraction", None).magnitude == pytest.approx(42)
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert exercise_answer("capital.msy_fraction", None).magnitude == pytest.approx(25)
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert exercise_answer("capital.msy_fraction", None).magnitude == pytest.approx(42)


# ---- charts -------------------------------------------------------------------------------------------


def _vega_eval(expression, datum, params):
    """Evaluate one of the chart's Vega expressions in Python (numpy semantics: inf and nan, no errors)."""
    namespace = {"_if": lambda test, a, b: a if test else b, "sqrt": np.sqrt, "abs": np.abs, "atan": np.arctan,
                 "tan": np.tan, "exp": np.exp, "log": np.log, "max": np.maximum, "MAX_VALUE": np.finfo(float).max,
                 "datum": datum, **{k: np.float64(v) if not isinstance(v, str) else v for k, v in params.items()}}
    with np.errstate(all="ignore"):
        return eval(re.sub(r"\bif\(", "_if(", expression), namespace)  # noqa: S307 (our own expressions)


@pytest.mark.parametrize("r, K, H, share", [(0.5, 1000, 150, 50), (0.5, 1000, 125, 80), (0.5, 1000, 125, 30),
                                            (0.5, 1000, 120, 30), (0.5, 1000, 120, 40), (0.5, 1000, 0, 10),
                                            (0.5, 1000, 250, 50), (0.5, 1000, 400, 50), (1.9, 5000, 1000, 5)])
def test_the_kernel_free_chart_computes_what_stock_path_computes(r, K, H, share):
    P = capital_charts._P
    params = {P["r"]: r, P["K"]: K, P["H"]: H, P["share"]: share}
    for policy in capital.POLICIES:
        path = capital.stock_path(r, K, H, policy, 60, share / 100 * K).set_index("year")
        for t in (0.0, 0.25, 1.0, 5.0, 10.25, 30.0, 60.0):
            datum = SimpleNamespace(t=np.float64(t), policy=policy)
            for field, expression in capital_charts._vega_stock_fields():
                setattr(datum, field, _vega_eval(expression, datum, params))
            assert datum.stock == pytest.approx(path.loc[t, "stock"], abs=1e-6 * K), (policy, t)
            assert datum.harvest == pytest.approx(path.loc[t, "harvest"], abs=1e-6 * K), (policy, t)


def test_kernel_free_chart_is_offline_small_and_draws_in_vega():
    import vl_convert as vlc

    chart = capital.income_capital_chart()
    spec = charts.check_offline(chart)
    assert len(json.dumps(spec)) < 20_000  # the browser generates the time steps: no data table inlined
    assert {p["name"] for p in spec["params"]} >= set(capital_charts._P.values())
    svg = vlc.vegalite_to_svg(spec, vl_version=charts._VL_VERSION)
    assert "MSY = rK/4 = 125.0 t/yr" in svg  # the label computed by Vega from the default params


def _marks(node, kind, found):
    if isinstance(node, dict):
        if node.get("marktype") == kind:
            found.append(node)
        for value in node.values():
            _marks(value, kind, found)
    elif isinstance(node, list):
        for value in node:
            _marks(value, kind, found)
    return found


def test_vega_draws_the_same_total_harvest_as_python():
    """Run the chart in Vega (vl-convert) and read the bars' accessible descriptions back."""
    import vl_convert as vlc

    spec = capital.income_capital_chart(step=0.05).to_dict()
    scene = vlc.vegalite_to_scenegraph(spec, vl_version=charts._VL_VERSION)
    totals = {}
    for mark in _marks(scene, "rect", []):
        for item in mark.get("items", []):
            found = re.search(r"policy: ([a-z ]+); total: ([\d,.]+)", item.get("description") or "")
            if found:
                totals[found.group(1)] = float(found.group(2).replace(",", ""))
    expected = capital.compare_policies(0.5, 1000, 150, 60, 500).groupby("policy")["cumulative_harvest"].last()
    assert set(totals) == set(capital.POLICIES)
    for policy, total in totals.items():
        assert total == pytest.approx(expected[policy], rel=0.005)


@pytest.mark.parametrize("build", [lambda: capital.reserve_chart(), lambda: capital.trends_chart(),
                                   lambda: capital.life_growth_chart(), lambda: capital.yield_curve_chart(0.5, 1000, 150),
                                   lambda: capital.stock_chart(capital.compare_policies(0.5, 1000, 150, 60, 500, points_per_year=2))])
def test_every_chart_is_offline_titled_and_renders(build):
    import vl_convert as vlc

    spec = charts.check_offline(build())
    assert "Source:" in str(spec["title"]["subtitle"])
    assert len(json.dumps(spec)) < 60_000
    vlc.vegalite_to_svg(spec, vl_version=charts._VL_VERSION)


def test_a_chart_read_by_an_exercise_describes_its_shape_not_its_totals():
    paths = capital.compare_policies(0.5, 1000, 150, years=60, initial=500)
    told = capital.stock_chart(paths).to_dict()["description"]
    shape = capital.stock_chart(paths, totals_in_description=False).to_dict()["description"]
    assert "1,543" in told and "10.3 years" in told
    assert "1,543" not in shape and "10.3" not in shape and "7,500" not in shape and "hover over a bar" in shape
    with pytest.raises(TypeError, match="totals_in_description must be True or False"):
        capital.stock_chart(paths, totals_in_description="no")


def test_trends_charts_state_their_source_and_grouping():
    for chart in (capital.trends_chart(), capital.life_growth_chart()):
        *source, grouping = chart.to_dict()["title"]["subtitle"]
        assert source[0].startswith("Source: Gapminder")
        assert grouping == "Grouping: " + capital.grouping_text()
    assert "Europe (except Turkey)" in capital.grouping_text()


# ---- explorers (timings are measured by benchmarks/run.py, not here) ---------------------------------


def test_stock_explorer_redraws_for_every_control():
    box = capital.stock_explorer()
    assert box.values() == {"r": 0.5, "K": 1000.0, "harvest": 150.0, "start": 50.0, "years": 60, "policy": "all three"}
    assert "MSY = rK/4 = 125.0 t/yr" in box.result.datasets["harvest_marks"]
    box.controls["r"].value = 0.8
    box.controls["K"].value = 2000.0
    assert "MSY = rK/4 = 400.0 t/yr" in json.dumps(box.result.to_dict())  # r = 0.8, K = 2000
    box.controls["policy"].value = "income only"
    assert set(pd.read_csv(io.StringIO(box.result.datasets["paths"]))["policy"]) == {"income only"}
    box.controls["years"].value = 150
    assert pd.read_csv(io.StringIO(box.result.datasets["paths"]))["year"].max() == 150
    box.controls["start"].value = 100.0  # a full stock regrows nothing: income only harvests nothing
    assert pd.read_csv(io.StringIO(box.result.datasets["paths"]))["harvest"].max() == 0


def test_reserve_explorer_follows_the_growth_slider_and_the_multiplier():
    box = capital.reserve_explorer()
    assert box.result.to_dict()["title"]["text"] == "petroleum: 31 years at constant use; at 3.9 %/yr growth it runs out after 20 years"
    box.controls["growth"].value = 0.0
    assert "runs out after 31 years" in box.result.to_dict()["title"]["text"]
    box.controls["multiple"].value = 5
    assert box.result.to_dict()["title"]["text"].startswith("petroleum: 155 years at constant use")
    box.controls["growth"].value = -3.0  # shrinking use: 1 - 0.03 x 155 < 0, the reserve never runs out
    assert box.result.to_dict()["title"]["text"].endswith("it never runs out")


def test_redraws_never_touch_the_shared_chart_template():
    first = capital.stock_chart(capital.stock_path(0.5, 1000, 100, "fixed amount", 10, 500))
    second = capital.stock_chart(capital.stock_path(0.9, 1000, 100, "fixed amount", 10, 500))
    assert first.datasets["harvest_marks"] != second.datasets["harvest_marks"]
    assert "MSY = rK/4 = 125.0" in first.datasets["harvest_marks"]  # the first chart kept its own numbers
    template = capital_charts._stock_template("t")
    assert not isinstance(template.datasets, dict) and template.description == "(set by stock_chart)"


# ---- fixed bugs --------------------------------------------------------------------------------------


def test_collapse_table_refuses_a_single_share_naming_it():
    with pytest.raises(TypeError, match=re.escape("shares must be a list of numbers such as [0.5], not a single number")):
        capital.collapse_table(0.5, 1000, shares=0.5)
    with pytest.raises(ValueError, match=re.escape("shares[1]=-1 is not allowed: give a number >= 0")):
        capital.collapse_table(0.5, 1000, shares=[1, -1])


def test_years_in_quotes_is_told_to_drop_the_quotes():
    with pytest.raises(TypeError, match=re.escape("years must be a number (in yr), got '10' (text); write it without quotes: 10")):
        capital.yearly_stock(0.5, 1000, 150, years="10")


def test_defaults_and_everything_derived_follow_the_data_folder(root, tmp_path, monkeypatch):
    copy = tmp_path / "datasets"
    shutil.copytree(root / "datasets", copy)
    csv = copy / "capital_model_defaults.csv"
    table = pd.read_csv(csv)
    assert table.loc[table["name"] == "harvest", "value"].item() == 150
    table.loc[table["name"] == "harvest", "value"] = 120
    table.to_csv(csv, index=False)
    assert capital.defaults()["harvest"] == 150  # filled the cache for the shipped folder first

    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert capital.defaults() == {"growth_rate": 0.5, "capacity": 1000.0, "harvest": 120.0, "initial_share": 50.0,
                                  "horizon": 60}
    # the exercises are families of their own (exercise_variants_capital): the model's defaults are the
    # worked example of the text, not an exercise's numbers, so they do not move the answers
    assert exercise_answer("capital.next_year_stock", None).magnitude == pytest.approx(_hand_answer("capital.next_year_stock", None))
    # the explorer and the kernel-free chart start at the new default
    assert capital.stock_explorer().controls["harvest"].value == 120
    params = {p["name"]: p["value"] for p in capital.income_capital_chart().to_dict()["params"]}
    assert params[capital_charts._P["H"]] == 120
    assert "no policy empties the stock" in capital.income_capital_chart().to_dict()["description"]

    monkeypatch.delenv("COURSE_DATA_DIR")
    assert capital.defaults()["harvest"] == 150
    assert capital.stock_explorer().controls["harvest"].value == 150


# ---- bad calls: each message names the argument, the bad value and what is allowed ------------------


@pytest.mark.parametrize("call, error, message", [
    (lambda: capital.maximum_sustainable_yield(2.5, 1000), ValueError, "r=2.5 is not allowed: give a number > 0 and < 2 (1/yr)"),
    (lambda: capital.maximum_sustainable_yield(0.5, 1000, unit="tons"), ValueError, "unit='tons' is ambiguous"),
    (lambda: capital.msy_stock(Q_(0.5, "kg"), 1000), ValueError, "r=0.5 kg is a mass, but it must be a rate (per time)"),
    (lambda: capital.sustainable_yield_curve(0.5, 1000, points=2), ValueError, "points=2 is not allowed: give a whole number between 3 and 100000"),
    (lambda: capital.time_to_collapse(0.5, 1000, -10), ValueError, "harvest=-10 is not allowed: give a number >= 0 (t/yr)"),
    (lambda: capital.time_to_collapse(0.5, 1000, 150, initial=1500), ValueError, "initial=1500 is above the capacity K=1000 t"),
    (lambda: capital.yearly_stock(0.5, 1000, 600, "fixed fraction", 10, initial=500), ValueError,
     "the harvest share per year is 1.2; in the year-by-year model it must be at most 1"),
    (lambda: capital.compare_policies(0.5, 1000, 150, years=2.5), ValueError, "years=2.5 must be a whole number"),
    (lambda: capital.static_index(-1, 10), ValueError, "reserve=-1 is not allowed: give a number >= 0 (t)"),
    (lambda: capital.exponential_index(0, 0.02), ValueError, "static=0 is not allowed: give a number > 0 (yr)"),
    (lambda: capital.exponential_index(31, "3.9%"), TypeError, "growth must be a number (in 1/yr), got '3.9%' (text)"),
    (lambda: capital.reserve_path(31, 0.039, points_per_year=500), ValueError,
     "points_per_year=500 is not allowed: give a whole number between 1 and 100"),
    (lambda: capital.reserve_check(pd.DataFrame({"resource": ["oil"]})), ValueError,
     "table lacks the columns 'static_index', 'growth_rate', 'exponential_index', 'exponential_index_5x'"),
    (lambda: capital.reserve_check([1, 2]), TypeError, "table must be a table (a pandas DataFrame), got list"),
    (lambda: capital.sorting_answer(["air", "unicorns"]), ValueError, "items contains 'unicorns', which is not allowed"),
    (lambda: capital.sorting_answer("air"), TypeError, "items must be a list of names such as ['air'], not the single string 'air'"),
    (lambda: capital.development_group(pd.DataFrame({"country": ["France"]})), ValueError,
     "frame lacks the column 'continent'; it has: 'country'"),
    (lambda: capital.population_growth("trends"), TypeError, "trends must be a table (a pandas DataFrame), got text"),
    (lambda: capital.stock_chart(pd.DataFrame({"year": [0]})), ValueError, "paths lacks the columns 'stock', 'harvest'"),
    (lambda: capital.yield_curve_chart(0.5, 1000, harvest="150"), TypeError, "harvest must be a number (in t/yr), got '150' (text)"),
    (lambda: capital.income_capital_chart(step=-1), ValueError, "step=-1 is not allowed: give a number > 0 and < 10 (year)"),
    (lambda: capital.full_harvest_years(0.5, 1000, -150, initial=500), ValueError,
     "harvest=-150 is not allowed: give a number >= 0 (t/yr)"),
    (lambda: capital.full_harvest_years(0.5, 1000, 150, initial="500"), TypeError,
     "initial must be a number (in t), got '500' (text)"),
    (lambda: capital.policy_summary(0.5, 1000, 150, years=0), ValueError,
     "years=0 is not allowed: give a whole number between 1 and 1000"),
    (lambda: capital.oxygen_lost(14, 21), ValueError,
     "after=21 is above start=14: give the share after the loss, at most the share at the start"),
    (lambda: capital.oxygen_lost(0, 0), ValueError, "start=0 is not allowed: give a number > 0 and < 100 (%)"),
    (lambda: capital.oxygen_lost("21 %", 14), TypeError, "start must be a number (in %), got '21 %' (text)"),
    (lambda: capital.oxygen_lost(21, Q_(14, "kg")), ValueError, "after=14 kg is a mass, but it must be"),
    (lambda: capital.oxygen_lost(21, 14, nitrogen_kept="yes"), TypeError,
     "nitrogen_kept must be True or False, got 'yes' of type str"),
])
def test_bad_calls_say_what_is_wrong_and_what_is_allowed(call, error, message):
    with pytest.raises(error, match=re.escape(message)):
        call()
