"""From a validated StackSpec to components: the one place that dispatches on cloud. What a cloud cannot
build is in `capabilities`; the spec validator has already turned that into a clear error."""

from __future__ import annotations

from typing import Any

import pulumi
from aiinfra.catalog import Catalog
from aiinfra.components.capabilities import unsupported
from aiinfra.spec.models import StackSpec


def build_stack(spec: StackSpec, catalog: Catalog) -> dict[str, Any]:
    """Declare every cluster of the spec; returns the cluster components by name."""
    for cluster in spec.clusters:
        reason = unsupported(cluster.cloud, "cluster")
        if reason:
            raise ValueError(f"cluster '{cluster.name}' on {cluster.cloud} {reason}")
    from aiinfra.components.aws.gpu_cluster import AwsGpuCluster, AwsGpuClusterArgs, regional_provider

    # Providers and zone look-ups first, for every cluster, then the components (see regional_provider).
    regional = {c.name: regional_provider(c) for c in spec.clusters if c.cloud == "aws"}
    built: dict[str, Any] = {}
    for cluster in spec.clusters:
        provider, zones = regional[cluster.name]
        component = AwsGpuCluster(
            cluster.name,
            AwsGpuClusterArgs(spec=cluster, catalog=catalog, zones=zones),
            opts=pulumi.ResourceOptions(provider=provider),
        )
        pulumi.export(
            cluster.name,
            {
                "cloud": cluster.cloud,
                "region": cluster.region,
                "clusterName": component.eks.cluster_name,
                "interconnectZone": component.network.interconnect_zone,
            },
        )
        built[cluster.name] = component
    return built


def run_program() -> None:
    """The Pulumi program (`__main__.py`): read the spec from stack config, validate it, declare it.
    A bad spec stops the run with the validator's message and no traceback (pulumi.RunError)."""
    from aiinfra.catalog import default_catalog
    from aiinfra.spec import SpecError, parse_spec
    from aiinfra.spec.loader import NAMESPACE, SPEC_KEYS

    config = pulumi.Config(NAMESPACE)
    data = {key: value for key in SPEC_KEYS if (value := config.get_object(key)) is not None}
    catalog = default_catalog()
    try:
        spec = parse_spec(data, catalog, source=f"stack {pulumi.get_stack()}")
    except SpecError as e:
        raise pulumi.RunError(str(e)) from None
    build_stack(spec, catalog)
