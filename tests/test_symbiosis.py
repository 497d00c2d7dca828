"""course_lib.symbiosis and the Kalundborg datasets: every printed figure kept, parks checked row by row,
the hub and the what-if counted by hand from the article."""

import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from course_lib import charts, checks, data, exercises, flows, symbiosis
from course_lib.exercises import evaluate
from course_lib.symbiosis.charts import _closed_spec
from tests import seed_passages as seed

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "notebooks" / "park_template"


@pytest.fixture(scope="module")
def park():
    return symbiosis.kalundborg()


@pytest.fixture(scope="module")
def exchanges():
    return data.load("kalundborg_exchanges")


@pytest.fixture(scope="module")
def outcomes():
    return data.load("kalundborg_outcomes")


@pytest.fixture(scope="module")
def section():
    """The sentences of the article's section B that the tests read (tests/seed_passages.toml): every
    one that prints a digit, and the one naming who cut the lake water."""
    return "\n".join(seed.quoted("symbiosis.section_b"))


# ---- The datasets keep the article ---------------------------------------------------------


def _number(match: re.Match) -> float:
    value = float(match.group(1).replace(",", ""))
    return value * 1e6 if match.group(2) else value


def _printed(text: str) -> set[float]:
    # Digits that are not figures: a product name, a chemical formula, a footnote, a figure number.
    not_figures = {"NovoGro 30®": 30, "SO₂": 2, "^[11]": 11, "Figure 4": 4}
    for snippet in not_figures:
        text = text.replace(snippet, "")
    return {_number(m) for m in re.finditer(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(\s*(?:mio|million))?", text)}


def test_every_figure_printed_in_the_section_is_in_the_datasets(section, exchanges, outcomes):
    printed = _printed(section)
    article = seed.article()
    if article is not None:  # where the article is: the passages are from section B and hold its every figure
        whole = article[article.index("B. Industrial by-products exchange"):article.index("Advantages of the Symbiosis")]
        assert all(passage in whole for passage in seed.quoted("symbiosis.section_b"))
        assert _printed(whole) == printed
    stored = set(exchanges["value"].dropna()) | set(outcomes["value"])
    assert printed - stored == set(), f"figures printed in section B but in no dataset: {sorted(printed - stored)}"
    # The counts printed as words are there too.
    words = outcomes.set_index("id")["value"]
    assert (words["processing_companies"], words["waste_companies"]) == (6, 1)
    # Spot checks against the article's wording.
    assert {1.9e6, 1e6, 220_000, 800_000, 56_000, 1_800} <= printed


def test_every_evidence_sentence_is_verbatim_from_the_article():
    printed = seed.quoted("symbiosis.evidence")  # the article's own sentences (tests/seed_passages.toml)
    for name in ("kalundborg_partners", "kalundborg_exchanges", "kalundborg_outcomes"):
        for row_id, evidence in data.load(name)[["id", "evidence"]].itertuples(index=False):
            for sentence in evidence.split(" [...] "):
                assert any(sentence in p for p in printed), f"{name} {row_id}: evidence not in the article: {sentence!r}"


def test_flows_without_a_printed_quantity_are_empty_not_guessed(exchanges):
    # Hand count from the article: the flows whose own quantity is printed.
    quantified = {"gypsum_asnaes": 200_000, "drinking_water_novozymes": 1_000_000, "novogro_farmers": 90_000,
                  "combustible_waste": 56_000, "paper_cardboard": 13_000, "rubble_concrete": 7_000,
                  "garden_refuse": 15_000, "biowaste_compost": 4_000, "iron_metal": 4_000, "glass_bottles": 1_800}
    got = exchanges.dropna(subset=["value"]).set_index("id")["value"].to_dict()
    assert got == quantified
    empty = exchanges[exchanges["value"].isna()]
    assert empty["unit"].isna().all() and empty["period"].isna().all()


def test_noveren_breakdown_matches_its_flows_and_the_article_total(exchanges, outcomes):
    noveren = outcomes[outcomes["kind"] == "waste received"].set_index("exchange")["value"]
    flows = exchanges.set_index("id")["value"]
    for exchange, value in noveren.items():
        assert flows[exchange] == value
    assert noveren.sum() == 13_000 + 7_000 + 15_000 + 4_000 + 4_000 + 1_800 == 44_800


def test_outcome_links_name_real_exchanges_and_partners(exchanges, outcomes):
    linked = outcomes["exchange"].dropna()
    assert set(linked) <= set(exchanges["id"])
    partners = set(data.load("kalundborg_partners")["id"])
    assert set(outcomes["subject"]) <= partners | {"all"}
    for unit in outcomes["unit"]:
        checks.unit(unit)  # every unit is one the course knows (and none is the ambiguous 'ton')


def test_the_partners_the_issue_names_are_all_there_and_all_trade(park):
    ids = set(park.partners["id"])
    assert {"asnaes", "gyproc", "novo_nordisk", "novozymes", "statoil", "soilrem", "noveren", "municipality"} <= ids
    assert {"fish_farm", "farmers", "households", "aalborg_portland", "ash_plant_gb", "pig_farms", "paper_industry"} <= ids
    assert (park.partners["kind"] == "core").sum() == 8
    trading = set(park.exchanges["source"]) | set(park.exchanges["target"])
    assert ids == trading


def test_figure_4_labels_map_onto_flows(exchanges):
    (labels_text,) = seed.quoted("symbiosis.figure_4_labels")  # the article's text above "Figure 4."
    labels = {label.strip() for label in labels_text.replace("\n", "\t").split("\t") if label.strip()}
    used = set(exchanges["figure_label"].dropna())
    assert used <= labels
    # 'OTHER' is the one label the article's text gives no flow for.
    assert labels - used == {"OTHER"}


def test_history_rows_are_dated_graded_and_b_rows_carry_a_caveat():
    table = symbiosis.history()
    assert table["year"].is_monotonic_increasing
    assert set(table["grade"]) == {"A", "B"}
    assert table.loc[table["grade"] == "B", "caveat"].str.contains("reported").all()
    wood = table.set_index("id").loc["asnaes_wood_chips"]
    assert wood["year"] == 2017 and wood["grade"] == "B"


# ---- Graph, summary, hub -------------------------------------------------------------------


def test_graph_has_one_edge_per_active_flow(park, exchanges):
    graph = symbiosis.to_graph(park)
    assert isinstance(graph, nx.MultiDiGraph)
    assert graph.number_of_edges() == (exchanges["status"] == "active").sum() == 36
    assert symbiosis.to_graph(park, include_former=True).number_of_edges() == 38
    assert set(graph["asnaes"]["statoil"]) == {"steam_statoil", "water_statoil"}
    assert graph.edges["asnaes", "gyproc", "gypsum_asnaes"]["value"] == 200_000


def test_partner_summary_counts_by_hand(park):
    s = symbiosis.partner_summary(park).set_index("partner")
    # Asnæs gives steam x3, district heat, water, cooling water, wastewater, gypsum, fly ash,
    # orimulsion ash, waste (11); receives Tissø water and Statoil's treated wastewater (2).
    assert s.loc["asnaes", ["gives", "receives"]].tolist() == [11, 2]
    # Gyproc: gypsum from Asnæs and from the municipality in, waste to Noveren out.
    assert s.loc["gyproc", ["gives", "receives", "partners_linked"]].tolist() == [1, 2, 3]
    assert s.loc["fish_farm", "materials_received"] == "warm cooling water"


def test_hub_ranking_puts_the_power_station_first_and_noveren_as_broker(park):
    ranking = symbiosis.hub_ranking(park).set_index("partner")
    assert ranking.index[0] == "asnaes"
    # Asnæs supplies 10 different partners: Statoil, Novo Nordisk, Novozymes, households, fish farm,
    # municipality, Gyproc, Aalborg Portland, the GB ash plant, Noveren.
    assert ranking.loc["asnaes", "supplies"] == 10
    assert ranking["betweenness"].idxmax() == "noveren"
    n = len(park.partners) - 1
    assert ranking.loc["noveren", "degree_centrality"] == pytest.approx(15 / n)
    assert ranking.loc["noveren", "exchanges"] == 15  # 7 in (6 companies + households) and 8 out


def test_betweenness_follows_the_direction_of_flows():
    park = _toy_park()
    ranking = symbiosis.hub_ranking(park).set_index("partner")
    # a -> b -> c and a -> b -> d: b sits on 2 of the 3*2 = 6 ordered pairs of the others... normalised by (n-1)(n-2) = 6
    assert ranking.loc["b", "betweenness"] == pytest.approx(2 / 6)
    assert ranking.loc["a", "betweenness"] == 0


# ---- What if -------------------------------------------------------------------------------

ASNAES_LOST = {  # counted by hand in section B: every active flow to or from the power station
    "steam_statoil", "steam_novo_nordisk", "steam_novozymes", "district_heat", "water_statoil",
    "cooling_water_fish_farm", "wastewater_asnaes_municipality", "gypsum_asnaes", "fly_ash_aalborg_portland",
    "orimulsion_ash_gb", "waste_asnaes", "surface_water_asnaes", "treated_wastewater_asnaes",
}


def test_what_if_the_power_station_closes_matches_the_hand_count(park):
    result = symbiosis.what_if(park, "asnaes")
    assert set(result.lost["id"]) == ASNAES_LOST and len(result.lost) == 13
    assert set(result.lost_supplies["partner"]) == {
        "statoil", "novo_nordisk", "novozymes", "households", "fish_farm", "municipality", "gyproc",
        "aalborg_portland", "ash_plant_gb", "noveren"}
    assert result.lost_supplies.set_index("partner").loc["statoil", "flows"] == 2  # steam and water
    assert result.new_waste["id"].tolist() == ["treated_wastewater_asnaes"]
    assert result.unused_resources["id"].tolist() == ["surface_water_asnaes"]
    assert set(result.cut_off) == {"fish_farm", "aalborg_portland", "ash_plant_gb"}
    # Only the gypsum flow has a printed quantity: 200,000 t a year.
    assert result.quantities[["unit_label", "total", "flows"]].values.tolist() == [["t/year", 200_000.0, 1]]
    assert result.quantities.attrs["unquantified"] == 12
    assert "13 exchanges are lost" in str(result)


def test_what_if_noveren_closes_adds_tonnes_only(park):
    result = symbiosis.what_if(park, "Noveren I/S")  # names and labels work as well as ids
    assert result.removed == ("noveren",)
    assert result.quantities["unit_label"].tolist() == ["t/year"]
    assert result.quantities["total"].item() == 56_000 + 44_800
    assert len(result.new_waste) == 7  # six companies' waste and the households' bio waste


def test_what_if_several_partners_and_former_flows(park):
    both = symbiosis.what_if(park, ["asnaes", "gyproc"])
    assert len(both.lost) == 13 + 2  # + municipal gypsum and Gyproc's waste (Asnæs' gypsum counted once)
    with_former = symbiosis.what_if(park, "asnaes", include_former=True)
    assert len(with_former.lost) == 14


def test_quantities_of_different_units_are_never_added(park):
    result = symbiosis.what_if(park, "novozymes")
    by_unit = result.quantities.set_index("unit_label")["total"].to_dict()
    # NovoGro 90,000 m³ (no period) and the 1,000,000 m³ of drinking-quality water: both amounts
    assert by_unit == {"m³": 1_090_000.0}
    flows = pd.DataFrame({"value": [1.0, 2.0, 500.0, 3.0], "unit": ["t", "m**3", "kg", "t"], "period": ["year", "year", "year", ""]})
    totals = symbiosis.sum_by_unit(flows).set_index("unit_label")["total"].to_dict()
    assert totals == {"t/year": 1.5, "m³/year": 2.0, "t": 3.0}


def test_totals_by_category(park):
    totals = symbiosis.totals_by_category(park).set_index("category")
    assert totals["flows"].sum() == 36
    assert totals.loc["by-product", "t/year"] == 200_000
    assert totals.loc["by-product", "m³"] == 90_000
    assert totals.loc["waste", "t/year"] == 100_800


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda p: symbiosis.what_if(p, "asnes"), ValueError, r"remove='asnes' is not a partner of Kalundborg \(did you mean 'asnaes'\?\)"),
        (lambda p: symbiosis.what_if(p, 3), TypeError, "remove must be a partner id or a list"),
        (lambda p: symbiosis.what_if(p, [3]), TypeError, "remove must contain names \\(text\\), got 3 of type int"),
        (lambda p: symbiosis.what_if("Kalundborg", "asnaes"), TypeError, "park must be a Park"),
        (lambda p: symbiosis.to_graph(p, include_former="yes"), TypeError, "include_former must be True or False"),
        (lambda p: symbiosis.partner_flows(p, "nobody"), ValueError, "partner='nobody' is not a partner"),
        (lambda p: symbiosis.layout(p, hub="x"), ValueError, "hub='x' is not a partner"),
        (lambda p: symbiosis.sum_by_unit([1, 2]), TypeError, r"flows must be a table \(a pandas DataFrame\), got list"),
        (lambda p: symbiosis.sum_by_unit(pd.DataFrame({"value": [1]})), ValueError, "flows lacks the column 'unit'"),
        (lambda p: symbiosis.network_chart(p, highlight="zz"), ValueError, "highlight='zz'"),
        (lambda p: symbiosis.network_chart(p, evidence="no"), TypeError, "evidence must be True or False"),
        (lambda p: symbiosis.park_from_frames(p.partners, p.exchanges, name=""), ValueError, "name must not be empty"),
        # sum_by_unit once let pint's own error escape and read "tons" as US short tons.
        (lambda p: symbiosis.sum_by_unit(pd.DataFrame({"value": [1.0], "unit": ["truckloads"]})), ValueError,
         r"row 0 of flows: flows.unit='truckloads' is not a unit the course knows; write a unit such as 'kg'"),
        (lambda p: symbiosis.sum_by_unit(pd.DataFrame({"value": [2.0, 3.0], "unit": ["t", "tons"], "period": ["year", "year"]})),
         ValueError, r"row 1 of flows: flows.unit='tons' is ambiguous: it is the US short ton \(907 kg\) in pint; write 't'"),
        (lambda p: symbiosis.sum_by_unit(pd.DataFrame({"value": [1.0], "unit": ["t"], "period": ["annual"]})), ValueError,
         r"flows.period='annual' is not allowed; choose one of: 'year', 'month'"),
        (lambda p: symbiosis.validate(p.partners, "exchanges.csv"), TypeError, r"exchanges must be a table \(a pandas DataFrame\), got text"),
        (lambda p: symbiosis.validate(p.partners, p.exchanges, first_row=0), ValueError, "first_row=0 is not allowed: give a whole number >= 1"),
        (lambda p: symbiosis.hub_ranking(p.exchanges), TypeError, "park must be a Park .*got DataFrame"),
        (lambda p: symbiosis.totals_by_category(p, include_former=1), TypeError, "include_former must be True or False, got 1 of type int"),
        (lambda p: symbiosis.partner_flows(p, ["gyproc"]), TypeError, r"partner must be one partner id \(text\), got \['gyproc'\]"),
        (lambda p: symbiosis.what_if_chart(p, close="statoyl"), ValueError, r"close='statoyl' is not a partner of Kalundborg \(did you mean 'statoil'\?\)"),
        (lambda p: symbiosis.what_if(p, "gyproc", include_former="no"), TypeError, "include_former must be True or False"),
        (lambda p: symbiosis.layout(p, hub=["asnaes"]), TypeError, r"hub must be one partner id \(text\)"),
        (lambda p: symbiosis.profits_chart(p.exchanges), ValueError, "table lacks the columns 'section', 'kind', 'indicator'"),
        (lambda p: symbiosis.history_chart("history"), TypeError, r"table must be a table \(a pandas DataFrame\), got text"),
        (lambda p: symbiosis.read_park(TEMPLATE / "partners.csv", TEMPLATE / "exchanges.csv", name=3), TypeError,
         "name must be text, got 3 of type int"),
        (lambda p: symbiosis.partner_explorer("gyprok"), ValueError, r"partner='gyprok' is not a partner of Kalundborg \(did you mean 'gyproc'\?\)"),
        (lambda p: symbiosis.what_if_explorer(close=["farmers", "households"]), ValueError,
         r"close names 2 outside partners \(farmers, households\); the menu closes one at a time"),
        (lambda p: symbiosis.VegaLite({"mark": "bar"}), TypeError, "spec must be a Vega-Lite v5 spec"),
        (lambda p: p.label("Gyproc"), ValueError, r"partner='Gyproc' is not a partner id of Kalundborg \(did you mean 'gyproc'\?\)"),
    ],
)
def test_bad_arguments_are_refused_with_clear_messages(park, call, error, pattern):
    with pytest.raises(error, match=pattern):
        call(park)


