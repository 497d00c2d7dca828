"""Tests of the ZERI cascade model (course_lib.zeri) and the flow tools (course_lib.flows)."""

from __future__ import annotations

import json
import math
import shutil

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from course_lib import charts, data, exercises, flows, formats, zeri
from course_lib.flows import MassBalanceError, check_balance
from course_lib.units import Q_, ureg
from tests import seed_passages as seed


@pytest.fixture(scope="module")
def table():
    return data.parameters("zeri_parameters")


@pytest.fixture(scope="module")
def p(table):
    """Defaults read straight from the CSV, for independent arithmetic in the tests."""
    return table["value"].to_dict()


# ---- Datasets ----------------------------------------------------------------------------------


def test_every_parameter_has_basis_source_unit_and_a_range(table):
    assert set(table["basis"]) <= set(data.BASES)
    assert table["source"].str.len().min() > 20
    for name, row in table.iterrows():
        ureg.Unit(row["unit"])  # a pint unit string
        assert row["low"] <= row["value"] <= row["high"], name
        if row["role"] == "constant":
            assert row["low"] == row["high"] == row["value"], name
        if not pd.isna(row["maximum"]):
            assert row["high"] <= row["maximum"], name
        assert row["low"] >= (0 if pd.isna(row["minimum"]) else row["minimum"]), name


def test_grade_b_facts_are_flagged_as_such(table):
    # Reference-facts grade B (spent grain per hL, moisture, water use, biogas methane share) carry the caveat.
    for name in ("bsg_per_hl", "bsg_moisture", "water_use_hl_per_hl", "biogas_ch4_share"):
        assert "grade B" in table.loc[name, "source"], name
        assert table.loc[name, "low"] < table.loc[name, "high"], name


def test_links_connect_known_stages_and_seed_links_quote_the_article():
    stages = data.load("zeri_stages").set_index("id")
    links = data.load("zeri_links")
    assert set(links["from_node"]) | set(links["to_node"]) <= set(stages.index)
    seeded = links[links["basis"] == "seed"]
    assert len(seeded) >= 12
    assert seeded["evidence"].notna().all()
    assert set(links.loc[links["stated"] == "model", "basis"]) == {"assumption"}
    # The evidence must be the article's own words (its passages in tests/seed_passages.toml).
    printed = [seed.normalised(p) for p in seed.quoted("zeri.evidence")]
    for evidence in pd.concat([seeded["evidence"], stages["evidence"].dropna()]):
        for sentence in evidence.split(". "):
            assert any(seed.normalised(sentence.strip().rstrip(".")) in p for p in printed), sentence


def test_model_uses_exactly_the_links_of_the_dataset():
    links = data.load("zeri_links")
    cascade = set(links.loc[links["scenario"] == "cascade", "id"])
    linear = set(links.loc[links["scenario"] == "linear", "id"])
    assert set(zeri.run_cascade(100)["link"]) == cascade
    assert set(zeri.run_linear(100)["link"]) == linear


def test_datasets_are_in_the_data_package():
    names = set(data.datasets()["name"])
    assert {"zeri_stages", "zeri_links", "zeri_parameters"} <= names
    assert "Wong-Swanson" in data.cite("zeri_links")


# ---- Figures derived independently -------------------------------------------------------------


def _value(frame, link, component="dry matter"):
    rows = frame[(frame["link"] == link) & (frame["component"] == component)]
    return rows["value"].sum()


def test_brewery_streams(p):
    f = zeri.run_cascade(100)
    wet = 100 * p["bsg_per_hl"]
    spent = f[f["link"].str.startswith("bsg_to")]
    assert spent["value"].sum() == pytest.approx(wet)
    assert spent.loc[spent["component"] == "dry matter", "value"].sum() == pytest.approx(wet * (1 - p["bsg_moisture"]))
    # 100 hL x 5 hL/hL x 0.7 = 350 hL = 35 m3 of wastewater = 35,000 kg at 1 kg/L.
    m3 = 100 * p["water_use_hl_per_hl"] * p["wastewater_share"] / 10
    ww = f[f["link"] == "wastewater_to_digester"]["value"].sum()
    assert ww == pytest.approx(m3 * p["water_density"])


def test_shipped_defaults_give_the_hand_computed_figures():
    # With the shipped CSV: 2,000 kg wet spent grain, 500 kg dry; substrate 150 + 150 kg dry;
    # mushrooms 0.191 x 300 = 57.3 kg (Wang et al. 2001); wastewater COD 35 m3 x 6 kg/m3 = 210 kg.
    c = zeri.compare_linear_vs_cascade(100).set_index("outcome")
    assert c.loc["landfill", "linear"] == pytest.approx(2000)
    assert c.loc["mushrooms", "cascade"] == pytest.approx(57.3)
    assert c.loc["discharged_solids", "linear"] == pytest.approx(210 / 1.2)
    assert c.loc["discharged_organic", "linear"] == pytest.approx(210 / 1.2)  # wastewater carries no minerals
    # Methane: wastewater 210 x 0.835 x 22.414/64 m3 + manure (300 + 210) x 0.4 x 0.8 x 0.29 m3 (the
    # spent substrate passes through the animals to the manure even though they cannot grow on it).
    m3 = 210 * 0.835 * 22.414 / 64 + 510 * 0.4 * 0.8 * 0.29
    assert c.loc["methane", "cascade"] == pytest.approx(m3, rel=1e-6)
    kwh = m3 * 16.04 / 22.414 * 50.0 / 3.6
    assert c.loc["methane_energy", "cascade"] == pytest.approx(kwh, rel=1e-6)
    # Meat: only the 300 kg of spent grain fed directly count (sms_feed_share 0: pigs cannot grow on straw).
    assert c.loc["meat", "cascade"] == pytest.approx(300 / 4)


