"""The compiled catalog (catalog.json) and the record types it fills: the shipped copy loads exactly the records
its YAML gives, another directory's copy is checked row by row, a copy of another shape is never used, and the
records keep the semantics of plain frozen dataclasses (equality, hashing, repr, immutability)."""

from __future__ import annotations

import dataclasses
import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from aiinfra.catalog import load, model
from aiinfra.catalog.load import COMPILED, DATA_DIR, CatalogData, CatalogDataError, load_dir, write_compiled


def copy_of_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    return data


@pytest.fixture(scope="module")
def from_yaml(tmp_path_factory: pytest.TempPathFactory) -> CatalogData:
    """The shipped catalog read from its YAML only (a copy without catalog.json), every row checked."""
    yaml_only = tmp_path_factory.mktemp("yaml-only") / "data"
    shutil.copytree(DATA_DIR, yaml_only, ignore=shutil.ignore_patterns(COMPILED))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "DATA_DIR", yaml_only)  # read as the shipped YAML is (the guarded reader is slow)
        return load_dir(yaml_only)


def shown(data: CatalogData) -> dict[str, list[str]]:
    """Every record's repr by section: tells a Decimal('1.50') from a Decimal('1.5'), a tuple from a list."""
    return {section: [repr(r) for r in records] for section, records in data.sections.items()}


def edit_compiled(data: Path, edit: Any) -> None:
    doc = json.loads((data / COMPILED).read_text(encoding="utf-8"))
    edit(doc)
    (data / COMPILED).write_text(json.dumps(doc), encoding="utf-8")


def first_aws_offer(doc: dict[str, Any]) -> list[Any]:
    return doc["files"]["aws/offers.yaml"]["offers"][0]  # type: ignore[no-any-return]


def test_the_shipped_compiled_copy_loads_exactly_the_records_its_yaml_gives(from_yaml: CatalogData) -> None:
    compiled, yaml = load_dir(DATA_DIR), from_yaml
    assert compiled.versions == yaml.versions
    assert shown(compiled) == shown(yaml)
    assert sum(len(records) for records in compiled.sections.values()) > 2000, "the whole catalog"


def test_another_directorys_compiled_copy_is_checked_row_by_row_as_its_yaml_would_be(tmp_path: Path) -> None:
    data = copy_of_data(tmp_path)

    def bad_fabric(doc: dict[str, Any]) -> None:
        column = doc["fields"]["instance_types"].index("fabric")
        row = next(r for r in doc["files"]["aws/machines.yaml"]["instance_types"] if r[column] == "efa")
        row[column] = "ethernet"

    edit_compiled(data, bad_fabric)  # by hand: the fingerprint of the YAML still matches
    with pytest.raises(
        CatalogDataError,
        match=r"aws/machines\.yaml: instance_types\[\d+\] \(\S+\): fabric 'ethernet' is not one of",
    ):
        load_dir(data)


@pytest.mark.parametrize(
    ("reshape", "also_elsewhere"),
    [
        pytest.param(lambda doc: doc.update(format=3), False, id="another format"),
        pytest.param(
            lambda doc: doc["fields"]["offers"].__setitem__(0, "provider"), False, id="other fields"
        ),
        pytest.param(lambda doc: first_aws_offer(doc).append(None), True, id="a row with a value too many"),
        pytest.param(
            lambda doc: doc["files"]["aws/offers.yaml"].pop("offers"), False, id="a section missing"
        ),
    ],
)
def test_a_compiled_copy_of_another_shape_is_not_used_the_yaml_is_read_instead(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    from_yaml: CatalogData,
    reshape: Any,
    also_elsewhere: bool,
) -> None:
    """Each copy also prices its first AWS offer at 12345, which the YAML does not: loading it would show.
    As the shipped copy (converted, not checked) and, for the row of another length, as another directory's
    (checked row by row; the guarded YAML reader is slow, so the other shapes, which fail before any row is
    read, are not repeated there)."""
    data = copy_of_data(tmp_path)

    def edit(doc: dict[str, Any]) -> None:
        first_aws_offer(doc)[doc["fields"]["offers"].index("on_demand")] = "12345"
        reshape(doc)

    edit_compiled(data, edit)
    expected = shown(from_yaml)
    if also_elsewhere:
        assert shown(load_dir(data)) == expected
    monkeypatch.setattr(load, "DATA_DIR", data)
    assert shown(load_dir(data)) == expected


def test_the_price_edit_those_copies_carry_would_show_if_they_were_used(tmp_path: Path) -> None:
    data = copy_of_data(tmp_path)
    edit_compiled(
        data,
        lambda doc: first_aws_offer(doc).__setitem__(doc["fields"]["offers"].index("on_demand"), "12345"),
    )
    assert load_dir(data).get("offers")[0].on_demand == Decimal("12345")


