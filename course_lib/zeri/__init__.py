"""The ZERI brewery cascade (Figure 3 of the article) as a mass-balanced flow model.

The article tells the story without a single number: spent grain becomes bread and mushroom
substrate, the spent substrate feeds livestock, manure and brewery wastewater go to a
biodigester that makes methane and a nutrient solution, algae grow on the solution and feed
fish. This module turns the story into flows of kilograms, with every parameter taken from
``datasets/zeri_parameters.csv`` (a default, a plausible range, a unit and a source for each)
and every link from ``datasets/zeri_links.csv`` (with the article's sentence as evidence).

Each stream is split into its **dry matter** (everything that is not water, gases included)
and its **water**, so a flow diagram can show the organic cascade with or without the water
that dominates a brewery's mass. Two conventions keep the balance honest and simple:
respiration is counted as the dry matter oxidised (the oxygen it combines with comes from and
returns to the air), and photosynthesis as the dry matter fixed from the air.

>>> flows = run_cascade(100)                      # 100 hL of beer, default parameters
>>> sorted(flows.columns)[:5]
['component', 'kind', 'link', 'material', 'source']
>>> spent = flows[flows["link"].str.startswith("bsg_to")]
>>> round(spent["value"].sum())                  # 100 hL x 20 kg wet spent grain per hL
2000
>>> table = compare_linear_vs_cascade(100).set_index("outcome")
>>> table.loc["landfill", ["linear", "cascade"]].tolist()
[2000.0, 0.0]
>>> run_cascade(100, share_bread=0.7, share_mushroom=0.5)
Traceback (most recent call last):
...
ValueError: share_bread + share_mushroom = 0.7 + 0.5 = 1.2 exceeds 1: the two shares of spent grain cannot add up to more than all of it (the rest, 1 - share_bread - share_mushroom, feeds livestock directly)

Every stage balances (inputs = outputs + losses + stock change) or :func:`run_cascade` raises
:class:`course_lib.flows.MassBalanceError`; :func:`balance` shows the stage-by-stage table.
"""

from __future__ import annotations

import functools
import math
import numbers
import os

import altair as alt
import pandas as pd

from .. import data
from ..charts import finish
from ..exercises import Question, register
from ..flows import check_balance, flow_diagram
from ..units import Q_, check_unit

__all__ = [
    "parameters",
    "defaults",
    "stages",
    "links",
    "run_cascade",
    "run_linear",
    "balance",
    "outcomes",
    "OUTCOMES",
    "compare_linear_vs_cascade",
    "sensitivity",
    "key_parameters",
    "diagram_views",
    "cascade_diagram",
    "comparison_chart",
    "tornado_chart",
    "cascade_explorer",
]

#: The outcomes the comparison and the sensitivity analysis report: id -> (label, unit).
OUTCOMES = {
    "landfill": ("Spent grain landfilled", "kg"),
    "discharged_solids": ("Organic matter discharged with water (dry)", "kg"),
    "bread": ("Spent-grain flour for bread", "kg"),
    "mushrooms": ("Fresh mushrooms", "kg"),
    "meat": ("Meat (live-weight gain)", "kg"),
    "fish": ("Fish (fresh)", "kg"),
    "methane": ("Methane (0 °C, 1 atm)", "m**3"),
    "methane_energy": ("Methane energy (lower heating value)", "kWh"),
}

# The unit each parameter is used in inside the model; the CSV may give it in any compatible unit.
_MODEL_UNITS = {
    "beer_hl": "hL", "bsg_per_hl": "kg/hL", "water_use_hl_per_hl": "dimensionless",
    "wastewater_cod": "kg/m**3", "manure_ch4_yield": "m**3/kg", "molar_volume": "m**3/mol",
    "cod_per_mol_ch4": "kg/mol", "ch4_molar_mass": "kg/mol", "co2_molar_mass": "kg/mol",
    "ch4_lhv": "kWh/kg", "water_density": "kg/m**3",
}

#: The source line of the module's charts (the datasets carry the full citations: data.cite).
SOURCE = ("Wong-Swanson (2005), section 'A. Beer' and Figure 3; course model course_lib.zeri with "
          "datasets zeri_links and zeri_parameters (sources in data.cite)")

# Colours of the flow kinds in the diagram (Okabe-Ito; losses grey).
_KIND_COLOURS = {
    "residue": "#E69F00", "input": "#56B4E9", "product": "#009E73", "water-borne": "#0072B2",
    "energy carrier": "#D55E00", "loss": "#999999", "stock": "#CC79A7", "waste": "#000000",
}


# ---- Data --------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _tables(folder: str) -> dict:
    """Parameters (converted to model units), stages and links, read once per data folder."""
    table = data.load("zeri_parameters")
    rows = {}
    for row in table.itertuples():
        unit = check_unit(row.unit, f"zeri_parameters.unit of {row.name}")
        factor = Q_(1.0, unit).to(_MODEL_UNITS.get(row.name, unit)).magnitude
        rows[row.name] = {
            "role": row.role, "description": row.description, "unit": row.unit, "factor": factor,
            "default": row.default, "low": row.low, "high": row.high,
            "allowed_min": 0.0 if pd.isna(row.allowed_min) else row.allowed_min,
            "allowed_max": math.inf if pd.isna(row.allowed_max) else row.allowed_max,
        }
    # Plain dicts: pandas would deep-copy the datasets' metadata (attrs) on every lookup.
    link_table = {row["id"]: row for row in data.load("zeri_links").to_dict("records")}
    stage_table = {row["id"]: row for row in data.load("zeri_stages").to_dict("records")}
    return {"parameters": rows, "links": link_table, "stages": stage_table}