def test_the_pond_water_still_carries_most_of_the_dry_matter(p):
    """The outflow the article calls purified, worked by hand: digester inputs minus biogas minus the
    nitrogen the algae take up; its organic part leaves out the manure's ash."""
    f = zeri.run_cascade(100)
    manure = _value(f, "manure_to_digester")
    wastewater = _value(f, "wastewater_to_digester")
    biogas = _value(f, "methane_to_use") + _value(f, "biogas_co2")
    nitrogen = _value(f, "algae_to_pond") * p["algae_n_content"]
    out = manure + wastewater - biogas - nitrogen
    assert _value(f, "pond_water_out") == pytest.approx(out)
    c = zeri.compare_linear_vs_cascade(100).set_index("outcome")
    assert c.loc["discharged_solids", "cascade"] == pytest.approx(out)
    assert c.loc["discharged_organic", "cascade"] == pytest.approx(out - manure * (1 - p["manure_vs"]))
    # With the shipped data the cut in dry matter is small (about 13 %), in organic matter larger (about 37 %).
    assert 0.10 < 1 - c.loc["discharged_solids", "cascade"] / c.loc["discharged_solids", "linear"] < 0.16
    assert 0.33 < 1 - c.loc["discharged_organic", "cascade"] / c.loc["discharged_organic", "linear"] < 0.41
    links = data.load("zeri_links").set_index("id")
    assert "purified" not in links.loc["pond_water_out", "material"]


def test_biogas_cannot_outweigh_the_organic_matter():
    with pytest.raises(ValueError, match="biogas .* would weigh more than the organic matter"):
        zeri.run_cascade(biogas_ch4_share=0.3, cod_per_dm=1.0, manure_vs=0.05)


def test_methane_energy_uses_pint_and_the_heating_value(p):
    f = zeri.run_cascade(100)
    kg = _value(f, "methane_to_use")
    kwh = _value(f, "methane_to_use", "energy")
    assert kwh == pytest.approx((Q_(kg, "kg") * Q_(p["ch4_lhv"], "MJ/kg")).to("kWh").magnitude)


def test_fish_follow_the_nitrogen_chain(p):
    f = zeri.run_cascade(100)
    feed_direct = 500 * (1 - p["share_bread"] - p["share_mushroom"])
    substrate_bsg = 500 * p["share_mushroom"]
    straw = substrate_bsg * p["straw_per_bsg"]
    substrate = substrate_bsg + straw
    mush_dm = p["mushroom_be"] * substrate * (1 - p["mushroom_moisture"])
    n_sms = (substrate_bsg * p["bsg_protein"] + straw * p["straw_protein"] - mush_dm * p["mushroom_protein"]) / 6.25
    n_feed = feed_direct * p["bsg_protein"] / 6.25 + n_sms
    algae = n_feed * (1 - p["n_retention"]) * p["algae_n_uptake"] / p["algae_n_content"]
    assert _value(f, "algae_to_pond") == pytest.approx(algae)
    fish = algae * p["trophic_efficiency"] / p["fish_dry_matter"]
    c = zeri.outcomes(f).set_index("outcome")
    assert c.loc["fish", "value"] == pytest.approx(fish)


def test_flows_scale_with_beer_volume():
    a, b = zeri.run_cascade(100), zeri.run_cascade(250)
    assert (b["value"].to_numpy() == pytest.approx(2.5 * a["value"].to_numpy()))
    assert zeri.run_cascade(0)["value"].sum() == 0


# ---- Mass balance ------------------------------------------------------------------------------


def test_every_stage_balances_in_total_and_per_component():
    b = zeri.balance(zeri.run_cascade(100))
    assert set(b["component"]) == {"all", "dry matter", "water"}
    assert (b["relative"] < 1e-12).all()
    pond = b[(b["stage"] == "fish_pond") & (b["component"] == "all")].iloc[0]
    assert pond["stock_change"] > 0  # sediment accumulates
    assert pond["inputs"] == pytest.approx(pond["outputs"] + pond["losses"] + pond["stock_change"])


def test_a_deliberately_unbalanced_flow_table_raises():
    f = zeri.run_cascade(100)
    broken = f.copy()
    i = broken.index[(broken["link"] == "manure_to_digester") & (broken["component"] == "dry matter")][0]
    broken.loc[i, "value"] *= 1.01  # livestock now sends out more than it takes in
    with pytest.raises(MassBalanceError, match="livestock"):
        zeri.balance(broken)
    vanished = f[f["source"] != "fish_pond"]  # the pond keeps everything: no outflow at all
    with pytest.raises(MassBalanceError, match="fish_pond.*no outflows"):
        zeri.balance(vanished)


def test_the_plain_rows_check_refuses_what_the_flow_table_check_refuses():
    """run_cascade and the exercises check the model's rows with plain floats (_cascade.check_rows):
    each broken table below is refused by both checks, at the same stage."""
    from course_lib.zeri import _cascade

    rows = _cascade.compute(*_cascade.resolve(100, {}))
    more_manure = [(link, c, v * 1.01 if (link, c) == ("manure_to_digester", "dry matter") else v) for link, c, v in rows]
    no_pond_out = [r for r in rows if _cascade.tables()["links"][r[0]]["from_node"] != "fish_pond"]
    more_water = [(link, c, v + 1.0 if (link, c) == ("water_added_mushrooms", "water") else v) for link, c, v in rows]
    for broken, stage in [(more_manure, "livestock"), (no_pond_out, "fish_pond"), (more_water, "mushroom_farm")]:
        with pytest.raises(MassBalanceError, match=stage):
            zeri.balance(zeri.model._frame(broken, "cascade"))
        with pytest.raises(MassBalanceError, match=stage):
            _cascade.check_rows(broken)
    negative = [(link, c, -v if link == "fish_to_market" else v) for link, c, v in rows]
    with pytest.raises(ValueError, match="negative flow at link 'fish_to_market'"):
        _cascade.check_rows(negative)
    assert _cascade.check_rows(rows) == rows


