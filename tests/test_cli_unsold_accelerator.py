"""A node pool asking for an accelerator its cloud does not sell (a TPU on AWS, H100-NVL on AWS) is bad input:
exit 2, the field path, and a fix that lists what that cloud sells. Regression: the list was sorted with the
CPU-only machines' accelerator (None) in it, so `infra plan` died with a TypeError traceback (found by mypy)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from aiinfra.catalog import Accelerator, Catalog, CatalogLookupError, InstanceType, default_catalog
from aiinfra.cli.main import app

CLOUD = "aws"
CATALOG = default_catalog()
SOLD = sorted({t.accelerator for t in CATALOG.instance_types(cloud=CLOUD) if t.accelerator is not None})
NOT_SOLD = sorted({a.name for a in CATALOG.accelerators} - set(SOLD))
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
FIELD = "clusters[0].nodePools[0].accelerator"


def stack_asking_for(tmp_path: Path, accelerator: str) -> Path:
    doc = {
        "config": {
            "aiinfra:clusters": [
                {
                    "name": "train",
                    "cloud": CLOUD,
                    "region": "us-east-1",
                    "nodePools": [{"name": "pool", "accelerator": accelerator, "nodes": 1}],
                }
            ]
        }
    }
    path = tmp_path / "Pulumi.unsold.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_the_shipped_catalog_has_accelerators_aws_does_not_sell_and_cpu_only_aws_machines() -> None:
    assert {"TPU-v5e", "H100-NVL"} <= set(NOT_SOLD), (
        f"the cases below need accelerators AWS does not sell; not sold on {CLOUD}: {NOT_SOLD}"
    )
    assert any(t.accelerator is None for t in CATALOG.instance_types(cloud=CLOUD)), (
        "the regression needs a CPU-only AWS machine (accelerator None) in the catalog"
    )


@pytest.mark.parametrize("accelerator", NOT_SOLD)
def test_plan_of_a_pool_with_an_accelerator_the_cloud_does_not_sell_exits_2_and_lists_what_it_sells(
    tmp_path: Path, accelerator: str
) -> None:
    result = CliRunner().invoke(app, ["plan", "-s", str(stack_asking_for(tmp_path, accelerator))])
    output = ANSI.sub("", result.output)
    stderr = ANSI.sub("", result.stderr)

    assert result.exit_code == 2, f"an accelerator {CLOUD} does not sell is bad input (exit 2):\n{output}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"bad input must end in a clean exit, not {result.exception!r}"
    )
    assert "Traceback" not in output, f"bad input must never show a traceback:\n{output}"
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, f"exactly one error line belongs on stderr:\n{stderr}"
    assert f"{FIELD}:" in errors[0], f"the error must name the field path {FIELD}:\n{errors[0]}"
    assert accelerator in errors[0], f"the error must name what was asked for ({accelerator}):\n{errors[0]}"
    assert "Fix:" in errors[0], f"the error must give a fix:\n{errors[0]}"
    fix = errors[0].split("Fix:", 1)[1]
    for sold in SOLD:
        assert re.search(rf"(?<![\w-]){re.escape(sold)}(?![\w-])", fix), (
            f"the fix must list every accelerator {CLOUD} sells ({sold} missing):\n{errors[0]}"
        )
    assert "None" not in fix, f"CPU-only machines have no accelerator to list:\n{errors[0]}"


def test_resolve_refuses_an_unsold_accelerator_when_the_cloud_also_has_cpu_only_machines() -> None:
    day = dt.date(2026, 12, 4)

    def machine(name: str, accelerator: str | None) -> InstanceType:
        count = 0 if accelerator is None else 8
        return InstanceType(
            name, CLOUD, accelerator, count, count * 80, 96, 1024, "none", 0, 100, 0, "test", day
        )

    catalog = Catalog(
        accelerators=[
            Accelerator(n, "v", "gpu", 80, 700, 80, "test", day) for n in ("H100", "L4", "TPU-v5e")
        ],
        instance_types=[
            machine("m5.large", None),
            machine("p5.48xlarge", "H100"),
            machine("g6.xlarge", "L4"),
        ],
    )

    with pytest.raises(CatalogLookupError) as caught:
        catalog.resolve(cloud=CLOUD, region="us-east-1", accelerator="TPU-v5e")

    assert caught.value.fix == f"Accelerators on {CLOUD}: H100, L4.", (
        f"the fix lists the accelerators {CLOUD} sells, in order, without the CPU-only machine: {caught.value.fix}"
    )