def test_a_compiled_copy_that_would_not_load_back_to_the_yaml_records_is_never_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = copy_of_data(tmp_path)
    before = (data / COMPILED).read_text(encoding="utf-8")
    monkeypatch.setattr(load, "DATA_DIR", data)  # read as the shipped YAML is (the guarded reader is slow)
    monkeypatch.setitem(load._ENCODERS, load.money, lambda value: str(value + 1))  # a broken encoder
    with pytest.raises(CatalogDataError, match="would not load back to the YAML's records"):
        write_compiled(data)
    assert (data / COMPILED).read_text(encoding="utf-8") == before


def test_a_list_or_a_price_the_yaml_leaves_null_compiles_and_loads_back_as_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The YAML rows take null for any field (rows() leaves it None); the compiled copy keeps it None."""
    data = copy_of_data(tmp_path)
    offers = data / "aws" / "offers.yaml"
    anchor = "  - instance_type: g4dn.12xlarge\n    region: us-east-1\n    billing: instance\n    on_demand: 3.912\n"
    assert anchor in offers.read_text(encoding="utf-8"), "fixture anchor moved"
    offers.write_text(
        offers.read_text(encoding="utf-8").replace(
            anchor, anchor.replace("3.912\n", "null\n    zones: null\n"), 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setattr(load, "DATA_DIR", data)
    write_compiled(data)
    offer = next(
        o
        for o in load_dir(data).get("offers")
        if (o.instance_type, o.region) == ("g4dn.12xlarge", "us-east-1")
    )
    assert offer.zones is None and offer.on_demand is None


def test_a_compiled_copy_of_the_earlier_format_still_loads_every_row_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Format 1 (each YAML file as plain data, before 2026-12-05) may still sit in an AIINFRA_CATALOG_DIR; it
    is checked row by row wherever it is (here as the shipped directory, whose YAML reads fast)."""
    data = copy_of_data(tmp_path)
    monkeypatch.setattr(load, "DATA_DIR", data)
    files = {
        rel: load._plain(load.read_yaml(data / rel)) for rel, _, _ in load.layout() if (data / rel).exists()
    }
    offer = files["aws/offers.yaml"]["offers"][0]
    offer["on_demand"] = 12345
    (data / COMPILED).write_text(
        json.dumps({"format": 1, "sources": load.sources_digest(data), "files": files}), encoding="utf-8"
    )
    assert load_dir(data).get("offers")[0].on_demand == Decimal("12345")
    offer["fabric"] = "ethernet"
    (data / COMPILED).write_text(
        json.dumps({"format": 1, "sources": load.sources_digest(data), "files": files}), encoding="utf-8"
    )
    with pytest.raises(
        CatalogDataError, match=r"aws/offers\.yaml: offers\[0\] \(\S+\): unknown fields \['fabric'\]"
    ):
        load_dir(data)


def test_the_compiled_copy_has_one_record_a_line() -> None:
    """So a changed row of the YAML is a one-line change of catalog.json."""
    lines = (DATA_DIR / COMPILED).read_text(encoding="utf-8").splitlines()
    records = sum(len(r) for r in load_dir(DATA_DIR).sections.values())
    assert sum(line.startswith("[") for line in lines) == records


RECORDS = list(
    dict.fromkeys(record for _, sections_of, _ in load.layout() for record in sections_of.values())
)
"""Every record type a data file holds (what catalog.json carries)."""


def test_every_record_type_of_the_data_files_shares_the_record_base() -> None:
    assert len(RECORDS) >= 14 and model.Offer in RECORDS and model.EmbodiedCoefficients in RECORDS
    assert all(issubclass(record, model._Record) for record in RECORDS)


SHIPPED = load_dir(DATA_DIR)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.__name__)
def test_a_record_behaves_as_a_plain_frozen_dataclass_of_its_fields(record: type) -> None:
    """Equality, hash and repr against a frozen dataclass made by `dataclasses` itself from the same fields,
    on the first shipped row of the record."""
    fields = dataclasses.fields(record)
    plain = dataclasses.make_dataclass(
        record.__name__,
        [(f.name, f.type, dataclasses.field(default=f.default)) for f in fields],
        frozen=True,
    )
    found = [r for records in SHIPPED.sections.values() for r in records if type(r) is record]
    assert found, f"no shipped {record.__name__}"
    one = found[0]
    values = {f.name: getattr(one, f.name) for f in fields}
    twin = plain(**values)
    assert repr(one) == repr(twin)
    assert hash(one) == hash(twin)
    assert one == record(**values)
    assert one.__eq__(twin) is NotImplemented and one != twin  # another class: never equal, as a dataclass
    other = dataclasses.replace(one, source=one.source + " (edited)")
    assert one != other and plain(**{**values, "source": other.source}) != twin
    assert len({one, record(**values), other}) == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        one.source = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        del one.source
    assert record.__slots__ == tuple(f.name for f in fields)
