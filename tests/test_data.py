"""course_lib.data: loading datasets with their metadata, listing and citing them."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from course_lib import data


def test_energy_table_has_the_13_printed_rows_of_table_1():
    table = data.load("energy_table")
    assert len(table) == 13
    assert table["id"].is_unique
    # Figures read off the article's Table 1.
    kcal = table.set_index("id")["value_kcal"]
    assert kcal["aluminium"] == 50e6
    assert kcal["sun"] == 3.7e18
    assert kcal["man_day"] == 2500
    assert set(table["basis"]) == {"seed"}
    assert table["source"].str.contains("Table 1").all()


def test_load_carries_metadata_in_attrs():
    table = data.load("energy_table")
    attrs = table.attrs
    assert attrs["name"] == "energy_table"
    assert "de Rosnay" in attrs["title"]
    assert any("Wong-Swanson" in s["title"] for s in attrs["sources"])
    assert attrs["licenses"][0]["name"] == "CC-BY-4.0"
    assert attrs["units"]["value_kcal"] == "kcal"
    assert "thermochemical" in attrs["fields"]["value_kcal"]
    assert attrs["citation"] == data.cite("energy_table")


def test_empty_cells_stay_missing_not_the_string_nan():
    table = data.load("energy_table").set_index("id")
    assert pd.isna(table.loc["aluminium", "period"])
    assert table.loc["sun", "period"] == "day"


def test_load_returns_an_independent_copy():
    first = data.load("energy_table")
    first.loc[0, "value_kcal"] = -1
    first.attrs["title"] = "changed"
    second = data.load("energy_table")
    assert second.loc[0, "value_kcal"] == 3.7e18
    assert second.attrs["title"] != "changed"


def test_datasets_lists_every_resource_of_the_package(root):
    package = json.loads((root / "datasets" / "datapackage.json").read_text(encoding="utf-8"))
    listing = data.datasets()
    assert list(listing.columns) == ["name", "title", "description"]
    assert sorted(listing["name"]) == sorted(r["name"] for r in package["resources"])
    assert listing["description"].str.len().gt(10).all()


def test_cite_names_the_dataset_the_course_and_the_sources():
    text = data.cite("energy_units")
    assert "energy_units" in text and "Jupyter course" in text
    assert "REN21 (2014)" in text and "Wong-Swanson" in text


def test_describe_lists_fields_with_units():
    fields = data.describe("energy_table").set_index("field")
    assert fields.loc["value_kcal", "unit"] == "kcal"
    assert fields.loc["value_kcal", "type"] == "number"


@pytest.mark.parametrize("call", [data.load, data.cite, data.describe])
def test_unknown_name_lists_the_known_ones(call):
    with pytest.raises(ValueError, match=r"name='energy_tabel' is not a course dataset; known datasets: .*energy_table"):
        call("energy_tabel")


@pytest.mark.parametrize("call", [data.load, data.cite, data.describe])
def test_name_must_be_a_string(call):
    with pytest.raises(TypeError, match="name must be a dataset name"):
        call(3)


def test_course_data_dir_lets_an_instructor_swap_the_data(tmp_path, monkeypatch, root):
    copy = tmp_path / "datasets"
    shutil.copytree(root / "datasets", copy)
    csv = copy / "energy_table.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",5.0e7,", ",4.0e7,"), encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert data.load("energy_table").set_index("id").loc["aluminium", "value_kcal"] == 4.0e7
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert data.load("energy_table").set_index("id").loc["aluminium", "value_kcal"] == 5.0e7


def test_a_folder_without_a_data_package_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="no datapackage.json in"):
        data.load("energy_table")


def test_cached_results_follow_the_active_data_folder(tmp_path, monkeypatch, root):
    """An instructor's adapted data must never be hidden by a cache of the first folder's values."""
    calls = []

    @data.cached
    def harvest() -> float:
        calls.append(1)
        return float(data.parameters("capital_model_defaults").loc["harvest", "value"])

    assert harvest() == 150 and harvest() == 150 and len(calls) == 1
    copy = tmp_path / "adapted"
    shutil.copytree(root / "datasets", copy)
    table = (copy / "capital_model_defaults.csv").read_text(encoding="utf-8")
    (copy / "capital_model_defaults.csv").write_text(table.replace("harvest,Harvest H,150,", "harvest,Harvest H,120,"), encoding="utf-8")
    monkeypatch.setenv("COURSE_DATA_DIR", str(copy))
    assert harvest() == 120 and len(calls) == 2
    monkeypatch.delenv("COURSE_DATA_DIR")
    assert harvest() == 150 and len(calls) == 2  # the shipped folder's result is still cached


def test_the_shipped_data_are_found_as_a_package_resource():
    import importlib.resources

    shipped = Path(str(importlib.resources.files("course_lib.datasets")))
    assert (shipped / "datapackage.json").is_file()
    assert data.data_dir().resolve() == shipped.resolve()