# ---- Any park: files, errors row by row ----------------------------------------------------


def _toy_park():
    partners = pd.DataFrame({"id": ["a", "b", "c", "d"], "name": ["Alpha", "Beta", "Gamma", "Delta"]})
    flows = pd.DataFrame({"source": ["a", "b", "b"], "target": ["b", "c", "d"], "material": ["steam", "ash", "ash"],
                          "value": [10, 4, 500], "unit": ["MWh", "t", "kg"], "period": ["year", "year", "year"]})
    return symbiosis.park_from_frames(partners, flows, name="toy")


def test_a_synthetic_park_without_optional_columns_works_end_to_end():
    park = _toy_park()
    assert park.partners["kind"].eq("partner").all() and park.partners["label"].tolist() == ["Alpha", "Beta", "Gamma", "Delta"]
    assert park.exchanges["id"].tolist() == ["a-b-1", "b-c-1", "b-d-1"]
    assert symbiosis.hub_ranking(park).iloc[0]["partner"] == "b"
    result = symbiosis.what_if(park, "b")
    assert result.quantities.set_index("unit_label")["total"].to_dict() == {"MWh/year": 10.0, "t/year": 4.5}
    positions = symbiosis.layout(park).set_index("id")
    assert positions.loc["b", "ring"] == "hub" and positions.loc["a", "ring"] == "outer"
    chart = symbiosis.network_chart(park)
    subtitle = chart.to_dict()["title"]["subtitle"]
    subtitle = " ".join(subtitle) if isinstance(subtitle, list) else subtitle  # long lines wrap
    assert "park files partners and exchanges" in subtitle


