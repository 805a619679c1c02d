"""A machine whose region no input, provider or config names is unpriced with the way to give it: the
config key its provider reads, as `infra estimate --config KEY=REGION`, and the environment variables
the provider falls back to. pulumi/docs programs ship no stack file: every EKS and EC2 line of
aws-eks-cluster-default-python was unpriced with "set ... the stack's aws region", which named no key."""

from __future__ import annotations

from aiinfra.catalog import default_catalog
from aiinfra.engine.graph import PlannedResource, ResourceGraph
from aiinfra.estimate import estimate
from aiinfra.estimate.compute import region_hint


def _instance(type_token: str, **inputs: object) -> PlannedResource:
    urn = f"urn:pulumi:t::p::{type_token}::vm"
    return PlannedResource(type=type_token, name="vm", urn=urn, parent=None, inputs=inputs, custom=True)


def test_an_instance_without_a_region_says_which_key_and_variables_give_it() -> None:
    graph = ResourceGraph(
        stack="t", project="p", resources=[_instance("aws:ec2/instance:Instance", instanceType="t3.micro")]
    )
    result = estimate(graph, default_catalog())
    assert [(u.resource, u.reason) for u in result.unpriced] == [
        (
            "vm",
            "the region of vm is unknown: set the provider's region or the stack's aws region (aws:region: "
            "`--config aws:region=REGION`, or AWS_REGION / AWS_DEFAULT_REGION in the environment)",
        ),
        ("vm", "the region is unknown"),  # its root volume (estimate/storage.py)
    ]


def test_each_cloud_names_its_own_key_and_fallback_variables() -> None:
    assert region_hint("gcp") == (
        "set the provider's region or the stack's gcp region (gcp:region: `--config gcp:region=REGION`, or "
        "GOOGLE_REGION / GCLOUD_REGION / CLOUDSDK_COMPUTE_REGION / GOOGLE_ZONE / GCLOUD_ZONE / "
        "CLOUDSDK_COMPUTE_ZONE in the environment)"
    )
    assert region_hint("azure") == (
        "set the provider's region or the stack's azure region (azure-native:location: "
        "`--config azure-native:location=REGION`, or ARM_LOCATION in the environment)"
    )
    assert region_hint("nocloud") == "set the provider's region or the stack's nocloud region"
