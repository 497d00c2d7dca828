"""The equations of the ZERI cascade: kilograms per link, and the outcomes summed from them.

Private to the package: :mod:`course_lib.zeri.model` wraps them in checked public functions. Every
value is in model units (kg of dry matter or water, kWh of methane energy); ``p`` is the dict of
parameters that :func:`resolve` returns. The parameter table ``zeri_parameters`` has the course's
parameter layout (:mod:`course_lib.params`) plus ``stage`` and ``role``: ``parameter`` (a model
input a student may change), ``constant`` (a physical constant) or ``scenario`` (the beer volume).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from .. import data, formats
from ..flows import MassBalanceError
from ..i18n import N_
from ..params import ParameterTable, parameters
from ..units import Q_

__all__ = ["OUTCOMES", "Params", "Rows", "parameter_rows", "default", "tables", "hl_in_m3", "resolve", "compute",
           "summarise", "fast_outcomes", "check_row", "check_rows", "checked_rows", "checked_outcomes"]

#: The outcomes the comparison and the sensitivity analysis report: id -> (label, unit).
OUTCOMES: dict[str, tuple[str, str]] = {
    "landfill": (N_("Spent grain landfilled"), "kg"),
    "discharged_solids": (N_("Dry matter discharged with water (organic and mineral)"), "kg"),
    "discharged_organic": (N_("Organic matter discharged with water (dry, minerals left out)"), "kg"),
    "bread": (N_("Spent-grain flour for bread"), "kg"),
    "mushrooms": (N_("Fresh mushrooms"), "kg"),
    "meat": (N_("Meat (live-weight gain)"), "kg"),
    "fish": (N_("Fish (fresh)"), "kg"),
    "methane": (N_("Methane (0 °C, 1 atm)"), "m**3"),
    "methane_energy": (N_("Methane energy (lower heating value)"), "kWh"),
}

# The unit each parameter is used in inside the model; the CSV may give it in any compatible unit.
_MODEL_UNITS = {
    "beer_hl": "hL", "bsg_per_hl": "kg/hL", "water_use_hl_per_hl": "dimensionless",
    "wastewater_cod": "kg/m**3", "manure_ch4_yield": "m**3/kg", "molar_volume": "m**3/mol",
    "cod_per_mol_ch4": "kg/mol", "ch4_molar_mass": "kg/mol", "co2_molar_mass": "kg/mol",
    "ch4_lhv": "kWh/kg", "water_density": "kg/m**3",
}

#: Parameters in model units, by name.
Params = dict[str, float]
#: ``(link id, component, value)`` rows: component is ``dry matter``, ``water`` or ``energy``.
Rows = list[tuple[str, str, float]]


def parameter_rows() -> ParameterTable:
    """The parameter table ``zeri_parameters`` of the active data folder (:mod:`course_lib.params`)."""
    return parameters("zeri_parameters")


def default(name: str) -> float:
    """The table's value of parameter ``name`` (in the table's unit)."""
    return parameter_rows()[name].value


@data.cached
def tables() -> dict[str, dict[str, Any]]:
    """The links and the stages as plain dicts by id, read once per data folder.

    Plain dicts: pandas would deep-copy the datasets' metadata (attrs) on every lookup.
    """
    return {name: {row["id"]: row for row in data.load(f"zeri_{name}").to_dict("records")} for name in ("links", "stages")}


@functools.lru_cache(maxsize=1)
def hl_in_m3() -> float:
    """Cubic metres in a hectolitre (pint, once): 0.1."""
    return float(Q_(1.0, "hL").to("m**3").magnitude)


def resolve(beer_hl: Any, params: dict[str, Any]) -> tuple[float, Params]:
    """Check the beer volume and the parameter overrides against the table; return them in model units.

    ``beer_hl`` is ``None`` (the table's value), a number of hectolitres or a volume quantity.
    """
    table = parameter_rows()
    beer = table["beer_hl"]
    hl = beer.value if beer_hl is None else beer.check(beer_hl)
    names, constants = _roles()
    p = table.check(params, names, _MODEL_UNITS, context="run_cascade")
    p.update(constants)
    _check_joint(p)
    return hl * table.factor("beer_hl", "hL"), p


@data.cached
def _roles() -> tuple[tuple[str, ...], dict[str, float]]:
    """The names of the parameters a run takes, and the constants in model units (read only).

    Per data folder, once: a sensitivity analysis resolves the parameters some seventy times.
    """
    table = parameter_rows()
    return table.names(role="parameter"), table.defaults(table.names(role="constant"), _MODEL_UNITS)


def _check_joint(p: Params) -> None:
    """The constraints between parameters (each one alone may be in range while the pair is not)."""
    g = formats.number
    shares = p["share_bread"] + p["share_mushroom"]
    if shares > 1 + 1e-12:
        raise ValueError(
            f"share_bread + share_mushroom = {g(p['share_bread'])} + {g(p['share_mushroom'])} = {g(shares)} exceeds 1: "
            "the two shares of spent grain cannot add up to more than all of it "
            "(the rest, 1 - share_bread - share_mushroom, feeds livestock directly)"
        )
    if p["flour_moisture"] > p["bsg_moisture"]:
        raise ValueError(
            f"flour_moisture={g(p['flour_moisture'])} exceeds bsg_moisture={g(p['bsg_moisture'])}: drying cannot "
            "add water; choose flour_moisture <= bsg_moisture"
        )
    mushroom_dm = p["mushroom_be"] * (1 - p["mushroom_moisture"])
    if mushroom_dm > p["substrate_dm_loss"]:
        raise ValueError(
            f"mushroom_be={g(p['mushroom_be'])} with mushroom_moisture={g(p['mushroom_moisture'])} puts "
            f"{g(mushroom_dm, 3)} kg of mushroom dry matter per kg of substrate, more than substrate_dm_loss="
            f"{g(p['substrate_dm_loss'])} allows: raise substrate_dm_loss or lower mushroom_be"
        )
    retained = p["gain_dry_matter"] / p["feed_per_gain"]
    if retained > p["feed_digestibility"]:
        raise ValueError(
            f"gain_dry_matter / feed_per_gain = {g(retained, 3)} kg retained per kg of feed exceeds "
            f"feed_digestibility={g(p['feed_digestibility'])}: animals cannot keep more than they digest"
        )


def compute(beer_hl: float, p: Params, scenario: str = "cascade") -> Rows:
    """The model itself: ``(link id, component, value)`` rows, values in kg (energy in kWh).

    ``scenario`` is ``"cascade"`` (the ZERI cluster) or ``"linear"`` (the brewery alone).
    """
    rows: Rows = []

    def add(link: str, dry: float | None = None, water: float | None = None) -> None:
        if dry is not None:
            rows.append((link, "dry matter", dry))
        if water is not None:
            rows.append((link, "water", water))

    # Brewery: wet spent grain and wastewater per hectolitre of beer.
    bsg = beer_hl * p["bsg_per_hl"]
    bsg_dm, bsg_w = bsg * (1 - p["bsg_moisture"]), bsg * p["bsg_moisture"]
    ww_m3 = beer_hl * hl_in_m3() * p["water_use_hl_per_hl"] * p["wastewater_share"]
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
            f"the mushrooms would hold more nitrogen ({formats.number(n_mushrooms, 3)} kg) than their substrate "
            f"({formats.number(n_substrate, 3)} kg): lower mushroom_be or raise bsg_protein/straw_protein"
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
    # Growth only from feed the animals can convert: spent grain, plus the share of the straw-based spent
    # substrate that counts as feed (sms_feed_share; pigs, the default animals, cannot grow on straw fibre).
    gain = (bsg_dm * share_feed + sms_dm * p["sms_feed_share"]) / p["feed_per_gain"]
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
    organic_in = man_dm * p["manure_vs"] + ww_dm  # the manure's ash (minerals) cannot become biogas
    if ch4_kg + co2_kg > organic_in:
        raise ValueError(
            f"the biogas ({formats.number(ch4_kg + co2_kg, 3)} kg) would weigh more than the organic matter entering the "
            f"digester ({formats.number(organic_in, 3)} kg): check manure_ch4_yield, cod_per_dm and biogas_ch4_share"
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


def summarise(records: Iterable[tuple[str, str, str, str, float]], p: Params) -> dict[str, float]:
    """Outcomes from ``(source, target, kind, component, value)`` records (kg, and kWh for energy).

    The dry matter discharged with water counts everything the water carries out of the system.
    Its organic part leaves out the manure's minerals (its ash, ``1 - manure_vs`` of its dry matter):
    the digester, the basins and the pond pass them on unchanged, so they all leave with the water.
    Brewery wastewater carries only organic matter in the model (its COD divided by ``cod_per_dm``).
    """
    out = dict.fromkeys(OUTCOMES, 0.0)
    products = {"bread": "bread", "mushrooms": "mushrooms", "meat": "meat", "fish": "fish", "landfill": "landfill"}
    minerals = 0.0
    for source, target, kind, component, value in records:
        if component == "energy":
            out["methane_energy"] += value
            continue
        if target in products:
            out[products[target]] += value
        if target == "methane_use":
            out["methane"] += value * p["molar_volume"] / p["ch4_molar_mass"]
        if source == "livestock" and target == "biodigester" and component == "dry matter":
            minerals += value * (1 - p["manure_vs"])
        if target == "environment" and kind in ("waste", "water-borne") and component == "dry matter":
            out["discharged_solids"] += value
    out["discharged_organic"] = out["discharged_solids"] - min(minerals, out["discharged_solids"])
    return out


def fast_outcomes(beer: float, p: Params, scenario: str = "cascade") -> dict[str, float]:
    """The outcomes of :func:`compute`, without building a DataFrame (for sweeps and redraws)."""
    links = tables()["links"]
    records = (
        (links[link]["from_node"], links[link]["to_node"], links[link]["kind"], component, value)
        for link, component, value in compute(beer, p, scenario)
    )
    return summarise(records, p)


def check_row(link: str, component: str, value: float, scenario: str) -> dict[str, Any]:
    """The ``zeri_links`` row of one computed flow, after the checks every flow table makes:
    the link belongs to ``scenario``, and no flow is negative."""
    info = tables()["links"][link]
    if info["scenario"] != scenario:
        raise RuntimeError(f"link {link!r} belongs to scenario {info['scenario']!r}, not {scenario!r}")
    if value < 0:
        raise ValueError(f"the parameters give a negative flow at link {link!r} ({component}: {formats.number(value)})")
    return info


def check_rows(rows: Rows, scenario: str = "cascade", rel_tol: float = 1e-9) -> Rows:
    """``rows`` of :func:`compute`, checked as :func:`course_lib.zeri.balance` checks a flow table, with
    plain floats: no flow is negative, and in the cascade every ``process`` stage balances (dry
    matter, water and both together, within ``rel_tol`` of the larger of its inflows and outflows;
    flows into ``environment`` are losses, into a ``stock`` accumulation). Raises
    :class:`course_lib.flows.MassBalanceError` for a stage that does not close.

    Plain floats: the exercises ask for one outcome of the model for each student, and a DataFrame
    with its balance table for each of them would cost most of the time.

    >>> rows = check_rows(compute(*resolve(100, {})))
    >>> sum(value for link, component, value in rows if link.startswith("bsg_to") and component != "energy")
    2000.0
    >>> check_rows([(link, c, 2 * v if link == "fish_to_market" else v) for link, c, v in rows])
    Traceback (most recent call last):
    ...
    course_lib.flows.MassBalanceError: mass balance violated at stage 'fish_pond' (dry matter): inputs 242.6 kg but outputs + losses + stock change = 251.8 kg
    """
    links, roles = tables()["links"], {node: row["role"] for node, row in tables()["stages"].items()}
    # stage -> component -> [inputs, released from stock, outputs, losses, to stock, number in, number out]
    sums: dict[str, dict[str, list[float]]] = {}
    for link, component, value in rows:
        check_row(link, component, value, scenario)
        if scenario != "cascade" or component == "energy":
            continue
        source, target = links[link]["from_node"], links[link]["to_node"]
        for key in (component, "all"):
            if roles.get(target) == "process":
                into = sums.setdefault(target, {}).setdefault(key, [0.0] * 7)
                into[1 if roles.get(source) == "stock" else 0] += value
                into[5] += 1
            if roles.get(source) == "process":
                out = sums.setdefault(source, {}).setdefault(key, [0.0] * 7)
                out[{"environment": 3, "stock": 4}.get(roles.get(target, ""), 2)] += value
                out[6] += 1
    for stage, by_component in sums.items():
        for component, (inputs, released, outputs, losses, stocked, n_in, n_out) in by_component.items():
            if n_in and not n_out and component == "all":
                raise MassBalanceError(f"stage {stage!r} has inputs ({formats.number(inputs)} kg) but no outflows")
            imbalance = inputs - outputs - losses - (stocked - released)
            scale = max(inputs + released, outputs + losses + stocked)
            if scale > 0 and abs(imbalance) / scale > rel_tol:
                raise MassBalanceError(
                    f"mass balance violated at stage {stage!r} ({component}): inputs {formats.number(inputs)} kg but "
                    f"outputs + losses + stock change = {formats.number(outputs + losses + stocked - released)} kg")
    return rows


def checked_rows(beer: float, p: Params, scenario: str = "cascade") -> Rows:
    """:func:`compute`'s rows after :func:`check_rows`: what :func:`course_lib.zeri.run_cascade` puts in its table."""
    return check_rows(compute(beer, p, scenario), scenario)


def checked_outcomes(beer: float, p: Params, scenario: str = "cascade") -> dict[str, float]:
    """:func:`fast_outcomes` of :func:`checked_rows`: the figures of
    :func:`course_lib.zeri.compare_linear_vs_cascade`'s column ``scenario``, to the last digit. One
    difference: ``discharged_organic`` uses the run's own ``manure_vs``, where
    :func:`course_lib.zeri.outcomes` (given a flow table, not its parameters) takes the table's default."""
    links = tables()["links"]
    records = ((links[link]["from_node"], links[link]["to_node"], links[link]["kind"], component, value)
               for link, component, value in checked_rows(beer, p, scenario))
    return summarise(records, p)
