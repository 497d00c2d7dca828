"""datasets/: every CSV is described by the Frictionless data package, validates, and cites its rows."""

import json
import re

import pytest
from frictionless import Package

from course_lib import data
from course_lib.checks import unit as check_unit


@pytest.fixture(scope="module")
def package(root):
    return json.loads((root / "datasets" / "datapackage.json").read_text(encoding="utf-8"))


def test_the_data_package_validates_with_frictionless(root):
    report = Package(str(root / "datasets" / "datapackage.json")).validate()
    errors = report.flatten(["resourceName", "rowNumber", "fieldName", "note"])
    assert report.valid, f"data package errors (resource, row, field, note): {errors[:20]}"


def test_every_csv_is_described_and_every_resource_exists(root, package):
    described = {r["path"] for r in package["resources"]}
    on_disk = {p.relative_to(root / "datasets").as_posix() for p in (root / "datasets").rglob("*.csv")}
    assert on_disk - described == set(), "CSV files missing from datasets/datapackage.json"
    assert described - on_disk == set(), "datapackage.json lists files that do not exist"


def test_every_resource_has_title_description_sources_and_licence(package):
    assert package["licenses"]
    for resource in package["resources"]:
        name = resource["name"]
        assert resource.get("title"), f"{name}: no title"
        assert len(resource.get("description", "")) > 20, f"{name}: no description"
        assert resource.get("sources"), f"{name}: no sources"
        for field in resource["schema"]["fields"]:
            assert field.get("type"), f"{name}.{field['name']}: no type"
            assert field.get("description"), f"{name}.{field['name']}: no description"


def test_every_field_unit_is_a_unit_pint_knows(package):
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            unit = field.get("unit")
            if unit and not unit.startswith("see "):  # "see <column>": the unit is given per row
                check_unit(unit, f"{resource['name']}.{field['name']}.unit")


def test_every_row_says_where_it_comes_from(package):
    """Every dataset has basis + source columns; literature rows name a year; no empty sources."""
    for resource in package["resources"]:
        frame = data.load(resource["name"])
        name = resource["name"]
        # In a flow table (source -> target, the field's convention) `source` is the flow's origin,
        # so the row's provenance lives in `reference` instead.
        cite = "reference" if "target" in frame.columns else "source"
        assert {"basis", cite} <= set(frame.columns), f"{name}: needs 'basis' and '{cite}' columns"
        assert frame["basis"].isin(data.BASES).all(), f"{name}: basis outside {data.BASES}"
        assert frame[cite].notna().all() and frame[cite].str.strip().str.len().gt(3).all(), f"{name}: empty {cite}"
        literature = frame.loc[frame["basis"] == "literature", cite]
        # A year, or "n.d." for an undated source (a web table), as in author-date citations.
        no_year = literature[~literature.str.contains(r"\b(?:1[89]\d\d|20\d\d)\b|\(n\.d\.\)", regex=True)]
        assert no_year.empty, f"{name}: literature rows without a year: {no_year.tolist()}"
        assumptions = frame.loc[frame["basis"] == "assumption", cite]
        assert assumptions.str.len().gt(20).all(), f"{name}: an assumption must give its reasoning"


def test_every_parameter_table_has_the_one_layout(package):
    """Slider-parameter tables share one layout: the same leading fields, defined the same way."""
    tables = [r for r in package["resources"] if r.get("parameterTable") is True]
    assert {r["name"] for r in tables} >= {"capital_model_defaults", "circular_product_parameters", "zeri_parameters"}
    first = None
    for resource in tables:
        fields = resource["schema"]["fields"]
        names = [f["name"] for f in fields]
        assert tuple(names[: len(data.PARAMETER_FIELDS)]) == data.PARAMETER_FIELDS, resource["name"]
        assert names[-2:] == ["basis", "source"], resource["name"]
        leading = fields[: len(data.PARAMETER_FIELDS)]
        first = first or leading
        assert leading == first, f"{resource['name']} defines the shared fields differently"
        table = data.parameters(resource["name"])
        assert table.index.is_unique and table["unit"].notna().all(), resource["name"]
        within = table.dropna(subset=["low", "high"])
        assert (within["low"] <= within["value"]).all() and (within["value"] <= within["high"]).all(), resource["name"]