def _write(folder: Path, partners: str, exchanges: str):
    (folder / "partners.csv").write_text(partners, encoding="utf-8")
    (folder / "exchanges.csv").write_text(exchanges, encoding="utf-8")
    return folder / "partners.csv", folder / "exchanges.csv"


GOOD_PARTNERS = "id,name\nmill,Saw mill\nfarm,Farm\nplant,Heat plant\n"
HEADER = "id,source,target,material,value,unit,period\n"


def test_a_good_park_file_reads_with_comments_semicolons_and_a_bom(tmp_path):
    p, x = _write(tmp_path, "# my park\n" + GOOD_PARTNERS,
                  "\ufeff" + HEADER.replace(",", ";") + "# an example row\nchips;mill;plant;wood chips;1200,5;t;year\n")
    # a decimal comma in a ';' file is still not a number: the error must say so, on row 3
    with pytest.raises(symbiosis.ParkError, match=r"exchanges.csv, row 3, column 'value': '1200,5' is not a number"):
        symbiosis.read_park(p, x)
    x.write_text(HEADER.replace(",", ";") + "chips;mill;plant;wood chips;1200.5;t;year\nheat;plant;farm;heat;;;\n", encoding="utf-8-sig")
    park = symbiosis.read_park(p, x)
    assert park.name == tmp_path.name
    assert park.exchanges["quantity"].tolist() == ["1,200 t/year", ""]  # 4 significant digits
    assert park.exchanges["value"].tolist()[0] == 1200.5