@functools.lru_cache(maxsize=1)
def _hl_in_m3() -> float:
    return Q_(1.0, "hL").to("m**3").magnitude  # pint, once: 0.1


def _data() -> dict:
    # Keyed on the data folder setting (an instructor's COURSE_DATA_DIR gets its own tables).
    return _tables(os.environ.get("COURSE_DATA_DIR", ""))


def parameters() -> pd.DataFrame:
    """The parameter table (``datasets/zeri_parameters.csv``) with its sources.

    >>> row = parameters().set_index("name").loc["mushroom_be"]
    >>> float(row["default"]), row["basis"]
    (0.191, 'literature')
    """
    return data.load("zeri_parameters")


def stages() -> pd.DataFrame:
    """The cascade's nodes (``datasets/zeri_stages.csv``): id, label, role, evidence, source."""
    return data.load("zeri_stages")


def links() -> pd.DataFrame:
    """The cascade's links (``datasets/zeri_links.csv``) with the article's sentence as evidence."""
    return data.load("zeri_links")


def defaults() -> dict:
    """Default value of every parameter the model accepts (in the units of the CSV).

    >>> defaults()["bsg_per_hl"], defaults()["mushroom_be"]
    (20.0, 0.191)
    """
    return {name: row["default"] for name, row in _data()["parameters"].items() if row["role"] == "parameter"}


