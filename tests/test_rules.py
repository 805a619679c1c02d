"""Pure helpers and the catalog, tested without Pulumi (Hypothesis where there is an invariant)."""

from __future__ import annotations

import ipaddress
import subprocess
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aiinfra.catalog import CatalogLookupError, default_catalog
from aiinfra.clouds.aws import lustre_size_problem
from aiinfra.clouds.cidr import plan_subnets
from aiinfra.components.aws.iam import partition_of
from aiinfra.components.aws.rules import efa_interfaces, placement_for
from tests.conftest import ROOT


@given(st.integers(min_value=1, max_value=64))
def test_efa_layout_has_one_interface_per_card_and_only_the_primary_carries_ena(cards: int) -> None:
    layout = efa_interfaces(cards)
    assert [n.network_card_index for n in layout] == list(range(cards))
    assert layout[0].interface_type == "efa" and layout[0].device_index == 0
    assert all(n.interface_type == "efa-only" and n.device_index == 1 for n in layout[1:])


def test_efa_layout_needs_an_efa_card() -> None:
    with pytest.raises(ValueError, match="at least one"):
        efa_interfaces(0)


@pytest.mark.parametrize(
    ("capacity", "interconnect", "placement_group", "warns"),
    [
        ("on-demand", True, True, False),
        ("spot", True, True, False),
        ("reservation", True, False, True),
        ("capacity-block", True, False, True),
        ("on-demand", False, False, False),
        ("capacity-block", False, False, False),
    ],
)
def test_placement_groups_only_where_they_cannot_strand_reserved_capacity(
    capacity: str, interconnect: bool, placement_group: bool, warns: bool
) -> None:
    decision = placement_for("pool", interconnect=interconnect, capacity=capacity)
    assert decision.cluster_placement_group is placement_group
    assert (decision.warning is not None) is warns


@given(st.integers(min_value=1, max_value=3_000_000))
def test_lustre_sizes_are_1200_or_multiples_of_2400(capacity: int) -> None:
    valid = capacity == 1200 or (capacity % 2400 == 0 and capacity <= 2_400_000)
    problem = lustre_size_problem(capacity)
    assert (problem is None) is valid, f"{capacity} GiB judged wrongly: {problem}"
    if problem:
        assert "Nearest:" in problem, "the message offers valid sizes"


@given(
    st.integers(min_value=0, max_value=2**32 - 1),
    st.integers(min_value=16, max_value=20),
    st.integers(min_value=1, max_value=3),
)
def test_subnet_plan_stays_inside_the_block_without_overlaps(address: int, prefix: int, zones: int) -> None:
    block = ipaddress.IPv4Network((address, prefix), strict=False)
    plan = plan_subnets(block, zones)
    subnets = [*plan.private, *plan.public]
    assert len(plan.private) == len(plan.public) == zones
    assert all(s.subnet_of(block) for s in subnets), "every subnet lies inside the VPC block"
    for i, a in enumerate(subnets):
        for b in subnets[i + 1 :]:
            assert not a.overlaps(b), f"{a} overlaps {b}"


@pytest.mark.parametrize(
    ("region", "partition"), [("us-east-1", "aws"), ("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")]
)
def test_partition_follows_the_region(region: str, partition: str) -> None:
    assert partition_of(region) == partition


def test_accelerator_resolves_to_its_largest_on_demand_efa_shape() -> None:
    catalog = default_catalog()
    assert (
        catalog.resolve(cloud="aws", region="us-east-1", accelerator="H100", interconnect=True).name
        == "p5.48xlarge"
    )
    assert (
        catalog.resolve(cloud="aws", region="us-east-1", accelerator="h200", interconnect=True).name
        == "p5en.48xlarge"
    )
    assert (
        catalog.resolve(
            cloud="aws", region="us-east-2", accelerator="H200", interconnect=True, capacity_blocks=True
        ).name
        == "p5e.48xlarge"
    ), "with capacity blocks, the 32-card shape sold only that way is allowed"


def test_unknown_accelerator_is_never_replaced_by_another() -> None:
    with pytest.raises(CatalogLookupError) as caught:
        default_catalog().resolve(cloud="aws", region="us-east-1", accelerator="H1000")
    assert "Did you mean 'H100'?" in caught.value.fix


def test_shipped_catalog_rows_carry_source_and_date_and_sane_shapes() -> None:
    catalog = default_catalog()
    types = catalog.instance_types(cloud="aws")
    assert {"p4d.24xlarge", "p4de.24xlarge", "p5.48xlarge", "p5e.48xlarge", "p5en.48xlarge"} <= {
        t.name for t in types
    }
    for t in types:
        assert t.source.startswith("http") and t.retrieved.year >= 2025, (
            f"{t.name} must say where it comes from"
        )
        assert (
            t.accelerator_count in ((1, 2, 4, 8, 16) if t.accelerator else (0,))
            and t.vcpu > 0
            and t.memory_gib > 0
        ), t.name
        regions = [o.region for o in catalog.offers(instance_type=t.name)]
        assert regions, f"{t.name} is offered somewhere"
        assert all(r in catalog.regions("aws") for r in regions), f"{t.name} names an unknown region"
    efa = {t.name: t.efa_cards for t in types}
    assert (efa["p5.48xlarge"], efa["p5en.48xlarge"], efa["p4d.24xlarge"], efa["g5.xlarge"]) == (32, 16, 4, 0)


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["plan", "--help"],
        ["schema"],
        ["catalog", "gpus", "-a", "H100"],
        ["estimate", "--help"],
        ["up", "--help"],
        ["destroy", "--help"],
    ],
)
def test_cli_help_and_schema_do_not_load_cloud_sdks(argv: list[str]) -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from aiinfra.cli.main import app\n"
        f"result = CliRunner().invoke(app, {argv!r})\n"
        "assert result.exit_code == 0, result.output\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pulumi', 'pulumi_aws', 'pulumi_gcp', 'pulumi_azure_native', 'pulumi_kubernetes'))\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "", f"`infra {' '.join(argv)}` imported {out.stdout.strip()}"
