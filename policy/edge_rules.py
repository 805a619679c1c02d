"""Edge-site rules: GPU nodes at an edge location (a Local Zone, Wavelength Zone, Outpost, ...) are not
reachable from the internet unless the site asked for it (`public: true` in the spec). Resources of an edge
site carry the `aiinfra:edge-location` tag, and the `aiinfra:public` tag only when the site is public; the
same encryption and metadata rules as in the region apply to them through the general rules (ebs-encrypted,
imdsv2-required, imds-hop-limit, the security-group rules)."""

from __future__ import annotations

from collections.abc import Mapping

from aiinfra.catalog.edge import EDGE_LOCATION_TAG, PUBLIC_TAG
from aiinfra.engine.graph import PlannedResource
from aiinfra.policy.model import Rule, Violation
from aiinfra.policy.values import flag, items

LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
SUBNET = "aws:ec2/subnet:Subnet"
INSTANCE = "aws:ec2/instance:Instance"
AKS_POOL = "azure-native:containerservice:AgentPool"
AKS_CLUSTER = "azure-native:containerservice:ManagedCluster"
RULE_ID = "edge-nodes-private"


def _edge(r: PlannedResource) -> tuple[str | None, bool]:
    """(the edge location the resource belongs to, whether its site is public) from its tags."""
    tags = r.inputs.get("tags")
    if not isinstance(tags, Mapping) or not isinstance(tags.get(EDGE_LOCATION_TAG), str):
        return None, False
    return str(tags[EDGE_LOCATION_TAG]), tags.get(PUBLIC_TAG) == "true"


def edge_nodes_private(r: PlannedResource) -> list[Violation]:
    """An edge site's subnet does not hand out public or customer-owned addresses on launch, and its launch
    template / instances ask for no public or carrier address, unless the site is public."""
    location, public = _edge(r)
    if location is None or public:
        return []
    asked: list[str] = []
    if r.type == SUBNET:
        asked = [k for k in ("mapPublicIpOnLaunch", "mapCustomerOwnedIpOnLaunch") if flag(r.inputs.get(k))]
    elif r.type == LAUNCH_TEMPLATE:
        for i, nic in enumerate(items(r.inputs.get("networkInterfaces"))):
            if isinstance(nic, Mapping):
                asked += [
                    f"networkInterfaces[{i}].{k}"
                    for k in ("associatePublicIpAddress", "associateCarrierIpAddress")
                    if flag(nic.get(k))
                ]
    elif r.type == INSTANCE and flag(r.inputs.get("associatePublicIpAddress")):
        asked = ["associatePublicIpAddress"]
    elif r.type == AKS_POOL and flag(r.inputs.get("enableNodePublicIP")):
        asked = ["enableNodePublicIP"]
    elif r.type == AKS_CLUSTER:
        asked = [
            f"agentPoolProfiles[{i}].enableNodePublicIP"
            for i, p in enumerate(items(r.inputs.get("agentPoolProfiles")))
            if isinstance(p, Mapping) and flag(p.get("enableNodePublicIP"))
        ]
    if not asked:
        return []
    return [
        Violation(
            RULE_ID,
            "high",
            r.name,
            r.type,
            f"{r.name} at edge location {location} gives its nodes internet-reachable addresses "
            f"({', '.join(asked)} is true) though the site is not public.",
            "Set those to false, or set public: true on the edge site if clients must reach the nodes directly.",
            None,
            r.urn,
        )
    ]


EDGE_RULES: tuple[Rule, ...] = (
    Rule(
        RULE_ID,
        "Edge nodes are not reachable from the internet unless the site is public",
        "high",
        None,
        "resource",
        edge_nodes_private,
        (SUBNET, LAUNCH_TEMPLATE, INSTANCE, AKS_POOL, AKS_CLUSTER),
    ),
)
