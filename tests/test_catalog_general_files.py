"""A cloud's general table in several files (`<cloud>/general*.csv`): a type's rows are gathered from every file
of its cloud and never from another cloud's, each file has its own header and size limit, a (type, region) in two
files is an error naming both, and the files are read only when a CPU lookup needs them."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from aiinfra.catalog.load import (
    DATA_DIR,
    GENERAL_COLUMNS,
    CatalogDataError,
    general_files,
    load_general,
)
from aiinfra.guard.files import SPEC_LIMIT


def head(cloud: str, version: str, source: str) -> str:
    return f"# test\n@version {version}\n@cloud {cloud}\n{GENERAL_COLUMNS}\n@source {source}\n@retrieved 2026-12-04\n"


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_a_types_rows_are_gathered_from_every_file_of_its_cloud(tmp_path: Path) -> None:
    write(
        tmp_path, "aws/general.csv", head("aws", "2026-12-01", "first") + "t2.micro,1,1,us-east-1,0.0116,\n"
    )
    write(
        tmp_path,
        "aws/general-regions.csv",
        head("aws", "2026-12-05", "second")
        + "t2.micro,1,1,eu-west-1,0.0126,\nr7i.large,2,16,eu-west-1,0.1,\n",
    )
    table = load_general(tmp_path)
    rows = {o.region: (o.on_demand, o.source) for o in table.offers["t2.micro"]}
    assert rows == {"us-east-1": (Decimal("0.0116"), "first"), "eu-west-1": (Decimal("0.0126"), "second")}
    assert table.offers["r7i.large"][0].source == "second"
    assert table.versions == {"aws/general.csv": "2026-12-01", "aws/general-regions.csv": "2026-12-05"}


def test_general_csv_comes_first_and_gives_the_shapes_source(tmp_path: Path) -> None:
    """Name order without `.csv`: `general` before `general-a` (with `.csv`, '-' would sort before '.')."""
    write(
        tmp_path, "aws/general-a.csv", head("aws", "2026-12-05", "later") + "t2.micro,1,1,eu-west-1,0.0126,\n"
    )
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "main") + "t2.micro,1,1,us-east-1,0.0116,\n")
    write(
        tmp_path, "aws/general-b.csv", head("aws", "2026-12-05", "last") + "t2.micro,1,1,us-west-2,0.0116,\n"
    )
    assert [p.name for p in general_files(tmp_path, "aws")] == [
        "general.csv",
        "general-a.csv",
        "general-b.csv",
    ]
    table = load_general(tmp_path)
    assert table.instance_types["t2.micro"].source == "main"
    assert [o.region for o in table.offers["t2.micro"]] == ["eu-west-1", "us-east-1", "us-west-2"]


def test_a_lookup_reads_its_clouds_files_and_never_another_clouds(tmp_path: Path) -> None:
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    write(tmp_path, "aws/general-x.csv", head("aws", "2026-12-02", "b") + "t3.micro,2,1,us-east-1,0.0104,\n")
    write(tmp_path, "gcp/general.csv", "@cloud gcp\nnot a column line\n")  # broken: reading it would fail
    table = load_general(tmp_path)
    assert [o.on_demand for o in table.offers["t2.micro"]] == [Decimal("0.0116")]
    assert set(table.versions) == {"aws/general.csv", "aws/general-x.csv"}, "both AWS files, no GCP file"
    with pytest.raises(CatalogDataError, match=r"gcp/general\.csv: line 2: expected the column line"):
        table.offers["e2-small"]


def test_a_gcp_type_is_never_given_rows_from_an_aws_file(tmp_path: Path) -> None:
    write(tmp_path, "aws/general-zz.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    write(tmp_path, "gcp/general.csv", head("gcp", "2026-12-01", "g") + "e2-small,2,2,us-east1,0.0168,\n")
    table = load_general(tmp_path)
    (offer,) = table.offers["e2-small"]
    assert (offer.cloud, offer.region, offer.source) == ("gcp", "us-east1", "g")
    assert table.instance_types["t2.micro"].cloud == "aws"


def test_files_outside_the_pattern_are_not_part_of_the_table(tmp_path: Path) -> None:
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    for name in ("old-general.csv", "general.csv.orig", "general-x.txt", "elasticache.csv"):
        write(tmp_path, f"aws/{name}", "garbage\n")
    (tmp_path / "aws" / "general-dir.csv").mkdir()
    table = load_general(tmp_path).check()
    assert list(table.offers) == ["t2.micro"] and list(table.versions) == ["aws/general.csv"]


def test_a_type_and_region_in_two_files_is_an_error_naming_both(tmp_path: Path) -> None:
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    write(
        tmp_path,
        "aws/general-regions.csv",
        head("aws", "2026-12-05", "b") + "t2.micro,1,1,us-east-1,0.0117,\n",
    )
    with pytest.raises(
        CatalogDataError,
        match=r"aws/general-regions\.csv: line 7: t2\.micro in us-east-1 is listed twice "
        r"\(first at aws/general\.csv: line 7\)",
    ):
        load_general(tmp_path).offers["t2.micro"]


def test_another_shape_in_a_later_file_is_an_error_naming_the_first_row(tmp_path: Path) -> None:
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    write(
        tmp_path,
        "aws/general-regions.csv",
        head("aws", "2026-12-05", "b") + "t2.micro,2,1,eu-west-1,0.0126,\n",
    )
    with pytest.raises(
        CatalogDataError,
        match=r"aws/general-regions\.csv: line 7: t2\.micro has another shape .*\(aws/general\.csv: line 7\)",
    ):
        load_general(tmp_path).check()


@pytest.mark.parametrize(
    ("second", "error"),
    [
        (GENERAL_COLUMNS + "\n", r"aws/general-regions\.csv: '@cloud aws' must come before the rows"),
        ("@cloud gcp\n" + GENERAL_COLUMNS + "\n", r"aws/general-regions\.csv: '@cloud aws' must come before"),
        ("@cloud aws\n@source s\n@retrieved 2026-12-04\n", r"aws/general-regions\.csv: no column line"),
        (
            "@cloud aws\n" + GENERAL_COLUMNS + "\nt3.micro,2,1,us-east-1,0.0104,\n",
            r"aws/general-regions\.csv: line 3: rows need an @source",
        ),
    ],
)
def test_each_file_has_its_own_header(tmp_path: Path, second: str, error: str) -> None:
    """The first file's @cloud and @source do not carry over into the next file."""
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    write(tmp_path, "aws/general-regions.csv", second)
    with pytest.raises(CatalogDataError, match=error):
        load_general(tmp_path).check()


def test_each_file_is_held_to_the_data_file_limit(tmp_path: Path) -> None:
    write(tmp_path, "aws/general.csv", head("aws", "2026-12-01", "a") + "t2.micro,1,1,us-east-1,0.0116,\n")
    big = head("aws", "2026-12-05", "b") + "#" * SPEC_LIMIT + "\n"
    write(tmp_path, "aws/general-regions.csv", big)
    with pytest.raises(
        CatalogDataError,
        match=r"general-regions\.csv. is .*more than the 1 MiB limit for a catalog data file",
    ):
        load_general(tmp_path).offers["t2.micro"]


def test_every_shipped_file_is_under_the_limit_and_a_lookup_reads_only_its_clouds_files() -> None:
    for cloud in ("aws", "gcp", "azure"):
        files = general_files(DATA_DIR, cloud)
        assert files and files[0].name == "general.csv", cloud
        for path in files:
            assert path.stat().st_size < SPEC_LIMIT, path
    table = load_general(DATA_DIR)
    assert table.offers["t2.micro"]
    assert set(table.versions) == {f"aws/{p.name}" for p in general_files(DATA_DIR, "aws")}