@pytest.mark.parametrize("beer, params", [
    (None, {}),
    (37.5, {"share_bread": 0.1, "share_mushroom": 0.6, "mushroom_be": 0.4}),
    (2500, {"wastewater_cod": 0.0, "trophic_efficiency": 0.2, "bsg_moisture": 0.85}),
    (100, {"share_bread": 0.0, "share_mushroom": 1.0, "straw_per_bsg": 2.0, "feed_per_gain": 6.0}),
    (12, {"share_bread": 0.5, "share_mushroom": 0.0, "flour_moisture": 0.02, "algae_n_content": 0.12}),
])
def test_the_plain_path_gives_the_dataframe_path_figures_to_the_last_digit(beer, params):
    """The exercises' answers come from _cascade.checked_rows/checked_outcomes (floats); the notebook
    shows run_cascade and compare_linear_vs_cascade (DataFrames): the same numbers, exactly."""
    from course_lib.zeri import _cascade

    hl, p = _cascade.resolve(beer, params)
    flows = zeri.run_cascade(beer, **params)
    assert list(zip(flows["link"], flows["component"], flows["value"])) == _cascade.checked_rows(hl, p)
    table = zeri.compare_linear_vs_cascade(beer, **params).set_index("outcome")
    for scenario in ("linear", "cascade"):
        assert _cascade.checked_outcomes(hl, p, scenario) == table[scenario].to_dict(), scenario


def test_check_balance_on_a_hand_made_table():
    t = pd.DataFrame({
        "source": ["mine", "mill", "mill", "mill", "mill"],
        "target": ["mill", "market", "environment", "stock", "market"],
        "material": ["ore", "metal", "dust", "ore", "heat"],
        "value": [10.0, 6.0, 1.0, 3.0, 99.0],
        "unit": ["t", "t", "t", "t", "GJ"],  # energy rows do not enter the mass balance
    })
    b = check_balance(t, stocks="stock").iloc[0]
    assert (b["inputs"], b["outputs"], b["losses"], b["stock_change"]) == (10000, 6000, 1000, 3000)
    with pytest.raises(MassBalanceError, match="1,000 kg missing"):
        check_balance(t.assign(value=[10.0, 6.0, 1.0, 2.0, 99.0]), stocks="stock")
    with pytest.raises(MassBalanceError, match="too much"):
        check_balance(t.assign(value=[10.0, 8.0, 1.0, 3.0, 99.0]), stocks="stock")


def _in_range_parameters():
    t = data.parameters("zeri_parameters")
    t = t[(t["role"] == "parameter") & (t["low"] < t["high"])]
    return st.fixed_dictionaries({name: st.floats(row["low"], row["high"]) for name, row in t.iterrows()})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(params=_in_range_parameters(), beer=st.floats(1, 1e5))
def test_property_any_parameters_in_range_balance_every_stage(params, beer):
    f = zeri.run_cascade(beer, **params)  # raises if any stage does not close
    assert (f["value"] >= 0).all()
    b = check_balance(f, processes=["bakery", "mushroom_farm", "livestock", "biodigester", "algae_basins", "fish_pond"],
                      stocks="pond_sediment", by="component", rel_tol=1e-9)
    assert (b["relative"] <= 1e-9).all()


# ---- Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs, message", [
    ({"share_bread": 0.6, "share_mushroom": 0.5}, r"share_bread \+ share_mushroom = 0.6 \+ 0.5 = 1.1 exceeds 1"),
    ({"mushroom_be": 2.0}, r"mushroom_be=2.0 is not allowed: give a number between 0 and 1.5 \(kg/kg\) \(Biological "
                           r"efficiency.*; plausible: 0.05 to 0.985\)"),
    ({"bsg_moisture": 1.2}, r"bsg_moisture=1.2 is not allowed: give a number between 0 and 0.99 \(Water share"),
    ({"cod_removal": -0.1}, r"cod_removal=-0.1 is not allowed: give a number between 0 and 1 \(Share of wastewater COD"),
    ({"trophic_efficiency": 1.5}, r"trophic_efficiency=1.5 is not allowed: .*\(Fish dry matter.*; plausible: 0.05 to 0.2\)"),
    ({"flour_moisture": 0.9}, r"flour_moisture=0.9 exceeds bsg_moisture"),
    ({"mushroom_be": 1.4, "mushroom_moisture": 0.5}, r"more than substrate_dm_loss"),
    ({"feed_per_gain": 0.5}, r"animals cannot keep more than they digest"),
    ({"mushroom_bee": 0.2}, r"'mushroom_bee' is not a parameter of run_cascade \(did you mean 'mushroom_be'\?\); the parameters are: .*share_bread"),
    ({"beer_hl": 10, "beer_hl_": 5}, r"'beer_hl_' is not a parameter of run_cascade"),
    ({"ch4_lhv": 55.5}, r"ch4_lhv is fixed in datasets/zeri_parameters \(50 MJ/kg: Lower heating value of methane\), not a parameter"),
    ({"beer_hl": -1}, r"beer_hl=-1 is not allowed: give a number >= 0 \(hL\)"),
    ({"beer_hl": Q_(2, "kg")}, r"beer_hl=2 kg is a mass, but it must be a volume"),
    ({"share_bread": float("nan")}, r"share_bread=nan is not a finite number"),
])
def test_bad_parameters_raise_clear_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        zeri.run_cascade(**kwargs)


