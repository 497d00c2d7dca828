"""course_lib.flows: one flow table for every topic — its checks, unit-aware sums, mass balance and drawing."""

import inspect
import math
import subprocess
import sys

import pandas as pd
import pytest

from course_lib import charts, flows
from course_lib.flows import MassBalanceError


def _table(**columns):
    base = {"source": ["mine", "mill", "mill", "mill"], "target": ["mill", "market", "environment", "stock"],
            "material": ["ore", "metal", "dust", "ore"], "value": [10.0, 6.0, 1.0, 3.0], "unit": ["t", "t", "t", "t"]}
    base.update(columns)
    return pd.DataFrame(base)


# ---- The table ---------------------------------------------------------------------------------


@pytest.mark.slow  # a fresh Python
def test_importing_flows_loads_no_altair_until_a_diagram_is_drawn():
    code = ("import sys; import course_lib.flows as f; before = 'altair' in sys.modules; f.check_balance; "
            "after_model = 'altair' in sys.modules; f.flow_diagram; print(before, after_model, 'altair' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "True"]


def test_the_public_names_stay_where_other_topics_find_them():
    for name in ("FLOW_COLUMNS", "validate_flows", "check_balance", "stage_balance", "in_unit", "flow_diagram",
                 "MassBalanceError", "concat", "sankey_layout", "sum_by_unit"):
        assert name in flows.__all__ and name in dir(flows)
    assert flows.FLOW_COLUMNS == ("source", "target", "material", "value", "unit")
    assert MassBalanceError.__module__ == "course_lib.flows" and issubclass(MassBalanceError, ValueError)
    # The keywords other topics call them with.
    assert {"processes", "environment", "stocks", "by", "unit", "rel_tol"} <= set(inspect.signature(flows.check_balance).parameters)
    assert {"title", "description", "source", "color", "colors", "labels", "width", "height", "node_pad", "view_name",
            "footnotes"} <= set(inspect.signature(flows.flow_diagram).parameters)
    assert {"unit", "height", "node_pad", "align", "columns", "order"} <= set(inspect.signature(flows.sankey_layout).parameters)



def _nodes():
    return pd.DataFrame({"id": ["mine", "mill", "market", "environment", "stock"], "label": ["Mine", "Mill", "Market", "Air", "Store"],
                         "kind": ["source", "process", "sink", "environment", "stock"]})


def test_a_flow_set_knows_which_nodes_balance_and_which_receive_losses_and_stock():
    mill = flows.flow_set(_table(), _nodes(), name="mill")
    assert mill.nodes("stock") == ["stock"] and mill.label("environment") == "Air"
    row = mill.balance(unit="t").set_index("stage").loc["mill"]
    assert (row["inputs"], row["outputs"], row["losses"], row["stock_change"]) == (10.0, 6.0, 1.0, 3.0)
    with pytest.raises(MassBalanceError, match="stage 'mill'"):
        flows.flow_set(_table(value=[10.0, 6.0, 1.0, 2.0]), _nodes()).balance()
    with pytest.raises(ValueError, match=r"flows name the node 'mil' \(did you mean 'mill'\?\), which is not in processes"):
        flows.flow_set(_table(source=["mine", "mil", "mill", "mill"]), _nodes())
    with pytest.raises(ValueError, match=r"processes lacks the column 'kind'"):
        flows.flow_set(_table(), _nodes().drop(columns=["kind"]))
    with pytest.raises(ValueError, match=r"node='mil' is not a node id of mill \(did you mean 'mill'\?\)"):
        mill.label("mil")


def test_the_zeri_cascade_and_an_industrial_park_are_the_same_kind_of_flow_set():
    from course_lib import symbiosis, zeri

    cascade, park = zeri.flow_set(), symbiosis.kalundborg()
    assert isinstance(cascade, flows.FlowSet) and isinstance(park, flows.FlowSet)
    assert park.partners is park.processes and park.exchanges is park.flows and park.nodes("environment") == ["lake_tisso"]
    stages = cascade.balance(by="component").query("component == 'all'")["stage"].tolist()
    assert stages == cascade.nodes("process") and cascade.nodes("stock") == ["pond_sediment"]
    doubled = cascade.flows.assign(value=cascade.flows["value"].where(cascade.flows["link"] != "fish_to_market",
                                                                      2 * cascade.flows["value"]))
    with pytest.raises(MassBalanceError, match="fish_pond"):
        flows.flow_set(doubled, cascade.processes).balance(by="component")

def test_validate_flows_returns_a_clean_copy_and_keeps_extra_columns():
    raw = _table(value=["10", 6, 1.0, 3], kind=["a", "b", "c", "d"])
    clean = flows.validate_flows(raw)
    assert clean["value"].dtype == "float64" and clean["value"].tolist() == [10.0, 6.0, 1.0, 3.0]
    assert clean["kind"].tolist() == ["a", "b", "c", "d"]
    assert raw["value"].tolist() == ["10", 6, 1.0, 3]  # the caller's table is not changed


def test_validate_flows_lists_every_problem_with_its_row_and_flow():
    bad = _table(target=["mill", "", "environment", "stock"], value=[10.0, -6.0, math.inf, 3.0],
                 unit=["t", "t", "t", "truckloads"])
    with pytest.raises(ValueError, match=r"^flows has 4 problems:") as info:
        flows.validate_flows(bad)
    lines = str(info.value).splitlines()[1:]
    assert lines[0].startswith("  - row 1 (mill -> , metal), column 'target': the target is empty")
    assert lines[1].startswith("  - row 1 (mill -> , metal), column 'value': -6 is negative")
    assert lines[2] == "  - row 2 (mill -> environment, dust), column 'value': inf is not a finite number"
    assert lines[3].startswith("  - row 3 (mill -> stock, ore), column 'unit': 'truckloads' is not a unit the course knows")


def test_unknown_values_are_allowed_only_when_asked():
    table = _table(value=[10.0, None, 1.0, 3.0], unit=["t", None, "t", "t"])
    with pytest.raises(ValueError, match=r"row 1 .*column 'value': the value is empty"):
        flows.validate_flows(table)
    clean = flows.validate_flows(table, unknown_values=True)
    assert math.isnan(clean.loc[1, "value"]) and clean.loc[1, "unit"] == ""


def test_flow_problems_never_raise_for_bad_cells():
    table = pd.DataFrame({"source": ["a", "a"], "target": ["b", "b"], "material": ["x", ""],
                          "value": ["1200,5", "3"], "unit": ["t", ""]})
    found = [(p.position, p.column) for p in flows.flow_problems(table)]
    assert found == [(0, "value"), (1, "material"), (1, "unit")]


def test_in_unit_converts_every_row():
    table = _table(value=[10.0, 6000.0, 1.0, 3.0], unit=["t", "kg", "t", "t"])
    assert flows.in_unit(table, "kg")["value"].tolist() == [10_000.0, 6_000.0, 1_000.0, 3_000.0]


# ---- Unit-aware sums ---------------------------------------------------------------------------


def test_sum_by_unit_adds_within_a_dimension_and_period_only():
    table = pd.DataFrame({"value": [1.0, 2.0, 500.0, 3.0, None, 4.0], "unit": ["t", "m**3", "kg", "t", None, "MWh"],
                          "period": ["year", "year", "year", "", "year", None]})
    totals = flows.sum_by_unit(table)
    assert totals[["unit_label", "total", "flows"]].values.tolist() == [
        ["t/year", 1.5, 2], ["m³/year", 2.0, 1], ["t", 3.0, 1], ["MWh", 4.0, 1]]
    assert totals["quantity"].tolist() == ["1.5 t/year", "2 m³/year", "3 t", "4 MWh"]
    assert totals.attrs["unquantified"] == 1


def test_sum_by_unit_reads_tonnes_never_short_tons():
    # pint reads "ton" as 907 kg: refused, so nobody loses 9 % silently.
    with pytest.raises(ValueError, match=r"row 1 of flows: flows.unit='tons' is ambiguous: it is the US short ton"):
        flows.sum_by_unit(pd.DataFrame({"value": [1.0, 2.0], "unit": ["t", "tons"]}))


def test_unit_label_writes_a_rate_with_its_period():
    assert [flows.unit_label(u, p) for u, p in [("t", "year"), ("m**3", ""), ("hectare", ""), ("", "year")]] == [
        "t/year", "m³", "ha", ""]


# ---- Mass balance ------------------------------------------------------------------------------


def test_stage_balance_counts_losses_stock_and_ignores_energy_rows():
    table = pd.concat([_table(), pd.DataFrame({"source": ["mill"], "target": ["market"], "material": ["heat"],
                                               "value": [99.0], "unit": ["GJ"]})], ignore_index=True)
    row = flows.check_balance(table, stocks="stock", unit="t").set_index("stage").loc["mill"]
    assert row[["inputs", "outputs", "losses", "stock_change", "imbalance"]].tolist() == [10.0, 6.0, 1.0, 3.0, 0.0]
    assert (row["n_in"], row["n_out"]) == (1, 3)  # the energy row is left out of the mass balance


def test_stage_balance_by_component_and_release_from_stock():
    # b takes 4 kg dry matter and 2 kg water from a and 1 kg dry matter back from its store; it sends
    # 5 kg dry matter to c and 2 kg water to the environment: balanced in total and per component.
    table = pd.DataFrame({"source": ["a", "a", "store", "b", "b"], "target": ["b", "b", "b", "c", "environment"],
                          "material": ["x"] * 5, "value": [4.0, 2.0, 1.0, 5.0, 2.0], "unit": ["kg"] * 5,
                          "component": ["dry", "water", "dry", "dry", "water"]})
    b = flows.check_balance(table, stocks=["store"], by="component").set_index(["stage", "component"])
    assert b.loc[("b", "all"), ["inputs", "outputs", "losses", "stock_change"]].tolist() == [6.0, 5.0, 2.0, -1.0]
    assert b.loc[("b", "dry"), "stock_change"] == -1.0 and b.loc[("b", "water"), "losses"] == 2.0
    # Swap one kilogram from dry matter to water in c's flow: the total still closes, the components do not.
    swapped = pd.concat([table, table.iloc[[3]].assign(value=1.0, component="water")], ignore_index=True)
    swapped.loc[3, "value"] = 4.0
    with pytest.raises(MassBalanceError, match=r"stage 'b' \(component 'dry'\): inputs 4 kg but .* = 3 kg \(1 kg missing, 25% of inputs\)"):
        flows.check_balance(swapped, stocks=["store"], by="component")


def test_check_balance_names_the_stage_and_the_gap():
    with pytest.raises(MassBalanceError, match=r"at stage 'mill': inputs 10,000 kg .* = 9,000 kg \(1,000 kg missing, 10% of inputs\)"):
        flows.check_balance(_table(value=[10.0, 6.0, 1.0, 2.0]), stocks=["stock"])
    with pytest.raises(MassBalanceError, match=r"stage 'mill' has inputs \(10,000 kg\) but no outflows"):
        flows.check_balance(_table().iloc[[0]], processes=["mill"])


# ---- Drawing -----------------------------------------------------------------------------------


def test_sankey_layout_band_widths_follow_values_and_drop_zero_flows():
    nodes, bands = flows.sankey_layout(_table(value=[10.0, 6.0, 0.0, 4.0]), height=100, node_pad=0)
    assert len(bands) == 3 and bands.attrs["unit"] == "t"
    assert bands["width"].tolist() == pytest.approx([100.0, 60.0, 40.0])
    assert nodes.set_index("node").loc["mill", "column"] == 1


def test_flow_diagram_with_views_and_footnotes_is_offline():
    chart = flows.flow_diagram({"all": _table(), "no dust": _table().iloc[[0, 1, 3]]}, title="Ore", description="Ore to metal",
                               source="made up", footnotes=["one note"], labels={"mill": "The mill"})
    spec = charts.check_offline(chart)
    assert spec["params"][0]["bind"]["options"] == ["all", "no dust"]
    texts = next(rows for name, rows in spec["datasets"].items() if name.startswith("flow_labels"))
    assert {"The mill", "one note"} <= {row["text"] for row in texts}
    both = flows.concat(chart, chart, direction="horizontal", title="Twice", description="The same twice", source="made up")
    assert "hconcat" in both.to_dict() and len(both.datasets) == 3


# ---- Bad calls ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: flows.validate_flows("flows.csv"), TypeError, r"flows must be a flow table \(a pandas DataFrame"),
        (lambda: flows.validate_flows(_table().drop(columns="unit")), ValueError, r"flows lacks column\(s\) \['unit'\]"),
        (lambda: flows.validate_flows(_table(), unknown_values="yes"), TypeError, "unknown_values must be True or False"),
        (lambda: flows.in_unit(_table(), "tons"), ValueError, "unit='tons' is ambiguous"),
        (lambda: flows.in_unit(_table(), "m**3"), ValueError, r"flows mixes units: 't' \(a mass\) cannot be converted to 'm\*\*3' \(a volume\)"),
        (lambda: flows.sum_by_unit([1, 2]), TypeError, r"flows must be a table \(a pandas DataFrame\), got list"),
        (lambda: flows.sum_by_unit(pd.DataFrame({"value": [1.0]})), ValueError, "flows lacks the column 'unit'"),
        (lambda: flows.sum_by_unit(pd.DataFrame({"value": [1.0], "unit": ["bananas"]})), ValueError,
         r"row 0 of flows: flows.unit='bananas' is not a unit the course knows"),
        (lambda: flows.sum_by_unit(pd.DataFrame({"value": ["3"], "unit": ["t"]})), TypeError,
         r"row 0 of flows: flows.value must be a number, got '3' \(text\)"),
        (lambda: flows.sum_by_unit(pd.DataFrame({"value": [-3.0], "unit": ["t"]})), ValueError,
         r"flows.value=-3.0 is not allowed: give a number >= 0"),
        (lambda: flows.sum_by_unit(pd.DataFrame({"value": [3.0], "unit": [""]})), ValueError, "flows.unit is empty, but the value is 3"),
        (lambda: flows.sum_by_unit(pd.DataFrame({"value": [3.0], "unit": ["t"], "period": ["yearly"]})), ValueError,
         r"flows.period='yearly' is not allowed \(did you mean 'year'\?\)"),
        (lambda: flows.stage_balance(_table(), unit="m**3"), ValueError, r"unit='m\*\*3' is a volume, but it must be a mass"),
        (lambda: flows.stage_balance(_table(), by="compnent"), ValueError, r"by='compnent' is not allowed"),
        (lambda: flows.stage_balance(_table(), processes=["mil"]), ValueError, r"processes \['mil'\] do not appear in flows \(did you mean 'mill'\?\)"),
        (lambda: flows.stage_balance(_table(), stocks=[3]), TypeError, "stocks must contain names"),
        (lambda: flows.check_balance(_table(), rel_tol=5), ValueError, "rel_tol=5 is a share and must lie between 0 and 1"),
        (lambda: flows.sankey_layout(_table(), align="middle"), ValueError, r"align='middle' is not allowed; choose one of: 'left', 'center', 'justify'"),
        (lambda: flows.sankey_layout(_table(), height="400"), TypeError, r"height must be a number, got '400' \(text\)"),
        (lambda: flows.sankey_layout(_table(), samples=1), ValueError, "samples=1 is not allowed: give a whole number >= 2"),
        (lambda: flows.sankey_layout(_table(), order="mill"), TypeError, r"order must be a list of names such as \['mill'\]"),
        (lambda: flows.sankey_layout(_table(), columns={"mil": 1}), ValueError, r"columns names node 'mil'.*\(did you mean 'mill'\?\)"),
        (lambda: flows.flow_diagram(_table(), title="t", description="d", source="s", color="kind"), ValueError,
         r"color='kind' is not allowed; choose one of: 'source'"),
        (lambda: flows.flow_diagram(_table(), title="t", description="d", source="s", colors={"slag": "#000"}), ValueError,
         r"colors names \['slag'\], which are not values of flows\['material'\]"),
        (lambda: flows.flow_diagram(_table(), title="", description="d", source="s"), ValueError, "title must not be empty"),
        (lambda: flows.concat(direction="diagonal"), ValueError, r"direction='diagonal' is not allowed"),
        (lambda: flows.concat("chart"), TypeError, "charts must be Altair charts, got str"),
    ],
)
def test_bad_calls_say_what_is_wrong_and_what_is_allowed(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()
