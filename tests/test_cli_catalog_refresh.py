"""`infra catalog refresh` end to end through the CLI: a downloaded price list becomes a new catalog version
in another directory; without network it explains itself and changes nothing. The parsers themselves are
tested in test_catalog_refresh.py."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra.catalog import Catalog
from aiinfra.catalog.load import COMPILED, DATA_DIR, sources_digest
from aiinfra.cli.main import app

FIXTURES = Path(__file__).parent / "data" / "refresh"
runner = CliRunner()


def shipped_digest() -> str:
    return sources_digest(DATA_DIR) + (DATA_DIR / COMPILED).read_text()


def test_refresh_from_a_downloaded_aws_offer_file_writes_a_new_version_elsewhere(tmp_path: Path) -> None:
    before = shipped_digest()
    out = tmp_path / "catalog"
    result = runner.invoke(
        app,
        ["catalog", "refresh", "aws", "--from", str(FIXTURES / "aws-ec2-us-east-1.csv"), "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "changed p5.48xlarge us-east-1" in result.output, "the RI prices the file adds are a change"
    assert f"recompiled {out / COMPILED}" in result.output
    doc = yaml.safe_load((out / "aws" / "offers.yaml").read_text())
    assert doc["version"] == dt.date.today(), "the refreshed file is a new data version"
    refreshed = Catalog.from_dir(out)
    p5 = refreshed.offer("p5.48xlarge", "us-east-1")
    assert p5 is not None and p5.on_demand == Decimal("55.04")
    assert p5.commit_1y == Decimal("36.8768") and p5.commit_3y == Decimal("24.768"), "RI prices from the file"
    assert p5.spot is not None, "spot is not in AWS's price list, so the refresh keeps the catalog's"
    assert refreshed.offers(cloud="gcp") == Catalog.from_dir(DATA_DIR).offers(cloud="gcp"), (
        "other clouds kept"
    )
    assert shipped_digest() == before, "--out must leave the shipped data alone"


def test_refresh_without_network_explains_itself_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def offline(*args: object, **kwargs: object) -> None:
        raise urllib.error.URLError("[Errno -2] Name or service not known")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    before = shipped_digest()
    out = tmp_path / "catalog"
    result = runner.invoke(app, ["catalog", "refresh", "aws", "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "Could not reach pricing.us-east-1.amazonaws.com" in result.output
    assert "infra catalog refresh aws --from FILE" in result.output and "Nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert not out.exists() and shipped_digest() == before


def test_refresh_gcp_without_an_api_key_says_which_variable_to_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("GOOGLE_API_KEY", "GCP_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    result = runner.invoke(app, ["catalog", "refresh", "gcp"])
    assert result.exit_code == 2 and "Set GOOGLE_API_KEY" in result.output, result.output


def test_the_wrong_providers_file_is_refused_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "catalog"
    result = runner.invoke(
        app,
        ["catalog", "refresh", "aws", "--from", str(FIXTURES / "gcp-compute-skus.json"), "--out", str(out)],
    )
    assert result.exit_code == 2, result.output
    assert "not an AWS offer file" in result.output and "Nothing was changed" in result.output
    assert not out.exists()


def test_a_file_with_no_price_for_the_asked_regions_is_refused_without_writing(tmp_path: Path) -> None:
    out = tmp_path / "catalog"
    csv = str(FIXTURES / "aws-ec2-us-east-1.csv")
    result = runner.invoke(
        app, ["catalog", "refresh", "aws", "--from", csv, "-r", "eu-west-1", "--out", str(out)]
    )
    assert result.exit_code == 2, result.output
    assert "holds no price for any aws instance type the catalog knows" in result.output
    assert not out.exists()


def test_an_unknown_region_is_bad_input(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["catalog", "refresh", "azure", "--region", "eastuss", "--out", str(tmp_path)]
    )
    assert result.exit_code == 2 and "Did you mean 'eastus'" in result.output, result.output


def test_compile_refuses_a_broken_yaml_file_with_its_name_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from aiinfra.catalog import load

    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    before = (data / COMPILED).read_text()
    (data / "power.yaml").write_text((data / "power.yaml").read_text() + "\n  - bad: [unclosed\n")
    monkeypatch.setattr(load, "DATA_DIR", data)
    result = runner.invoke(app, ["catalog", "compile"])
    assert result.exit_code == 2, result.output
    assert "power.yaml: not valid YAML" in result.output and "Nothing was written" in result.output
    assert "Traceback" not in result.output and (data / COMPILED).read_text() == before