@pytest.mark.parametrize("kwargs, message", [
    ({"share_bread": "0.1"}, r"share_bread must be a number, got '0.1' \(text\); write it without quotes: 0.1"),
    ({"mushroom_be": True}, r"mushroom_be must be a number \(in kg/kg\), got True of type True/False"),
    ({"beer_hl": None, "bsg_per_hl": [20]}, r"bsg_per_hl must be a number \(in kg/hL\), got \[20\] of type list"),
    ({"beer_hl": "100"}, r"beer_hl must be a number \(in hL\), got '100' \(text\)"),
])
def test_wrong_types_raise_type_errors(kwargs, message):
    with pytest.raises(TypeError, match=message):
        zeri.run_cascade(**kwargs)


def test_parameters_accept_quantities_in_compatible_units():
    base = zeri.compare_linear_vs_cascade(100).set_index("outcome")["cascade"]
    same = zeri.compare_linear_vs_cascade(Q_(10, "m**3"), bsg_per_hl=Q_(0.2, "kg/L")).set_index("outcome")["cascade"]
    assert same.to_numpy() == pytest.approx(base.to_numpy())


def test_nitrogen_cannot_be_created():
    with pytest.raises(ValueError, match="more nitrogen"):
        zeri.run_cascade(mushroom_be=1.4, substrate_dm_loss=0.5, bsg_protein=0.02, straw_protein=0.0, straw_per_bsg=5)


@pytest.mark.parametrize("call, error, message", [
    (lambda: zeri.sensitivity("beer"), ValueError, r"outcome='beer' is not allowed; choose one of: 'landfill', .*'fish'"),
    (lambda: zeri.sensitivity("fsh"), ValueError, r"outcome='fsh' is not allowed \(did you mean 'fish'\?\)"),
    (lambda: zeri.sensitivity(3), TypeError, r"outcome must be one of 'landfill'.* got 3 of type int"),
    (lambda: zeri.sensitivity("fish", share_bread=0.9, share_mushroom=0.5), ValueError, r"share_bread \+ share_mushroom"),
    (lambda: zeri.balance("not a table"), TypeError, r"flows must be a table \(a pandas DataFrame\), got text"),
    (lambda: zeri.balance(zeri.run_cascade(), rel_tol=-1), ValueError, r"rel_tol=-1 is not allowed: give a number between 0 and 1"),
    (lambda: zeri.outcomes(pd.DataFrame({"source": ["a"]})), ValueError, r"flows lacks the columns 'target', .*'kind', 'component'"),
    (lambda: zeri.outcomes([1, 2]), TypeError, r"flows must be a table \(a pandas DataFrame\), got list"),
    (lambda: zeri.key_parameters(0), ValueError, r"k=0 is not allowed: give a whole number >= 1"),
    (lambda: zeri.key_parameters(2.5), ValueError, r"k=2.5 must be a whole number"),
    (lambda: zeri.key_parameters(2, "fish"), TypeError, r"outcomes_to_rank must be a list of names such as \['fish'\], not the single string 'fish'"),
    (lambda: zeri.key_parameters(2, ["fish", "beer"]), ValueError, r"outcomes_to_rank contains 'beer', which is not allowed; allowed: 'landfill'"),
    (lambda: zeri.key_parameters(2, []), ValueError, r"outcomes_to_rank must name at least one item"),
    (lambda: zeri.diagram_views(zeri.run_cascade(), views="dry matter"), TypeError,
     r"views must be a list of names such as \['dry matter'\], not the single string 'dry matter'"),
    (lambda: zeri.diagram_views(zeri.run_cascade(), views=["dry mater"]), ValueError,
     r"views contains 'dry mater', which is not allowed \(did you mean 'dry matter'\?\)"),
    (lambda: zeri.diagram_views(zeri.run_cascade().drop(columns="component")), ValueError, r"flows lacks the column 'component'"),
    (lambda: zeri.tornado_chart(pd.DataFrame()), ValueError, r"frame lacks the columns 'parameter', 'unit'"),
    (lambda: zeri.tornado_chart(_no_attrs(zeri.sensitivity("fish"))), ValueError, r"frame must be the table returned by sensitivity\(\)"),
    (lambda: zeri.tornado_chart(zeri.sensitivity("fish"), top="3"), TypeError, r"top must be a number, got '3' \(text\)"),
    (lambda: zeri.comparison_chart(pd.DataFrame({"outcome": ["x"]})), ValueError, r"table lacks the columns 'label', 'unit', 'linear', 'cascade'"),
    (lambda: zeri.cascade_diagram(title=5), TypeError, r"title must be text, got 5 of type int"),
    (lambda: zeri.cascade_diagram(height=10.5), ValueError, r"height=10.5 must be a whole number"),
    (lambda: zeri.cascade_explorer(controls=("ch4_lhv",)), ValueError, r"controls contains 'ch4_lhv', which is not allowed"),
    (lambda: zeri.cascade_explorer(controls="mushroom_be"), TypeError,
     r"controls must be a list of names such as \['mushroom_be'\], not the single string 'mushroom_be'"),
    (lambda: zeri.cascade_explorer(controls=["mushroom_bee"]), ValueError, r"controls contains 'mushroom_bee'.*did you mean 'mushroom_be'"),
])
def test_bad_calls_say_what_is_wrong(call, error, message):
    with pytest.raises(error, match=message):
        call()


def _no_attrs(frame):
    frame.attrs = {}
    return frame


def test_diagram_views_takes_one_view_as_a_list():
    # The string "dry matter" once was iterated letter by letter; a one-view list works.
    views = zeri.diagram_views(zeri.run_cascade(100), ["dry matter"])
    assert list(views) == ["dry matter"]
    assert set(views["dry matter"]["component"]) == {"dry matter"}
    fresh = zeri.diagram_views(zeri.run_cascade(100), ("fresh mass (with water)",))["fresh mass (with water)"]
    assert fresh["value"].sum() == pytest.approx(zeri.run_cascade(100).query("component != 'energy'")["value"].sum())