BROKEN = [
    # (partners file, exchanges file, expected pieces of the message)
    (GOOD_PARTNERS, HEADER + "x1,mill,fram,sawdust,3,t,year\n", ["exchanges.csv, row 2, column 'target'", "'fram'", "did you mean 'farm'"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,-3,t,year\n", ["row 2, column 'value'", "-3 is negative"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,lots,t,year\n", ["row 2, column 'value'", "'lots' is not a number"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,inf,t,year\n", ["column 'value'", "not a finite number"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,3,truckloads,\n", ["row 2, column 'unit'", "'truckloads' is not a unit the course knows"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,3,tons,year\n", ["row 2, column 'unit'", "US short ton"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,3,,\n", ["column 'unit'", "has no unit"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,3,t,yearly\n", ["column 'period'", "'yearly' is not a period"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,mill,sawdust,3,t,year\n", ["column 'target'", "to itself"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,,3,t,year\n", ["column 'material'", "empty"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,3,t,year\nx1,farm,plant,straw,,,\n", ["row 3, column 'id'", "duplicate exchange id 'x1' (first used in row 2)"]),
    (GOOD_PARTNERS + "farm,Second farm\n", HEADER + "x1,mill,farm,sawdust,3,t,year\n", ["partners.csv, row 5, column 'id'", "duplicate id 'farm' (first used in row 3)"]),
    ("id,title\nmill,Saw mill\n", HEADER, ["partners.csv, row 1, column 'name'", "required column is missing"]),
    (GOOD_PARTNERS, "source,target,material,value\n", ["exchanges.csv, row 1, column 'unit'", "required column is missing"]),
    (GOOD_PARTNERS, HEADER, ["exchanges.csv: no exchanges"]),
    (GOOD_PARTNERS, HEADER + "x1,mill,farm,sawdust,3,t,year,extra\n", ["exchanges.csv, row 2", "8 cells but the header has 7 columns"]),
    ("", HEADER, ["partners.csv: the file is empty"]),
]


@pytest.mark.parametrize("partners, exchanges, pieces", BROKEN, ids=[f"broken{i}" for i in range(len(BROKEN))])
def test_broken_park_files_give_row_level_errors(tmp_path, partners, exchanges, pieces):
    p, x = _write(tmp_path, partners, exchanges)
    with pytest.raises(symbiosis.ParkError, match=r"^the park has \d+ problems? \(rows are numbered as in a spreadsheet") as info:
        symbiosis.read_park(p, x)
    message = str(info.value)
    for piece in pieces:
        assert piece in message, f"{piece!r} not in:\n{message}"
    assert all(problem.file in ("partners.csv", "exchanges.csv") for problem in info.value.problems)
    report = symbiosis.check_park(p, x)  # the friendly version never raises
    assert report.startswith("❌ Not yet") and pieces[0] in report


def test_all_problems_are_reported_at_once_with_rows_after_comment_lines(tmp_path):
    p, x = _write(tmp_path, GOOD_PARTNERS,
                  "# note\n# another note\n" + HEADER + "x1,mill,fram,sawdust,-1,t,year\nx2,mill,farm,bark,2,truckloads,\n")
    with pytest.raises(symbiosis.ParkError, match="the park has 3 problems") as info:
        symbiosis.read_park(p, x)
    where = [(problem.row, problem.column) for problem in info.value.problems]
    assert where == [(4, "target"), (4, "value"), (5, "unit")]


def test_read_park_checks_its_arguments(tmp_path):
    with pytest.raises(FileNotFoundError, match="partners_path='nope.csv': no such file"):
        symbiosis.read_park("nope.csv", "nope.csv")
    with pytest.raises(TypeError, match="partners_path must be a file path"):
        symbiosis.read_park(42, "x.csv")
    assert symbiosis.check_park(tmp_path / "a.csv", tmp_path / "b.csv").startswith("❌ Not yet: partners_path=")


def test_the_template_is_empty_and_its_examples_are_a_valid_park(tmp_path):
    report = symbiosis.check_park(TEMPLATE / "partners.csv", TEMPLATE / "exchanges.csv")
    assert "no partners" in report and "no exchanges" in report
    for name in ("partners.csv", "exchanges.csv"):
        text = (TEMPLATE / name).read_text(encoding="utf-8")
        assert text.count("EXAMPLE") >= 3
        lines = text.splitlines()
        header = next(i for i, line in enumerate(lines) if not line.startswith("#"))
        body = [line for line in lines[header + 1:] if line.startswith("# ")]
        assert len(body) == 2 and all("EXAMPLE" in line for line in body), f"{name}: two commented example rows"
        # uncomment exactly the two example rows
        lines = [line[2:] if line in body else line for line in text.splitlines()]
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    park = symbiosis.read_park(tmp_path / "partners.csv", tmp_path / "exchanges.csv")
    assert len(park.partners) == 2 and len(park.exchanges) == 2
    assert symbiosis.check_park(tmp_path / "partners.csv", tmp_path / "exchanges.csv").startswith("✅")


def test_the_example_parks_are_files_a_student_never_has_to_write(park):
    partners, exchanges = symbiosis.example_park_files("broken")
    report = symbiosis.check_park(partners, exchanges)
    assert report.startswith("❌ Not yet: the park has 4 problems")
    for piece in ("'fram' is not a partner id in partners.csv (did you mean 'farm'?)", "-3 is negative",
                  "'lots' is not a number", "'truckloads' is not a unit"):
        assert piece in report
    clean = symbiosis.check_park(*symbiosis.example_park_files("clean"))
    assert clean.startswith("✅ The park reads cleanly: 2 partners, 2 exchanges (1 with a quantity).")
    assert "Hub (supplies the most partners): Saw mill" in clean
    # Rewritten at each call: an edited copy does not survive.
    partners.write_text("broken on purpose", encoding="utf-8")
    assert symbiosis.example_park_files("broken")[0].read_text(encoding="utf-8").startswith("id,name")


@pytest.mark.parametrize(
    "call, error, pattern",
    [
        (lambda: symbiosis.example_park_files("brokn"), ValueError,
         r"name='brokn' is not allowed \(did you mean 'broken'\?\); choose one of: 'broken', 'clean'"),
        (lambda: symbiosis.example_park_files(["broken"]), TypeError, r"name must be one of 'broken', 'clean' \(text\), got \['broken'\]"),
    ],
)
def test_example_park_files_refuses_bad_names(call, error, pattern):
    with pytest.raises(error, match=pattern):
        call()


def test_outcome_notes_lists_every_figure_with_a_caveat(outcomes):
    notes = symbiosis.outcome_notes()
    assert notes.columns.tolist() == ["id", "section", "indicator", "quantity", "note"]
    assert set(notes["id"]) == set(outcomes.loc[outcomes["note"].notna(), "id"])
    assert notes.set_index("id").loc["fly_ash_output", "quantity"] == "30,000 t/year"


def test_the_lake_water_cut_is_the_power_stations_as_the_article_says(section, outcomes):
    row = outcomes.set_index("id").loc["lake_water_cut"]
    assert row["subject"] == "asnaes" and row["value"] == 50
    assert "Asnæs Power Station has accomplished this reduction by recycling its own wastewater." in row["evidence"]
    assert "Asnæs Power Station has accomplished this reduction" in section


def test_history_sources_name_organisation_year_title_and_address():
    table = symbiosis.history()
    for row in table.to_dict("records"):
        assert re.search(r"\((19|20)\d\d", row["source"]), row["id"]          # a year
        assert re.search(r"'[^']{10,}'", row["source"]), row["id"]            # a title in quotes
        assert "http" in row["source"], row["id"]                             # where to find it
        assert "reference notes" not in row["source"] and "company information" not in row["source"]


# ---- Charts and explorers ------------------------------------------------------------------


def test_network_chart_is_offline_titled_and_has_a_partner_menu(park):
    spec = charts.check_offline(symbiosis.network_chart(park, highlight="gyproc"))
    params = {p["name"]: p for p in spec["params"]}
    assert params["partner"]["value"] == "gyproc"
    assert params["partner"]["bind"]["options"][0] == "(all partners)" and len(params["partner"]["bind"]["options"]) == 25
    assert len(str(spec)) < 60_000
    edges = next(v for v in spec["datasets"].values() if v and "evidence" in v[0])
    assert len(edges) == len(park.exchanges) and all(e["evidence"] for e in edges)
    assert sorted((e["source"], e["target"], e["material"]) for e in edges) == sorted(
        park.exchanges[["source", "target", "material"]].itertuples(index=False, name=None))
    light = symbiosis.network_chart(park, evidence=False).to_dict()
    assert "evidence" not in str(light["datasets"]) and len(str(light)) < len(str(spec)) - 5_000
    # No flow is told apart by colour alone: a marker per flow whose shape encodes the category too,
    # with colour and shape in one legend, and the description names each shape.
    shapes = [layer["encoding"]["shape"] for layer in spec["layer"] if "shape" in layer.get("encoding", {})]
    assert len(shapes) == 1 and shapes[0]["field"] == "category"
    assert shapes[0]["scale"]["range"] == ["triangle-up", "circle", "diamond", "square", "cross"]
    colours = [layer["encoding"]["color"] for layer in spec["layer"] if layer.get("encoding", {}).get("color", {}).get("field") == "category"]
    assert all(c["title"] == shapes[0]["title"] == "flow category" for c in colours)
    assert "energy (triangle), water (circle), wastewater (diamond), by-product (square), waste (cross)" in spec["description"]


def test_what_if_chart_and_result_charts_are_offline(park):
    spec = charts.check_offline(symbiosis.what_if_chart(park, close="Asnæs Power Station"))  # labels work as ids
    menu = next(p for p in spec["params"] if p["name"] == "closed")
    assert menu["value"] == "asnaes" and menu["bind"]["options"][0] == "(none)"
    for chart in (symbiosis.profits_chart(), symbiosis.noveren_chart(), symbiosis.history_chart()):
        charts.check_offline(chart)
    assert "44,800 t/year" in symbiosis.noveren_chart().to_dict()["title"]["text"]
    # The profits never share an axis across units: one panel each for m³/year, t/year, ha and %.
    assert len(symbiosis.profits_chart().to_dict()["vconcat"]) == 4
    lines = {row["line"] for rows in symbiosis.history_chart().to_dict()["datasets"].values() for row in rows}
    assert any(line.startswith("2017") for line in lines)
    history = symbiosis.history_chart().to_dict()
    assert history["encoding"]["shape"]["field"] == history["encoding"]["color"]["field"] == "grade"
    # Descriptions speak of names and shapes, never of a colour alone.
    for chart in (spec, history, symbiosis.network_chart(park).to_dict()):
        assert not re.search(r"\b(red|orange|green|blue)\b", chart["description"]), chart["description"]


def _move(box, changes):
    """Set each control in turn; return what the explorer showed after each change."""
    shown = []
    for name, value in changes:
        box.controls[name].value = value
        shown.append(box.result)
    return shown


def test_partner_explorer_shows_the_chosen_partners_flows():
    box = symbiosis.partner_explorer()
    assert box.result.table["other"].tolist() == ["Statoil refinery", "Asnæs Power Station", "Kalundborg Municipality", "Noveren"]
    shown = _move(box, [("partner", p) for p in ["gyproc", "noveren", "farmers", "asnaes", "statoil"]])
    # Each redraw is that partner's own flows, former ones included: Gyproc 3 (+ the former gas pipeline),
    # Noveren 15, the farmers 1 (NovoGro), Asnæs 13 (+ the gas pipeline), Statoil 5 (+ its two gas pipelines).
    assert [len(panel.table) for panel in shown] == [4, 15, 1, 14, 7]
    assert shown[0].text.startswith("**Gyproc** gives 1 and receives 2 active flows")
    assert box.result.table["other"].tolist()[:2] == ["Asnæs Power Station", "Asnæs Power Station"]  # statoil: steam, water
    assert box.result.chart is None  # the highlighted network is the kernel-free chart's menu
    assert "id" not in box.result.table.columns


def test_what_if_explorer_counts_what_is_lost():
    assert symbiosis.what_if_explorer().result.table.empty  # nothing ticked at first
    box = symbiosis.what_if_explorer(close=("asnaes",))
    assert len(box.result.table) == 13
    _move(box, [("asnaes", False), ("gyproc", True), ("other", "farmers"), ("noveren", True), ("gyproc", False)])
    assert box.result.chart.params()["closed"] == ["noveren", "farmers"]
    assert box.result.chart.to_dict()["title"]["text"] == "Closed: Noveren, Farmers"
    assert len(box.result.table) == 15 + 1  # Noveren's 15 and NovoGro to the farmers
    box.controls["noveren"].value = False
    box.controls["other"].value = "(none)"
    assert box.result.text == "Tick a partner to close it." and box.result.table.empty
    # One partner as a plain string is one partner, not a list of letters.
    assert symbiosis.what_if_explorer(close="gyproc").controls["gyproc"].value is True


def test_fast_chart_copies_refuse_unknown_parameters(park):
    base = _closed_spec(park)
    assert base.with_params(closed=["gyproc"], hit=[]).params() == {"closed": ["gyproc"], "hit": []}
    assert base.params() == {"closed": [], "hit": []}  # the cached spec is never changed
    with pytest.raises(ValueError, match=r"no parameter\(s\) \['nope'\]"):
        base.with_params(nope=1)
    with pytest.raises(TypeError, match="spec must be a Vega-Lite v5 spec"):
        symbiosis.VegaLite({"mark": "bar"})


# ---- Exercises -----------------------------------------------------------------------------

QUESTIONS = ["partner_links", "closure_receivers", "broker", "cut_percent_larger", "water_after_cut", "so2_avoided",
             "households_heated", "new_partner_hub", "new_partner_chart", "wood_chips"]
NUMERIC = ["cut_percent_larger", "water_after_cut", "so2_avoided", "households_heated", "new_partner_hub", "new_partner_chart"]


def _q(name):
    return f"symbiosis.{name}"


@pytest.mark.parametrize(
    "question, answer, unit",
    [
        # Worked by hand for the default numbers (datasets/exercise_variants_symbiosis.csv).
        ("partner_links", ["Asnæs Power Station", "Fertilizer maker", "Noveren"], None),  # the refinery: no former pipeline
        ("partner_links", "asnaes power station, Noveren, fertilizer maker", None),           # any order, typed as text
        ("closure_receivers", "b", None),                 # Novozymes: the municipality, the farmers, Noveren
        ("closure_receivers", "three to five", None),
        ("cut_percent_larger", (45 / 18 - 1) * 100, None),  # 150 % larger, not 27
        ("cut_percent_larger", "150 %", None),
        ("water_after_cut", (1.2e6 + 0.6e6) / 0.20 - 1.8e6, None),  # 9 million before, 7.2 million now
        ("water_after_cut", "7.2 million m³/yr", None),
        ("so2_avoided", 7500 * 0.022 * 64.06 / 32.06, None),  # 165 t of sulphur, about twice that of SO2
        ("so2_avoided", "329,700 kg/yr", None),
        ("households_heated", 40_000 * 6 / 3.6 / 15, None),  # 240,000 GJ = 66,667 MWh, 15 MWh each
        ("new_partner_hub", 31_500 + 4_200, None),           # biogas in, heat out: both lost with the hub
        ("new_partner_hub", "35,700 MWh/yr", None),
        ("new_partner_chart", 45_000 + 12 * 3_500, None),     # a monthly rate made yearly, then added
    ],
)
def test_questions_accept_answers_worked_out_by_hand(question, answer, unit):
    assert evaluate(_q(question), answer, unit, student=None).correct


@pytest.mark.parametrize(
    "question, answer, words",
    [
        ("cut_percent_larger", 27, "in percentage points, the report's own slip"),
        ("cut_percent_larger", 2.5, "the ratio of the two cuts"),
        ("cut_percent_larger", 250, "'larger than' counts only the part above 100 %"),
        ("cut_percent_larger", 63, "shares of different totals cannot be added"),
        ("water_after_cut", 9e6, "the water used *before* the cut"),
        ("water_after_cut", 90_000, "divided by the percent figure instead of the share"),
        ("so2_avoided", 165, "the mass of the sulphur, not of the sulphur dioxide"),
        ("so2_avoided", 7500 * 0.019, "the article's own ratio of SO₂ to oil saved"),
        ("households_heated", 16_000, "without converting: 1 MWh = 3.6 GJ"),
        ("new_partner_hub", 31_500, "the biogas alone"),
        ("new_partner_hub", 31_500 - 4_200, "a net figure"),
        ("new_partner_chart", 45_000 + 3_500, "one is tonnes a *month*"),
    ],
)
def test_the_likely_slips_are_named(question, answer, words):
    feedback = evaluate(_q(question), answer, student=None)
    assert not feedback.correct and words in feedback.message, feedback.message


def test_hints_come_one_at_a_time_and_never_give_the_answer():
    wrong = {"partner_links": ["Nobody"], "closure_receivers": "a", "broker": "asnaes", **{n: 1e9 for n in NUMERIC}}
    for name, answer in wrong.items():
        question = exercises.question(_q(name))
        first = evaluate(_q(name), answer, student=None, attempt=1)
        later = evaluate(_q(name), answer, student=None, attempt=3)
        assert not first.correct and len(first.hints) == 0 and len(later.hints) == min(2, len(question.hints)), name
        if name in NUMERIC:
            shown = exercises.expected_text(_q(name), None).split()[0]
            assert all(shown not in hint for hint in later.hints), (name, later.hints)


def test_an_untouched_placeholder_is_not_an_attempt():
    for name in QUESTIONS:
        feedback = evaluate(_q(name), None, student=None)
        assert not feedback.correct and not feedback.attempted and feedback.message.startswith("⏳ Not answered yet"), name


def test_the_broker_is_noveren_by_id_label_or_name():
    for typed in ("noveren", "Noveren", "Noveren I/S", " noveren i/s. "):
        assert evaluate("symbiosis.broker", typed, student=None).correct, typed
    hub = evaluate("symbiosis.broker", "Asnæs Power Station", student=None)
    assert not hub.correct and "being the hub by one measure does not make it the broker" in hub.message
    assert not evaluate("symbiosis.broker", "asnaes", student=None).correct
    # Each student sees the four options in an order of their own; a letter means that student's option.
    letters = {s: exercises.prompt("symbiosis.broker", s) for s in ("alice", "bob", "carol", "dave")}
    assert len(set(letters.values())) > 1
    unknown = evaluate("symbiosis.broker", "somebody", student=None)
    assert not unknown.correct and "'somebody' is not one of the options" in unknown.message


def test_each_student_gets_a_new_case_and_anothers_answer_is_wrong():
    for name in NUMERIC:
        a, b = exercises.expected(_q(name), "alice"), exercises.expected(_q(name), "bob")
        assert exercises.prompt(_q(name), "alice") != exercises.prompt(_q(name), "bob")
        assert evaluate(_q(name), a, student="alice").correct
        assert not evaluate(_q(name), a, student="bob").correct, name
        assert abs((a - b) / b).to("").magnitude > 0.01, name
    differ = [n for n in QUESTIONS if exercises.prompt(_q(n), "alice") != exercises.prompt(_q(n), "bob")
              and exercises.expected(_q(n), "alice") != exercises.expected(_q(n), "bob")]
    assert len(differ) >= 0.8 * len(QUESTIONS), differ


# That two students' numeric answers rarely agree (under 1 % of pairs over 200 identities) is
# tests/test_exercise_families.py's pair test, which covers this topic's questions with the others'.


def test_the_default_numbers_are_a_new_case_not_the_articles():
    # The worked examples use the article's figures; the exercises' defaults are other cases.
    assert exercises.variant("symbiosis.partner_links", None)["partner"] != "Gyproc"
    assert exercises.variant("symbiosis.cut_percent_larger", None)["plant_cut"] != 60
    assert exercises.variant("symbiosis.water_after_cut", None)["cut"] != 25
    assert exercises.variant("symbiosis.so2_avoided", None)["fuel_saved"] != 20_000


def test_every_range_is_on_its_grid_and_has_a_reason():
    table = data.load("exercise_variants_symbiosis")
    assert set(table["question"]) <= set(QUESTIONS)
    assert table["basis"].isin(["seed", "literature", "assumption"]).all()
    assert table["source"].str.len().min() > 60
    for row in table.to_dict("records"):
        if pd.isna(row["options"]):
            assert row["low"] <= row["value"] <= row["high"], row["name"]
            assert abs((row["value"] - row["low"]) / row["step"] - round((row["value"] - row["low"]) / row["step"])) < 1e-9
        else:
            assert pd.isna(row["value"]) and "|" in row["options"]


def test_the_reflection_names_the_students_numbers_then_shows_the_model_answer():
    short = evaluate("symbiosis.wood_chips", "less gypsum", student=None)
    assert not short.correct and "at least 15 words" in short.message
    full = evaluate("symbiosis.wood_chips", "Wood chips hold little sulphur, so the desulphurisation plant makes far less "
                                            "gypsum and Gyproc must buy natural gypsum instead.", student=None)
    # 2 t of chips x 0.03 % / 1 % = 6 % of the sulphur: about 12,000 of up to 200,000 t a year.
    assert full.correct and "about 6 % of before" in full.message and "12,000 t/yr" in full.message
    assert "Gyproc" in full.message
    assert exercises.prompt("symbiosis.wood_chips", "alice") != exercises.prompt("symbiosis.wood_chips", "bob")


def test_the_model_exercise_uses_the_park_model():
    """The expected answer of the model exercise is what what_if reads off the grown park."""
    from course_lib.symbiosis import questions

    v = exercises.variant("symbiosis.new_partner_hub", "alice")
    grown = symbiosis.add_to_park(symbiosis.kalundborg(), partners=questions.NEW_PARTNER,
                                  exchanges=questions.biogas_exchanges(v.quantity("biogas_energy"), v.quantity("digester_heat")))
    lost = symbiosis.what_if(grown, "asnaes").quantities.set_index("unit_label")["total"]
    assert exercises.expected("symbiosis.new_partner_hub", "alice").magnitude == pytest.approx(lost["MWh/year"])
    assert lost["t/year"] == 200_000  # the gypsum, kept on a line of its own
    assert symbiosis.hub_ranking(grown).set_index("partner").loc["asnaes", "supplies"] == 11


def test_every_symbiosis_question_is_in_the_question_file_with_its_kind():
    ids = [f"symbiosis.{name}" for name in QUESTIONS]
    kinds = [exercises.question(q).kind for q in ids]
    assert kinds == ["recall", "predict", "misconception", "misconception", "transfer", "transfer", "transfer",
                     "model", "chart", "reflection"]
    assert kinds.count("recall") <= len(kinds) / 3
    assert sum(k in ("transfer", "predict", "model") for k in kinds) >= len(kinds) / 3


# ---- Growing a park ------------------------------------------------------------------------


def test_add_to_park_returns_a_new_checked_park_and_leaves_the_old_one(park):
    grown = symbiosis.add_to_park(park, partners={"id": "biogas", "name": "Biogas plant"}, exchanges=[
        {"source": "novozymes", "target": "biogas", "material": "residue", "value": 3, "unit": "t", "period": "month"},
        {"source": "biogas", "target": "farmers", "material": "digestate", "value": None, "unit": None}])
    assert (len(grown.partners), len(grown.exchanges)) == (25, 40) and (len(park.partners), len(park.exchanges)) == (24, 38)
    assert grown.name == "Kalundborg, grown" and symbiosis.add_to_park(grown, exchanges=[
        {"source": "biogas", "target": "households", "material": "gas", "value": 1, "unit": "MWh"}]).name == "Kalundborg, grown"
    assert grown.exchanges["quantity"].tolist()[-2:] == ["3 t/month", ""]
    assert symbiosis.what_if(grown, "biogas").quantities["quantity"].tolist() == ["3 t/month"]


def test_add_to_park_reports_every_problem_with_the_row_given(park):
    with pytest.raises(symbiosis.ParkError) as info:
        symbiosis.add_to_park(park, partners=[{"id": "asnaes", "name": "x"}, {"id": "", "name": ""}],
                              exchanges=[{"source": "biogaz", "target": "farmers", "material": "", "value": -1, "unit": "tons"}])
    message = str(info.value)
    assert "your rows are counted from 1, in the order you gave them" in message
    for piece in ("your partners, row 1, column 'id': 'asnaes' is already a partner of Kalundborg",
                  "your partners, row 2, column 'id': empty id", "your exchanges, row 1, column 'source': 'biogaz' is not a partner id",
                  "row 1, column 'value': -1 is negative", "'tons' is ambiguous"):
        assert piece in message, message
    with pytest.raises(ValueError, match="nothing to add"):
        symbiosis.add_to_park(park)
    with pytest.raises(TypeError, match="exchanges must be one row"):
        symbiosis.add_to_park(park, exchanges="biogas")
    with pytest.raises(symbiosis.ParkError, match="every row needs a value for 'unit'"):
        symbiosis.add_to_park(park, exchanges={"source": "asnaes", "target": "farmers", "material": "x", "value": 1})


# ---- The package ---------------------------------------------------------------------------


@pytest.mark.slow  # a fresh Python
def test_importing_the_package_and_its_model_loads_no_widgets_charts_or_park_data():
    code = ("import sys, pandas; read = []; original = pandas.read_csv\n"
            "pandas.read_csv = lambda path, *a, **k: read.append(str(path)) or original(path, *a, **k)\n"
            "import course_lib.symbiosis\n"
            "package = ('altair' in sys.modules, 'ipywidgets' in sys.modules)\n"
            "import course_lib.symbiosis.park, course_lib.symbiosis.network, course_lib.symbiosis.layout\n"
            "print(*package, 'altair' in sys.modules, 'ipywidgets' in sys.modules, any('kalundborg' in p for p in read))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False", "False", "False", "False"]


def test_the_flow_tools_are_the_floors():
    assert symbiosis.sum_by_unit is flows.sum_by_unit
    assert symbiosis.EXCHANGE_COLUMNS == flows.FLOW_COLUMNS and symbiosis.PERIODS == flows.PERIODS
    assert symbiosis.kalundborg() is symbiosis.kalundborg()  # cached per data folder
    park = symbiosis.kalundborg()
    # The exchanges are a valid flow table once the flows without a printed quantity are left out.
    known = park.exchanges.dropna(subset=["value"])
    assert flows.validate_flows(known)["value"].sum() == known["value"].sum()