def _number(name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {value!r} of type {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name}={value!r} must be a finite number")
    return value


def _resolve(beer_hl, params: dict) -> tuple[float, dict]:
    """Check the beer volume and the parameters; return them in model units."""
    table = _data()["parameters"]
    beer = table["beer_hl"]
    if beer_hl is None:
        beer_hl = beer["default"]
    beer_hl = _number("beer_hl", beer_hl)
    if beer_hl < 0:
        raise ValueError(f"beer_hl={beer_hl!r} must be >= 0 (hectolitres of beer brewed)")
    values = {}
    for name, value in params.items():
        if name not in table or table[name]["role"] == "scenario":
            known = ", ".join(n for n, r in table.items() if r["role"] == "parameter")
            raise ValueError(f"unknown parameter {name!r}; run_cascade accepts: {known}")
        row = table[name]
        if row["role"] == "constant":
            raise ValueError(
                f"{name} is a physical constant ({row['default']} {row['unit']}), not a model parameter; "
                "change it in datasets/zeri_parameters.csv if you really must"
            )
        value = _number(name, value)
        lo, hi = row["allowed_min"], row["allowed_max"]
        if not lo <= value <= hi:
            limit = f"[{lo:g}, {hi:g}]" if math.isfinite(hi) else f">= {lo:g}"
            raise ValueError(
                f"{name}={value:g} is outside its physical range {limit} {row['unit']} "
                f"(plausible range {row['low']:g} to {row['high']:g}; {row['description']})"
            )
        values[name] = value
    p = {n: (values.get(n, r["default"])) * r["factor"] for n, r in table.items() if r["role"] != "scenario"}
    shares = p["share_bread"] + p["share_mushroom"]
    if shares > 1 + 1e-12:
        raise ValueError(
            f"share_bread + share_mushroom = {p['share_bread']:g} + {p['share_mushroom']:g} = {shares:g} exceeds 1: "
            "the two shares of spent grain cannot add up to more than all of it "
            "(the rest, 1 - share_bread - share_mushroom, feeds livestock directly)"
        )
    if p["flour_moisture"] > p["bsg_moisture"]:
        raise ValueError(
            f"flour_moisture={p['flour_moisture']:g} exceeds bsg_moisture={p['bsg_moisture']:g}: drying cannot add water; "
            "choose flour_moisture <= bsg_moisture"
        )
    mushroom_dm = p["mushroom_be"] * (1 - p["mushroom_moisture"])
    if mushroom_dm > p["substrate_dm_loss"]:
        raise ValueError(
            f"mushroom_be={p['mushroom_be']:g} with mushroom_moisture={p['mushroom_moisture']:g} puts "
            f"{mushroom_dm:.3g} kg of mushroom dry matter per kg of substrate, more than substrate_dm_loss="
            f"{p['substrate_dm_loss']:g} allows: raise substrate_dm_loss or lower mushroom_be"
        )
    retained = p["gain_dry_matter"] / p["feed_per_gain"]
    if retained > p["feed_digestibility"]:
        raise ValueError(
            f"gain_dry_matter / feed_per_gain = {retained:.3g} kg retained per kg of feed exceeds "
            f"feed_digestibility={p['feed_digestibility']:g}: animals cannot keep more than they digest"
        )
    return beer_hl * table["beer_hl"]["factor"], p


# ---- The model ---------------------------------------------------------------------------------


def _compute(beer_hl: float, p: dict, scenario: str = "cascade") -> list[tuple[str, str, float]]:
    """The model itself: ``(link id, component, value)`` rows, values in kg (energy in kWh)."""
    rows = []

    def add(link, dry=None, water=None):
        if dry is not None:
            rows.append((link, "dry matter", dry))
        if water is not None:
            rows.append((link, "water", water))

    # Brewery: wet spent grain and wastewater per hectolitre of beer.
    bsg = beer_hl * p["bsg_per_hl"]
    bsg_dm, bsg_w = bsg * (1 - p["bsg_moisture"]), bsg * p["bsg_moisture"]
    ww_m3 = beer_hl * _hl_in_m3() * p["water_use_hl_per_hl"] * p["wastewater_share"]
    cod = ww_m3 * p["wastewater_cod"]
    ww_dm = cod / p["cod_per_dm"]
    ww_w = ww_m3 * p["water_density"] - ww_dm
    if scenario == "linear":
        add("bsg_to_landfill", bsg_dm, bsg_w)
        add("wastewater_discharged", ww_dm, ww_w)
        return rows
    share_feed = max(0.0, 1 - p["share_bread"] - p["share_mushroom"])

    # Bakery: dry the spent grain to flour moisture; the water evaporates.
    b_dm, b_w = bsg_dm * p["share_bread"], bsg_w * p["share_bread"]
    flour_w = b_dm * p["flour_moisture"] / (1 - p["flour_moisture"])
    add("bsg_to_bakery", b_dm, b_w)
    add("flour_to_bread", b_dm, flour_w)
    add("drying_loss", water=b_w - flour_w)

    # Mushroom farm: spent grain + straw, wetted; mushrooms = biological efficiency x dry substrate.
    m_dm, m_w = bsg_dm * p["share_mushroom"], bsg_w * p["share_mushroom"]
    straw_dm = m_dm * p["straw_per_bsg"]
    straw_w = straw_dm * p["straw_moisture"] / (1 - p["straw_moisture"])
    substrate = m_dm + straw_dm
    water_in = m_w + straw_w
    added = max(0.0, substrate * p["substrate_moisture"] / (1 - p["substrate_moisture"]) - water_in)
    mush = p["mushroom_be"] * substrate
    mush_dm, mush_w = mush * (1 - p["mushroom_moisture"]), mush * p["mushroom_moisture"]
    lost = substrate * p["substrate_dm_loss"]
    sms_dm = substrate - lost
    sms_w = sms_dm * p["substrate_moisture_out"] / (1 - p["substrate_moisture_out"])
    left = water_in + added - mush_w - sms_w  # > 0 evaporates; < 0 is watered while fruiting
    added, evaporated = added + max(0.0, -left), max(0.0, left)
    n_substrate = (m_dm * p["bsg_protein"] + straw_dm * p["straw_protein"]) / p["protein_per_n"]
    n_mushrooms = mush_dm * p["mushroom_protein"] / p["protein_per_n"]
    n_sms = n_substrate - n_mushrooms
    if n_sms < -1e-12 * max(1.0, n_substrate):
        raise ValueError(
            f"the mushrooms would hold more nitrogen ({n_mushrooms:.3g} kg) than their substrate "
            f"({n_substrate:.3g} kg): lower mushroom_be or raise bsg_protein/straw_protein"
        )
    add("bsg_to_mushrooms", m_dm, m_w)
    add("straw_to_mushrooms", straw_dm, straw_w)
    add("water_added_mushrooms", water=added)
    add("mushrooms_to_market", mush_dm, mush_w)
    add("mushroom_respiration", dry=lost - mush_dm)
    add("mushroom_evaporation", water=evaporated)
    add("substrate_to_livestock", sms_dm, sms_w)

    # Livestock: growth from feed conversion; undigested dry matter leaves as manure slurry.
    f_dm = bsg_dm * share_feed + sms_dm
    f_w = bsg_w * share_feed + sms_w
    n_feed = bsg_dm * share_feed * p["bsg_protein"] / p["protein_per_n"] + max(n_sms, 0.0)
    gain = f_dm / p["feed_per_gain"]
    gain_dm, gain_w = gain * p["gain_dry_matter"], gain * (1 - p["gain_dry_matter"])
    man_dm = f_dm * (1 - p["feed_digestibility"])
    man_w = man_dm * (1 - p["manure_dry_matter"]) / p["manure_dry_matter"]
    left = f_w - gain_w - man_w  # < 0: the animals drink; > 0: vapour
    n_manure = n_feed * (1 - p["n_retention"])
    add("bsg_to_livestock", bsg_dm * share_feed, bsg_w * share_feed)
    add("water_added_livestock", water=max(0.0, -left))
    add("livestock_to_meat", gain_dm, gain_w)
    add("manure_to_digester", man_dm, man_w)
    add("livestock_respiration", dry=f_dm * p["feed_digestibility"] - gain_dm)
    add("livestock_evaporation", water=max(0.0, left))

    # Biodigester: methane from manure volatile solids and from the wastewater COD removed.
    ch4_per_cod = p["molar_volume"] / p["cod_per_mol_ch4"]  # 0.35 m3 per kg COD at 0 degC, 1 atm
    ch4_m3 = man_dm * p["manure_vs"] * p["manure_ch4_yield"] + cod * p["cod_removal"] * ch4_per_cod
    ch4_kg = ch4_m3 * p["ch4_molar_mass"] / p["molar_volume"]
    co2_kg = ch4_m3 * (1 - p["biogas_ch4_share"]) / p["biogas_ch4_share"] * p["co2_molar_mass"] / p["molar_volume"]
    digestate_dm = man_dm + ww_dm - ch4_kg - co2_kg
    if digestate_dm < 0:
        raise ValueError(
            f"the biogas ({ch4_kg + co2_kg:.3g} kg) would weigh more than the dry matter entering the digester "
            f"({man_dm + ww_dm:.3g} kg): check manure_ch4_yield, cod_per_dm and biogas_ch4_share"
        )
    add("wastewater_to_digester", ww_dm, ww_w)
    add("methane_to_use", dry=ch4_kg)
    rows.append(("methane_to_use", "energy", ch4_kg * p["ch4_lhv"]))
    add("biogas_co2", dry=co2_kg)
    add("solution_to_algae", digestate_dm, man_w + ww_w)

    # Algae: nitrogen-limited growth on the manure nitrogen in the solution; carbon from the air.
    n_up = n_manure * p["algae_n_uptake"]
    algae = n_up / p["algae_n_content"]
    add("co2_to_algae", dry=algae - n_up)
    add("algae_to_pond", dry=algae)
    add("solution_to_pond", digestate_dm - n_up, man_w + ww_w)

    # Fish pond: one trophic step from algae to fish; the rest settles or is respired.
    fish_dm = algae * p["trophic_efficiency"]
    fish_w = fish_dm * (1 - p["fish_dry_matter"]) / p["fish_dry_matter"]
    rest = algae - fish_dm
    add("fish_to_market", fish_dm, fish_w)
    add("pond_sediment", dry=rest * p["sediment_share"])
    add("pond_respiration", dry=rest * (1 - p["sediment_share"]))
    add("pond_water_out", digestate_dm - n_up, man_w + ww_w - fish_w)
    return rows


def _frame(rows, scenario) -> pd.DataFrame:
    link_table = _data()["links"]
    records = []
    for link, component, value in rows:
        info = link_table[link]
        if info["scenario"] != scenario:
            raise RuntimeError(f"link {link!r} belongs to scenario {info['scenario']!r}, not {scenario!r}")
        if value < 0:
            raise ValueError(f"the parameters give a negative flow at link {link!r} ({component}: {value:.4g})")
        records.append({
            "source": info["from_node"], "target": info["to_node"], "material": info["material"],
            "value": float(value), "unit": "kWh" if component == "energy" else "kg",
            "component": component, "kind": info["kind"], "link": link,
        })
    return pd.DataFrame(records, columns=["source", "target", "material", "value", "unit", "component", "kind", "link"])


def run_cascade(beer_hl=None, **params) -> pd.DataFrame:
    """Flows of the ZERI cascade for ``beer_hl`` hectolitres of beer (default: the dataset's 100).

    Keyword arguments override parameters of ``datasets/zeri_parameters.csv`` (in that file's
    units). Returns a tidy flow table: ``source, target, material, value, unit`` plus
    ``component`` (dry matter, water or energy), ``kind`` and ``link`` (an id of
    ``zeri_links``). Masses are in kg, the methane's energy in kWh. Every stage is checked to
    balance (dry matter and water separately) before the table is returned.

    >>> f = run_cascade(100)
    >>> f.loc[(f["link"] == "methane_to_use") & (f["component"] == "energy"), "unit"].item()
    'kWh'
    >>> run_cascade(-5)
    Traceback (most recent call last):
    ...
    ValueError: beer_hl=-5.0 must be >= 0 (hectolitres of beer brewed)
    """
    beer, p = _resolve(beer_hl, params)
    flows = _frame(_compute(beer, p), "cascade")
    balance(flows)
    return flows


def run_linear(beer_hl=None, **params) -> pd.DataFrame:
    """Flows of the brewery alone: spent grain to landfill, wastewater discharged.

    >>> run_linear(100).groupby("target")["value"].sum().round().to_dict()
    {'environment': 35000.0, 'landfill': 2000.0}
    """
    beer, p = _resolve(beer_hl, params)
    return _frame(_compute(beer, p, "linear"), "linear")


def balance(flows, rel_tol: float = 1e-9) -> pd.DataFrame:
    """Stage-by-stage mass balance of a cascade flow table; raises if a stage does not close.

    Checks the total mass and, when the table has a ``component`` column, dry matter and water
    separately. The processes are the ``process`` nodes of ``zeri_stages`` that appear in
    ``flows``; ``environment`` receives losses and ``pond_sediment`` is a stock.

    >>> b = balance(run_cascade(100))
    >>> b.loc[b["component"] == "all", "stage"].tolist()
    ['bakery', 'mushroom_farm', 'livestock', 'biodigester', 'algae_basins', 'fish_pond']
    >>> bool((b["relative"] < 1e-9).all())
    True
    """
    stage_table = _data()["stages"]
    if not isinstance(flows, pd.DataFrame):
        raise TypeError(f"flows must be a DataFrame from run_cascade, got {type(flows).__name__}")
    present = set(flows.get("source", [])) | set(flows.get("target", []))
    processes = [s for s, row in stage_table.items() if row["role"] == "process" and s in present]
    stocks = [s for s, row in stage_table.items() if row["role"] == "stock"]
    environment = [s for s, row in stage_table.items() if row["role"] == "environment"]
    by = "component" if "component" in flows.columns else None
    return check_balance(flows, processes=processes, environment=environment, stocks=stocks, by=by, rel_tol=rel_tol)


def _summarise(records, p) -> dict:
    """Outcomes from ``(source, target, kind, component, value)`` records."""
    out = dict.fromkeys(OUTCOMES, 0.0)
    products = {"bread": "bread", "mushrooms": "mushrooms", "meat": "meat", "fish": "fish", "landfill": "landfill"}
    for source, target, kind, component, value in records:
        if component == "energy":
            out["methane_energy"] += value
            continue
        if target in products:
            out[products[target]] += value
        if target == "methane_use":
            out["methane"] += value * p["molar_volume"] / p["ch4_molar_mass"]
        if target == "environment" and kind in ("waste", "water-borne") and component == "dry matter":
            out["discharged_solids"] += value
    return out


def outcomes(flows) -> pd.DataFrame:
    """The headline outcomes of a flow table: products, landfill, discharge, methane.

    >>> o = outcomes(run_linear(100)).set_index("outcome")
    >>> o["value"].to_dict()["landfill"], o["value"].to_dict()["fish"]
    (2000.0, 0.0)
    """
    if not isinstance(flows, pd.DataFrame):
        raise TypeError(f"flows must be a DataFrame from run_cascade or run_linear, got {type(flows).__name__}")
    missing = [c for c in ("source", "target", "kind", "component", "value") if c not in flows.columns]
    if missing:
        raise ValueError(f"flows lacks column(s) {missing}: pass a table from run_cascade or run_linear")
    p = {n: r["default"] * r["factor"] for n, r in _data()["parameters"].items()}
    values = _summarise(zip(*(flows[c].tolist() for c in ("source", "target", "kind", "component", "value"))), p)
    return pd.DataFrame(
        [{"outcome": k, "label": OUTCOMES[k][0], "unit": OUTCOMES[k][1], "value": v} for k, v in values.items()]
    )


def _outcomes_fast(beer, p, scenario="cascade") -> dict:
    link_table = _data()["links"]
    records = (
        (link_table[link]["from_node"], link_table[link]["to_node"], link_table[link]["kind"], component, value)
        for link, component, value in _compute(beer, p, scenario)
    )
    return _summarise(records, p)


def compare_linear_vs_cascade(beer_hl=None, **params) -> pd.DataFrame:
    """Brewery alone vs brewery in a ZERI cluster: one row per outcome, both scenarios side by side.

    Columns: ``outcome, label, unit, linear, cascade, change`` (cascade minus linear).

    >>> c = compare_linear_vs_cascade(100).set_index("outcome")
    >>> round(float(c.loc["mushrooms", "cascade"]), 1)  # 0.191 x (150 kg spent-grain DM + 150 kg straw DM)
    57.3
    """
    linear, cascade = outcomes(run_linear(beer_hl, **params)), outcomes(run_cascade(beer_hl, **params))
    table = linear.rename(columns={"value": "linear"})
    table["cascade"] = cascade["value"].to_numpy()
    table["change"] = table["cascade"] - table["linear"]
    return table


def sensitivity(outcome: str = "fish", beer_hl=None, **params) -> pd.DataFrame:
    """One-at-a-time sensitivity: ``outcome`` at the low and the high end of each parameter's range.

    Every other parameter stays at its default (or at the value given in ``params``). Returns
    one row per parameter, sorted by ``swing`` = |outcome at high - outcome at low|, largest
    first: the data of a tornado chart.

    >>> s = sensitivity("mushrooms")
    >>> s.iloc[0]["parameter"]
    'mushroom_be'
    """
    if outcome not in OUTCOMES:
        raise ValueError(f"outcome={outcome!r} is not one of {list(OUTCOMES)}")
    _resolve(beer_hl, params)  # check the arguments before the cache sees them
    frame = _sensitivity(outcome, beer_hl, tuple(sorted(params.items())), os.environ.get("COURSE_DATA_DIR", ""))
    copy = frame.copy()
    copy.attrs = dict(frame.attrs)
    return copy


@functools.lru_cache(maxsize=64)
def _sensitivity(outcome, beer_hl, items, _folder) -> pd.DataFrame:
    # Cached: the notebook, the explorer and the exercises ask for the same rankings.
    params = dict(items)
    beer, base = _resolve(beer_hl, params)
    table = _data()["parameters"]
    reference = _outcomes_fast(beer, base)[outcome]
    rows = []
    for name, row in table.items():
        if row["role"] != "parameter" or row["low"] == row["high"]:
            continue
        results = {}
        for end in ("low", "high"):
            trial = dict(params, **{name: row[end]})
            try:
                b, p = _resolve(beer_hl, trial)
            except ValueError:
                # A range end that breaks a joint constraint with a user-chosen value: skip that end.
                results[end] = math.nan
                continue
            results[end] = _outcomes_fast(b, p)[outcome]
        rows.append({
            "parameter": name, "description": row["description"], "unit": row["unit"],
            "low": row["low"], "high": row["high"], "default": row["default"],
            "outcome_low": results["low"], "outcome_high": results["high"], "outcome_default": reference,
        })
    frame = pd.DataFrame(rows)
    frame["swing"] = (frame["outcome_high"] - frame["outcome_low"]).abs()
    frame = frame.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    frame.attrs.update(outcome=outcome, label=OUTCOMES[outcome][0], outcome_unit=OUTCOMES[outcome][1])
    return frame


def key_parameters(k: int = 4, outcomes_to_rank=("fish", "methane_energy", "mushrooms", "meat")) -> list[str]:
    """The ``k`` parameters that move the headline outcomes most (mean relative swing).

    >>> key_parameters(1)
    ['mushroom_be']
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a positive integer, got {k!r}")
    scores = {}
    for outcome in outcomes_to_rank:
        s = sensitivity(outcome)
        base = s["outcome_default"].iloc[0] or 1.0
        for row in s.itertuples():
            scores[row.parameter] = scores.get(row.parameter, 0.0) + row.swing / abs(base) / len(outcomes_to_rank)
    return sorted(scores, key=lambda n: -scores[n])[:k]


# ---- Charts ------------------------------------------------------------------------------------


def _labels() -> dict:
    return {node: row["label"] for node, row in _data()["stages"].items()}


VIEWS = ("dry matter", "fresh mass (with water)")


def diagram_views(flows, views=VIEWS) -> dict:
    """The views of a cascade flow table the diagram offers: dry matter only, and fresh mass.

    "fresh mass (with water)" adds each link's dry matter and water; energy rows are left out of
    both (they are not masses).
    """
    if not isinstance(flows, pd.DataFrame) or "component" not in flows.columns:
        raise TypeError("flows must be a DataFrame from run_cascade or run_linear (with a component column)")
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        raise ValueError(f"views {unknown} are not among {list(VIEWS)}")
    mass = flows[flows["component"] != "energy"]
    out = {}
    for view in views:
        if view == "dry matter":
            out[view] = mass[mass["component"] == "dry matter"]
        else:
            keys = ["source", "target", "material", "unit", "kind", "link"]
            out[view] = mass.groupby(keys, sort=False, as_index=False)["value"].sum()
    return out


def cascade_diagram(flows=None, *, title: str | None = None, width: int = 860, height: int = 420):
    """The flow diagram of a cascade (or linear) flow table, with a dry matter / fresh mass switch.

    The switch is a Vega-Lite radio button: it works in a saved notebook without a kernel.
    """
    if flows is None:
        flows = run_cascade()
    views = diagram_views(flows)
    total = views["dry matter"].loc[views["dry matter"]["source"] == "brewery", "value"].sum()
    description = (
        "Flow diagram of the ZERI brewery cascade: band widths are proportional to the kilograms flowing "
        f"between stages. Spent grain and wastewater leave the brewery ({total:,.0f} kg of dry matter); "
        "bands are coloured by kind of flow (residue, input, product, water-borne, energy carrier, loss, stock)."
    )
    return flow_diagram(
        views, title=title or "Where the brewery's kilograms go", description=description,
        source=SOURCE, color="kind", colors=_colours(views), labels=_labels(),
        width=width, height=height, node_pad=26, view_name="show",
    )


def _colours(views) -> dict:
    kinds = set()
    for table in views.values():
        kinds |= set(table["kind"])
    return {k: v for k, v in _KIND_COLOURS.items() if k in kinds}


def comparison_chart(table=None):
    """Bars: each outcome for the brewery alone and in the ZERI cluster (one panel per outcome)."""
    if table is None:
        table = compare_linear_vs_cascade()
    if not isinstance(table, pd.DataFrame) or not {"label", "unit", "linear", "cascade"} <= set(table.columns):
        raise TypeError("table must be the DataFrame returned by compare_linear_vs_cascade")
    long = table.melt(id_vars=["outcome", "label", "unit"], value_vars=["linear", "cascade"],
                      var_name="scenario", value_name="value")
    long["scenario"] = long["scenario"].map({"linear": "brewery alone", "cascade": "ZERI cluster"})
    long["panel"] = long["label"] + " (" + long["unit"].str.replace("**3", "³", regex=False) + ")"
    long["value"] = long["value"].round(2)
    bars = alt.Chart(long).mark_bar().encode(
        x=alt.X("value:Q", title=None),
        y=alt.Y("scenario:N", title=None, sort=["brewery alone", "ZERI cluster"]),
        color=alt.Color("scenario:N", title=None, sort=["brewery alone", "ZERI cluster"], legend=None),
        tooltip=["panel:N", "scenario:N", alt.Tooltip("value:Q", format=",.1f")],
    ).properties(width=260, height=44)
    text = bars.mark_text(align="left", dx=3).encode(text=alt.Text("value:Q", format=",.0f"))
    chart = alt.layer(bars, text).facet(
        facet=alt.Facet("panel:N", title=None, sort=list(long["panel"].unique()), header=alt.Header(labelAnchor="start")),
        columns=2,
    ).resolve_scale(x="independent")
    return finish(
        chart, title="Brewery alone vs brewery in a ZERI cluster",
        description="For each outcome, a bar for the brewery alone and one for the brewery in the ZERI cluster. "
        + "; ".join(f"{r.label}: {r.linear:,.0f} vs {r.cascade:,.0f} {r.unit}" for r in table.itertuples()),
        source=SOURCE,
    )


def tornado_chart(frame, top: int = 10):
    """A tornado chart of a :func:`sensitivity` table: the ``top`` parameters, largest swing first."""
    if not isinstance(frame, pd.DataFrame) or "swing" not in frame.columns or "outcome" not in frame.attrs:
        raise TypeError("frame must be the DataFrame returned by sensitivity()")
    if isinstance(top, bool) or not isinstance(top, int) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    head = frame.head(top)
    base = float(head["outcome_default"].iloc[0])
    unit = frame.attrs["outcome_unit"].replace("**3", "³")
    long = pd.concat([
        pd.DataFrame({"parameter": head["parameter"], "end": f"{end} end of range",
                      "setting": head[end].map("{:g}".format) + " " + head["unit"].str.replace("dimensionless", "", regex=False),
                      "value": head[f"outcome_{end}"].round(3), "base": round(base, 3)})
        for end in ("low", "high")
    ])
    order = list(head["parameter"])
    bars = alt.Chart(long).mark_bar().encode(
        y=alt.Y("parameter:N", sort=order, title=None),
        x=alt.X("base:Q", title=f"{frame.attrs['label']} ({unit})"),
        x2="value:Q",
        color=alt.Color("end:N", title=None, sort=["low end of range", "high end of range"]),
        tooltip=["parameter:N", "end:N", "setting:N", alt.Tooltip("value:Q", format=",.2f")],
    )
    rule = alt.Chart(pd.DataFrame({"base": [round(base, 3)]})).mark_rule(color="black").encode(x="base:Q")
    chart = alt.layer(bars, rule).properties(width=520, height=26 * len(order))
    top_row = head.iloc[0]
    return finish(
        chart, title=f"Which assumption moves {frame.attrs['label'].lower()} most?",
        description=(
            f"Tornado chart: {frame.attrs['label']} at the default parameters is {base:,.1f} {unit}; each bar spans the "
            f"outcome when one parameter goes from the low to the high end of its plausible range. Largest swing: "
            f"{top_row['parameter']} ({top_row['outcome_low']:,.1f} to {top_row['outcome_high']:,.1f} {unit})."
        ),
        source=SOURCE,
    )


# ---- Explorer ----------------------------------------------------------------------------------

from .. import widgets  # noqa: E402  (ipywidgets only for the explorer)


@widgets.explorer
def cascade_explorer(controls: tuple[str, ...] | None = None):
    """Sliders for the beer volume, the two spent-grain shares and the most sensitive parameters.

    Each change reruns the mass-balanced model and redraws the flow diagram and the comparison
    with the brewery alone. ``controls`` names the parameters to expose (default: the shares
    and the four of :func:`key_parameters`).
    """
    import ipywidgets as w

    table = _data()["parameters"]
    if controls is None:
        shares = ["share_bread", "share_mushroom"]
        names = shares + [n for n in key_parameters(6) if n not in shares][:4]
    else:
        names = list(controls)
    for name in names:
        if name not in table or table[name]["role"] != "parameter":
            raise ValueError(f"controls names {name!r}, which is not a model parameter")
    beer = table["beer_hl"]
    sliders = {"beer_hl": w.FloatLogSlider(value=beer["default"], base=10, min=math.log10(beer["low"]),
                                           max=math.log10(beer["high"]), step=0.25, description="beer (hL)",
                                           continuous_update=False)}
    for name in names:
        row = table[name]
        sliders[name] = w.FloatSlider(value=row["default"], min=row["low"], max=row["high"],
                                      step=(row["high"] - row["low"]) / 40, description=name,
                                      readout_format=".3g", continuous_update=False,
                                      style={"description_width": "initial"})
    sliders["view"] = w.Dropdown(options=["dry matter", "fresh mass (with water)"], value="dry matter", description="show")

    def update(beer_hl, view, **params):
        try:
            flows = run_cascade(beer_hl, **params)
        except ValueError as exc:  # e.g. the two shares above 1: say so instead of drawing
            return f"⚠️ {exc}"
        beer, p = _resolve(beer_hl, params)
        linear = _outcomes_fast(beer, p, "linear")
        cascade = outcomes(flows)
        shown = diagram_views(flows, (view,))[view]
        lines = [f"{r.label}: {linear[r.outcome]:,.1f} → {r.value:,.1f} {r.unit.replace('**3', '³')}"
                 for r in cascade.itertuples()]
        return flow_diagram(
            shown, title=f"ZERI cascade explorer: {beer_hl:,.0f} hL of beer, {view}",
            description=f"Flow diagram ({view}) for {beer_hl:,.0f} hL of beer with the chosen parameters, then each "
            "outcome for the brewery alone and in the ZERI cluster: " + "; ".join(lines) + ".",
            source=SOURCE, color="kind", colors=_colours({view: shown}), labels=_labels(),
            width=760, height=360, node_pad=26, footnotes=["Brewery alone → ZERI cluster:", *lines],
        )

    return widgets.Explorer(sliders, update, title="ZERI cascade explorer")


# ---- Exercises ---------------------------------------------------------------------------------


def _default(name):
    row = _data()["parameters"][name]
    return row["default"]


def _bsg_dry_matter():
    return Q_(_default("beer_hl") * _default("bsg_per_hl") * (1 - _default("bsg_moisture")), "kg")


def _ch4_per_cod():
    table = _data()["parameters"]
    return (Q_(table["molar_volume"]["default"], table["molar_volume"]["unit"])
            / Q_(table["cod_per_mol_ch4"]["default"], table["cod_per_mol_ch4"]["unit"])).to("m**3/kg")


def _outcome(name):
    def expected():
        row = outcomes(run_cascade()).set_index("outcome").loc[name]
        return Q_(row["value"], row["unit"])
    return expected


def _sms_protein():
    beer, p = _resolve(None, {})
    rows = {(link, comp): v for link, comp, v in _compute(beer, p)}
    m_dm = rows[("bsg_to_mushrooms", "dry matter")]
    straw_dm = rows[("straw_to_mushrooms", "dry matter")]
    mush_dm = rows[("mushrooms_to_market", "dry matter")]
    sms_dm = rows[("substrate_to_livestock", "dry matter")]
    protein = m_dm * p["bsg_protein"] + straw_dm * p["straw_protein"] - mush_dm * p["mushroom_protein"]
    return Q_(100 * protein / sms_dm, "percent")


def _fish_top():
    return sensitivity("fish").iloc[0]["parameter"]


_EVIDENCE_QUIZ = ("bsg_to_livestock", "manure_to_digester", "fish_to_market", "biogas_co2", "substrate_to_livestock", "co2_to_algae")


def _evidence():
    table = _data()["links"]
    return {link: table[link]["stated"] for link in _EVIDENCE_QUIZ}


register(Question(
    id="zeri.bsg_dry_matter",
    prompt="How many kilograms of dry matter are in the spent grain from 100 hL of beer (default parameters)?",
    expected=_bsg_dry_matter, unit="kg",
    hints=("Wet spent grain = beer volume x kg of spent grain per hL.",
           "Dry matter = wet mass x (1 - moisture)."),
))
register(Question(
    id="zeri.ch4_per_kg_cod",
    prompt="Derive the theoretical methane yield, in m³ of CH4 (0 °C, 1 atm) per kg of COD removed.",
    expected=_ch4_per_cod, unit="m**3/kg", rel_tol=0.01,
    hints=("CH4 + 2 O2 -> CO2 + 2 H2O: one mole of methane 'carries' 64 g of COD.",
           "One mole of gas takes 22.414 L at 0 °C and 1 atm: divide by 64 g and convert to m³/kg."),
))
register(Question(
    id="zeri.mushrooms_kg",
    prompt="With Wang et al.'s biological efficiency, how many kg of fresh mushrooms grow from the spent grain of 100 hL?",
    expected=_outcome("mushrooms"), unit="kg",
    hints=("Biological efficiency = fresh mushrooms / dry substrate.",
           "Dry substrate = spent-grain dry matter sent to the farm + the straw mixed in (same dry mass at the default)."),
))
register(Question(
    id="zeri.methane_kwh",
    prompt="How much energy (kWh, lower heating value) does the cascade's methane carry for 100 hL of beer?",
    expected=_outcome("methane_energy"), unit="kWh", rel_tol=0.03,
    hints=("Methane comes from manure volatile solids and from the wastewater COD removed; add both volumes.",
           "m³ -> kg with 16.04 g per 22.414 L, then x 50.0 MJ/kg, then MJ -> kWh (÷ 3.6)."),
))
register(Question(
    id="zeri.fish_top_parameter",
    prompt="Which parameter moves the fish harvest most over its plausible range? (its name in the parameter table)",
    expected=_fish_top,
    choices=tuple(sorted(n for n, r in _data()["parameters"].items() if r["role"] == "parameter")),
    hints=("Read the tornado chart for fish: the longest bar.",),
))
register(Question(
    id="zeri.sms_protein",
    prompt="The article says mushrooms raise the protein content of the spent grain. What is the protein share (%) "
           "of the spent mushroom substrate's dry matter at the default parameters?",
    expected=_sms_protein, unit="percent", rel_tol=0.03,
    hints=("Protein in = spent grain x bsg_protein + straw x straw_protein; the mushrooms take some away.",
           "Divide the protein left by the substrate dry matter left (after the dry-matter loss)."),
))
register(Question(
    id="zeri.link_evidence",
    prompt="Sort each link: 'stated' (the article says it), 'implied' (follows from what it says) or 'model' "
           "(only the mass balance needs it).",
    expected=_evidence,
    hints=("Read the evidence sentence of each link in zeri_links; no sentence means the model added it.",),
))