def test_parameters_table_has_the_unified_layout():
    t = zeri.parameters()
    assert tuple(t.columns[:10]) == data.PARAMETER_FIELDS
    assert {"stage", "role", "basis", "source"} <= set(t.columns)
    assert "default" not in t.columns
    assert zeri.defaults() == t.loc[t["role"] == "parameter"].set_index("name")["value"].to_dict()


def test_an_adapted_data_folder_changes_the_defaults_and_the_model(tmp_path, monkeypatch):
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    csv = folder / "zeri_parameters.csv"
    table = pd.read_csv(csv, keep_default_na=False, dtype=str)
    table.loc[table["name"] == "bsg_per_hl", "value"] = "25"
    table.to_csv(csv, index=False)
    assert zeri.defaults()["bsg_per_hl"] == 20  # cached for the shipped folder first
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    assert zeri.defaults()["bsg_per_hl"] == 25
    f = zeri.run_cascade(100)
    assert f.loc[f["link"].str.startswith("bsg_to"), "value"].sum() == pytest.approx(2500)
    assert zeri.sensitivity("mushrooms").iloc[0]["outcome_default"] == pytest.approx(0.191 * 2500 * 0.25 * 0.3 * 2)
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert zeri.defaults()["bsg_per_hl"] == 20
    f = zeri.run_cascade(100)
    assert f.loc[f["link"].str.startswith("bsg_to"), "value"].sum() == pytest.approx(2000)


# ---- Comparison and sensitivity ----------------------------------------------------------------


def test_compare_linear_vs_cascade_columns_and_signs():
    c = zeri.compare_linear_vs_cascade(100)
    assert list(c.columns) == ["outcome", "label", "unit", "linear", "cascade", "change"]
    c = c.set_index("outcome")
    assert c.loc["landfill", "cascade"] == 0
    for product in ("bread", "mushrooms", "meat", "fish", "methane_energy"):
        assert c.loc[product, "linear"] == 0 and c.loc[product, "cascade"] > 0
    assert c.loc["discharged_solids", "cascade"] < c.loc["discharged_solids", "linear"]
    assert c.loc["discharged_organic", "cascade"] < c.loc["discharged_solids", "cascade"]


def test_sensitivity_ranks_by_swing_with_independent_figures(table):
    s = zeri.sensitivity("mushrooms")
    assert list(s["swing"]) == sorted(s["swing"], reverse=True)
    top = s.iloc[0]
    assert top["parameter"] == "mushroom_be"
    substrate = 500 * table.loc["share_mushroom", "value"] * (1 + table.loc["straw_per_bsg", "value"])
    assert top["swing"] == pytest.approx((table.loc["mushroom_be", "high"] - table.loc["mushroom_be", "low"]) * substrate)
    assert "ch4_lhv" not in set(s["parameter"])  # constants are not varied
    # Parameters downstream of the mushrooms cannot move them.
    assert s.set_index("parameter").loc["trophic_efficiency", "swing"] == 0


def test_key_parameters_come_from_the_sensitivity_analysis():
    keys = zeri.key_parameters(4)
    assert len(keys) == 4 and "mushroom_be" in keys


# ---- Charts ------------------------------------------------------------------------------------


def test_cascade_diagram_is_offline_and_has_two_views():
    chart = zeri.cascade_diagram()
    spec = charts.check_offline(chart)
    assert spec["params"][0]["bind"]["options"] == ["dry matter", "fresh mass (with water)"]
    bands = next(v for k, v in spec["datasets"].items() if k.startswith("flow_bands"))
    assert {b["view"] for b in bands} == {"dry matter", "fresh mass (with water)"}
    assert all(b["path"].startswith("M") and b["path"].endswith("Z") for b in bands)
    assert len(json.dumps(spec, indent=1)) < 60_000  # small enough to store in the notebook


def test_diagram_renders_offline_with_vl_convert(tmp_path):
    path = charts.save(zeri.cascade_diagram(), tmp_path / "zeri.svg")
    svg = path.read_text(encoding="utf-8")
    assert "<path" in svg and "Biodigester" in svg and "Fish pond" in svg


def test_comparison_and_tornado_charts():
    charts.check_offline(zeri.comparison_chart())
    t = zeri.tornado_chart(zeri.sensitivity("fish"), top=5)
    spec = charts.check_offline(t)
    # Fish are proportional to the trophic efficiency: its range 0.05 to 0.2 halves and doubles the default 0.1.
    fish = zeri.compare_linear_vs_cascade(100).set_index("outcome").loc["fish", "cascade"]
    low, high = formats.number(fish / 2), formats.number(fish * 2)
    assert f"Largest swing: trophic_efficiency ({low} to {high} kg)." in spec["description"]


# ---- Flow layout (reusable for Kalundborg) -----------------------------------------------------


def _simple():
    return pd.DataFrame({
        "source": ["a", "a", "b", "c"], "target": ["b", "c", "d", "d"], "material": ["x", "y", "x", "y"],
        "value": [3.0, 1.0, 3.0, 1.0], "unit": ["t", "t", "t", "t"],
    })


def test_layout_widths_follow_values_and_nodes_balance():
    nodes, bands = flows.sankey_layout(_simple(), height=200, node_pad=0)
    nodes = nodes.set_index("node")
    assert bands.attrs["unit"] == "t"
    ky = (nodes.loc["a", "y1"] - nodes.loc["a", "y0"]) / 4
    assert bands["width"].tolist() == pytest.approx([3 * ky, ky, 3 * ky, ky])
    assert list(nodes["column"]) == [0, 1, 1, 2]
    for polygon in bands["polygon"]:
        assert polygon[0] == polygon[-1]  # closed
    # The SVG path starts at the source's right edge and closes.
    a_right = nodes.loc["a", "x1"]
    assert bands["path"].iloc[0].startswith(f"M{a_right:.1f},") and bands["path"].iloc[0].endswith("Z")


def test_layout_converts_units_and_refuses_to_mix_dimensions():
    f = _simple()
    f.loc[0, ["value", "unit"]] = [3000.0, "kg"]
    _, bands = flows.sankey_layout(f, unit="t")
    assert bands["value"].tolist() == pytest.approx([3, 1, 3, 1])
    f.loc[1, "unit"] = "m**3"
    with pytest.raises(ValueError, match="mixes units"):
        flows.sankey_layout(f)


def test_layout_handles_a_cycle():
    # Kalundborg-like: steam one way, water back.
    f = pd.DataFrame({"source": ["power", "refinery"], "target": ["refinery", "power"],
                      "material": ["steam", "water"], "value": [5.0, 2.0], "unit": ["GJ", "GJ"]})
    nodes, bands = flows.sankey_layout(f)
    assert len(bands) == 2 and nodes["column"].nunique() == 2


@pytest.mark.parametrize("bad, message", [
    (pd.DataFrame({"source": ["a"], "target": ["b"], "value": [1.0], "unit": ["kg"]}), "lacks column"),
    (pd.DataFrame({"source": ["a"], "target": [""], "material": ["x"], "value": [1.0], "unit": ["kg"]}), "target is empty"),
    (pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"], "value": [math.inf], "unit": ["kg"]}), "finite"),
    (pd.DataFrame({"source": ["a"], "target": ["b"], "material": ["x"], "value": [1.0], "unit": ["bananas"]}), "not a unit"),
])
def test_validate_flows_rejects_bad_tables(bad, message):
    with pytest.raises(ValueError, match=message):
        flows.validate_flows(bad)


def test_validate_flows_type_and_options():
    with pytest.raises(TypeError, match=r"flows must be .*list"):
        flows.validate_flows([("a", "b")])
    with pytest.raises(ValueError, match="align"):
        flows.sankey_layout(_simple(), align="middle")
    with pytest.raises(ValueError, match="colors names"):
        flows.flow_diagram(_simple(), title="t", description="d", source="s", colors={"z": "#000"})


def test_flow_diagram_single_view_is_offline():
    chart = flows.flow_diagram(_simple(), title="Four flows", description="a to d via b and c", source="made up")
    spec = charts.check_offline(chart)
    assert "params" not in spec
    both = flows.concat(chart, chart)
    assert "datasets" in both.to_dict()


# ---- Explorer and exercises --------------------------------------------------------------------


def test_explorer_builds_without_arguments_and_redraws():
    box = zeri.cascade_explorer()
    assert {"beer_hl", "share_bread", "share_mushroom", "view"} <= set(box.controls)
    assert len(box.controls) >= 7
    for value in (0.1, 0.3, 0.5, 0.2, 0.4):
        box.controls["share_mushroom"].value = value
        charts.check_offline(box.result)
    mushrooms = zeri.compare_linear_vs_cascade(100, share_mushroom=0.4).set_index("outcome").loc["mushrooms", "cascade"]
    assert f"Fresh mushrooms: 0 → {mushrooms:.1f} kg" in box.result.to_dict()["description"]
    box.controls["share_bread"].value = 0.3
    box.controls["share_mushroom"].value = 0.6
    assert isinstance(box.result, str) is False  # 0.3 + 0.6 <= 1 still fine
    box.controls["view"].value = "fresh mass (with water)"
    assert "fresh mass" in box.result.to_dict()["title"]["text"]


def test_explorer_says_when_shares_exceed_one():
    box = zeri.cascade_explorer(controls=("share_bread", "share_mushroom"))
    box.controls["share_bread"].max = 1.0
    box.controls["share_bread"].value = 0.6
    box.controls["share_mushroom"].value = 0.6
    assert isinstance(box.result, str) and "exceeds 1" in box.result


# The students the exercise tests look at: the default variant (what the committed notebook shows) and a few identities.
STUDENTS = [None, "alice", "bob", "student-007", "student-013"]


def _hand(qid, student, table):
    """A zeri question's answer for ``student``, worked by hand from the variant and the parameter
    table (the table's defaults for everything the variant does not set), not from the model."""
    v = exercises.variant(qid, student)
    d = table["value"].to_dict()
    s = {name: v.quantity(name).to("").magnitude if v.unit(name) in ("g/kg", "kg/t") else v[name] for name in v}
    if qid == "zeri.bsg_dry_matter":
        return s["beer_hl"] * s["bsg_per_hl"] * (1 - s["bsg_moisture"])
    if qid == "zeri.bakery_water":
        wet = s["beer_hl"] * d["bsg_per_hl"] * s["share_bread"]
        dry, water = wet * (1 - s["bsg_moisture"]), wet * s["bsg_moisture"]
        return water - dry * s["flour_moisture"] / (1 - s["flour_moisture"])
    if qid == "zeri.mushroom_harvest":
        grain = s["beer_hl"] * d["bsg_per_hl"] * (1 - d["bsg_moisture"]) * s["share_mushroom"]
        return s["mushroom_be"] * grain * (1 + s["straw_per_bsg"])
    if qid == "zeri.wastewater_methane":
        cod = s["beer_hl"] / 10 * s["water_use_hl_per_hl"] * s["wastewater_share"] * s["wastewater_cod"] * s["cod_removal"]
        return cod * d["ch4_molar_mass"] / d["cod_per_mol_ch4"] * d["ch4_lhv"] / 3.6  # kWh
    if qid == "zeri.sms_protein":
        straw, substrate = s["straw_per_bsg"], 1 + s["straw_per_bsg"]
        protein_in = s["bsg_protein"] + straw * s["straw_protein"]
        mushrooms = d["mushroom_be"] * substrate * (1 - d["mushroom_moisture"]) * d["mushroom_protein"]
        out = (protein_in - mushrooms) / (substrate * (1 - s["substrate_dm_loss"]))
        return 100 * (out / (protein_in / substrate) - 1)  # per cent
    if qid == "zeri.tornado_methane":
        grain = s["beer_hl"] * s["bsg_per_hl"] * (1 - d["bsg_moisture"])
        feed = grain * (1 - d["share_bread"] - d["share_mushroom"]) + grain * d["share_mushroom"] * (
            1 + d["straw_per_bsg"]) * (1 - d["substrate_dm_loss"])
        spread = table.loc["feed_digestibility", "high"] - table.loc["feed_digestibility", "low"]
        m3 = feed * spread * d["manure_vs"] * d["manure_ch4_yield"]
        return m3 * d["ch4_molar_mass"] / d["molar_volume"] * d["ch4_lhv"] / 3.6
    if qid == "zeri.fish_better_strain":
        substrate = s["beer_hl"] * d["bsg_per_hl"] * (1 - d["bsg_moisture"]) * d["share_mushroom"] * (1 + d["straw_per_bsg"])
        nitrogen = (s["mushroom_be"] - d["mushroom_be"]) * substrate * (1 - d["mushroom_moisture"]) * d["mushroom_protein"] / d["protein_per_n"]
        algae = nitrogen * (1 - d["n_retention"]) * d["algae_n_uptake"] / d["algae_n_content"]
        return algae * s["trophic_efficiency"] / d["fish_dry_matter"]
    raise KeyError(qid)


NUMERIC = ["zeri.bsg_dry_matter", "zeri.bakery_water", "zeri.mushroom_harvest", "zeri.wastewater_methane",
           "zeri.sms_protein", "zeri.tornado_methane", "zeri.fish_better_strain"]


def test_the_zeri_questions_are_the_notebooks_eleven():
    asked = sorted(q for q in exercises.questions() if q.startswith("zeri."))
    assert asked == sorted([*NUMERIC, "zeri.more_mushroom_meat", "zeri.protein_claim", "zeri.link_stated", "zeri.reflection"])
    kinds = [exercises.question(q).kind for q in asked]
    assert kinds.count("model") == 1 and kinds.count("recall") <= len(kinds) / 3


@pytest.mark.parametrize("qid", NUMERIC)
def test_every_numeric_answer_agrees_with_a_hand_computation(qid, table):
    unit = exercises.question(qid).unit
    for student in STUDENTS:
        expected = exercises.expected(qid, student).to(unit).magnitude
        hand = _hand(qid, student, table)
        assert expected == pytest.approx(hand, rel=1e-9), (qid, student)
        assert exercises.evaluate(qid, hand, student=student).correct
        assert not exercises.evaluate(qid, hand * 1.02, student=student).correct


def test_the_default_variants_are_new_cases_not_the_texts():
    # The text works 100 hL at the table's defaults; the exercises' defaults are other breweries.
    assert exercises.expected("zeri.bsg_dry_matter", None).to("kg").magnitude == pytest.approx(185 * 21.7 * (1 - 0.771))
    for qid in NUMERIC:
        v = exercises.variant(qid, None)
        assert "beer_hl" not in v or v["beer_hl"] != 100, qid


@pytest.mark.parametrize("qid", ["zeri.more_mushroom_meat", "zeri.protein_claim", "zeri.link_stated"])
def test_choice_questions_explain_every_option_and_accept_labels(qid):
    question = exercises.question(qid)
    for student in STUDENTS:
        right = exercises.expected(qid, student)
        assert right in question.choices
        for option in question.choices:
            verdict = exercises.evaluate(qid, option, student=student)
            assert verdict.correct == (option == right), (option, student)
            assert question.explanations[option] in str(verdict), option
            # the label is accepted as well as the id, case and spaces ignored
            assert exercises.evaluate(qid, "  " + question.labels[option].upper(), student=student).correct == (option == right)


def _choices_over(qid, count=200):
    """The options the first ``count`` students are expected to give (a model run each), stopping
    early once every option of the question has come up: no other answer is possible then."""
    options, seen = set(exercises.question(qid).choices), set()
    for i in range(count):
        seen.add(exercises.expected(qid, f"student-{i:03d}"))
        if seen == options:
            break
    return seen


@pytest.mark.slow  # the model for up to 200 students
def test_choice_answers_depend_on_the_students_numbers():
    assert _choices_over("zeri.more_mushroom_meat") == {"more", "less", "same"}
    assert _choices_over("zeri.protein_claim") == {"below_spent_grain", "above_spent_grain"}
    assert _choices_over("zeri.link_stated") == {"stated", "implied", "model"}


@pytest.mark.parametrize("student", STUDENTS)
def test_the_prediction_is_what_the_model_does(student):
    """Sending more spent grain through the mushroom farm changes the convertible feed by (1 + straw) x (1 - loss) x share - 1 per kg."""
    v = exercises.variant("zeri.more_mushroom_meat", student)
    farm = {"straw_per_bsg": v["straw_per_bsg"], "substrate_dm_loss": v["substrate_dm_loss"], "sms_feed_share": v["sms_feed_share"]}
    before = zeri.compare_linear_vs_cascade(100, **farm).set_index("outcome").loc["meat", "cascade"]
    after = zeri.compare_linear_vs_cascade(100, share_mushroom=v["share_mushroom"], **farm).set_index("outcome").loc["meat", "cascade"]
    back = (1 + v["straw_per_bsg"]) * (1 - v["substrate_dm_loss"]) * v["sms_feed_share"]
    assert after - before == pytest.approx(500 * (v["share_mushroom"] - 0.3) * (back - 1) / 4)
    answer = exercises.expected("zeri.more_mushroom_meat", student)
    assert answer == ("same" if abs(after - before) <= 0.005 * before else "more" if after > before else "less")


@pytest.mark.parametrize("qid", ["zeri.protein_claim", "zeri.sms_protein"])
def test_over_the_whole_grid_the_fungus_raises_the_protein_share(qid):
    """The misconception item needs a substrate richer in protein than the mix that went in, for
    every student: checked by hand on every point of the grid (the ratio of the two shares is
    (1 - mushroom protein / protein in) / (1 - loss), lowest at the lowest loss)."""
    from course_lib import variants
    grid = {p.name: np.array([Q_(x, p.unit).to("").magnitude for x in p.values]) for p in variants.parameters(qid)}
    d = data.parameters("zeri_parameters")["value"].to_dict()
    mushrooms = d["mushroom_be"] * (1 - d["mushroom_moisture"]) * d["mushroom_protein"]  # per kg of dry substrate
    grain, straw, straw_protein = np.meshgrid(grid["bsg_protein"], grid["straw_per_bsg"], grid["straw_protein"], indexing="ij")
    mix = (grain + straw * straw_protein) / (1 + straw)
    lowest = ((1 - mushrooms / mix) / (1 - grid["substrate_dm_loss"].min())).min()
    assert lowest > 1.01


def test_typed_answers_and_diagnosed_slips():
    qid = "zeri.bsg_dry_matter"
    kg = exercises.expected(qid, None).to("kg").magnitude
    assert exercises.evaluate(qid, f"{kg / 1000:.4f} t").correct
    v = exercises.variant(qid, None)
    wet = v["beer_hl"] * v["bsg_per_hl"]
    assert "wet spent grain, water included" in str(exercises.evaluate(qid, wet))
    gain = exercises.expected("zeri.sms_protein", None).magnitude
    assert exercises.evaluate("zeri.sms_protein", f"{gain:.2f} %".replace(".", ",")).correct
    assert "100" in str(exercises.evaluate("zeri.sms_protein", gain / 100))  # a fraction where a percent is asked
    kwh = exercises.expected("zeri.wastewater_methane", None).to("kWh").magnitude
    assert exercises.evaluate("zeri.wastewater_methane", f"{kwh * 3.6:.1f} MJ").correct
    assert "3.6" in str(exercises.evaluate("zeri.wastewater_methane", kwh * 3.6))  # MJ typed as kWh
    removal = exercises.variant("zeri.wastewater_methane", None)["cod_removal"]
    assert "removes only part of it" in str(exercises.evaluate("zeri.wastewater_methane", kwh / removal))
    fish = exercises.expected("zeri.fish_better_strain", None).to("kg").magnitude
    assert exercises.evaluate("zeri.fish_better_strain", Q_(fish * 1000, "g")).correct
    assert not exercises.evaluate("zeri.bakery_water", "{'a': 1}").correct


def test_placeholders_and_hints_come_by_attempt():
    qid = "zeri.mushroom_harvest"
    untouched = exercises.evaluate(qid, None)
    assert not untouched.attempted and "Not answered yet" in str(untouched)
    wrong = 2 * exercises.expected(qid, None).magnitude
    assert "Hint" not in str(exercises.evaluate(qid, wrong, attempt=1))
    assert str(exercises.evaluate(qid, wrong, attempt=2)).count("Hint:") == 1
    assert str(exercises.evaluate(qid, wrong, attempt=3)).count("Hint:") == 2


def test_the_chart_exercise_reads_a_length_the_chart_does_not_print():
    """The tooltip gives each end of the bar; the answer is their difference, which the chart never shows."""
    v = exercises.variant("zeri.tornado_methane", None)
    frame = zeri.sensitivity("methane_energy", v["beer_hl"], bsg_per_hl=v["bsg_per_hl"], wastewater_cod=v["wastewater_cod"])
    spec = json.dumps(zeri.tornado_chart(frame).to_dict())
    answer = exercises.expected("zeri.tornado_methane", None).to("kWh").magnitude
    assert f"{answer:.1f}" not in spec and f"{answer:,.0f}" not in spec and f"{round(answer, 2)}" not in spec
    bar = frame.set_index("parameter").loc["feed_digestibility"]
    assert answer == pytest.approx(bar["outcome_low"] - bar["outcome_high"])
    assert frame.iloc[0]["parameter"] != "feed_digestibility"  # not the largest swing, which the description names


def test_the_reflection_is_acknowledged_with_a_model_answer_for_the_students_brewery():
    question = exercises.question("zeri.reflection")
    assert len(question.rubric) == 3 and question.rubric[0].startswith("Full")
    assert not exercises.evaluate("zeri.reflection", "It is good.").correct
    answer = " ".join(["The cascade keeps grain out of landfill but the pond water still carries dry matter."] * 2)
    for student in ("alice", "bob"):
        v = exercises.variant("zeri.reflection", student)
        c = zeri.compare_linear_vs_cascade(v["beer_hl"], wastewater_cod=v["wastewater_cod"]).set_index("outcome")
        verdict = str(exercises.evaluate("zeri.reflection", answer, student=student))
        assert f"{formats.number(round(c.loc['discharged_solids', 'cascade']), 9)} kg of dry matter" in verdict
        assert c.loc["discharged_solids", "cascade"] < c.loc["discharged_solids", "linear"]  # "only ... less" holds
    assert exercises.expected("zeri.reflection", "alice") != exercises.expected("zeri.reflection", "bob")
