"""GdcEdgeSite: one `edgeSites[]` entry on GCP — a Google Distributed Cloud (GDC) connected cluster and its
node pool on the hardware installed at the site's zone (`us-central1-edge-customer-a`).

What it builds, and why:
- A Cloud KMS key ring in the zone's parent region and a key (rotated every 90 days, 30 days between a
  destroy request and the key material going) that wraps the nodes' LUKS disk keys, with the Edge Container
  service agent allowed to use it (and nothing else): GDC encrypts each node's local volumes with LUKS and
  wraps the disk key with a Google-managed key unless a node pool names a Cloud KMS key.
- The cluster in the parent region with a *local* control plane on the site's machines: since GDC connected
  1.7 every cluster runs its control plane on site, so workloads keep running for up to 7 days when the
  link to Google Cloud drops (survivability mode). Three control-plane replicas when the site has three or
  more nodes, else one (the only two counts GDC takes); control-plane machines also run workloads.
- Pod and service ranges (GDC's own defaults, `gdc_networking`), the fleet of the provider's project
  (`projects/<number>`), the person or service account running Pulumi as the cluster's one admin user (the
  API takes a single Google account), the REGULAR release channel (Google upgrades the cluster), and a
  weekly maintenance window.
- A node pool of `nodes` machines in the zone, its local disks under the key above, Kubernetes labels like
  the regional pools plus `aiinfra.dev/edge-site`.

What Google does not expose through the provider is said, not faked (`gdc_warnings` puts it in the plan):
the hardware is ordered and installed outside any API (and is fixed after install: no autoscaler, no spot);
the API does not say which machines carry the optional L4 GPU, so a GPU pool takes any machines of the zone
unless given a machine filter (AIP-160 over the zone's machine names); node pools take no taints; a cluster
with a local control plane must live in a Google Cloud project with no other kind of cluster.

GPU pods: unlike the regional clusters, the site installs nothing that exposes the GPUs to pods, and says so
(`gpu_readiness_warning`). Google provisions and manages the worker nodes' operating system (GDC_FEATURE_DOC),
so the driver is Google's; neither the edgecontainer Cluster nor the NodePool of pulumi-gcp 9.37.1 has a GPU
setting (a node pool takes a machine filter, a count, disk encryption and labels); and the GDC pages found
for this build say GPU workloads run in containers and VMs (GDC_GPU_OVERVIEW_DOC) without saying whether
Google also runs the NVIDIA device plugin or the customer must. Installing NVIDIA's plugin or GPU Operator
on Google-managed nodes on that guess could clash with what Google runs, so the plan tells the operator how to
check that the nodes advertise `nvidia.com/gpu` instead.
Sources (read 2026-12-04): registry pulumi-gcp edgecontainer Cluster/NodePool (9.37.1 docstrings);
GDC_SURVIVABILITY_DOC; GDC_FEATURE_DOC; GDC_GPU_OVERVIEW_DOC; GCLOUD_CLUSTER_CREATE_DOC; GDC_SECURITY_DOC;
/work/shared/reference/edge-sites.md §1–2.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi
import pulumi_gcp as gcp

from aiinfra.catalog import Catalog
from aiinfra.clouds.gcp import region_of_edge_zone
from aiinfra.components.outputs import ClusterOutputs, EdgeOutputs
from aiinfra.spec.models import EdgeSite

TYPE = "aiinfra:gcp:EdgeSite"

GDC_SURVIVABILITY_DOC = "https://cloud.google.com/distributed-cloud/edge/latest/docs/survivability"
GDC_FEATURE_DOC = "https://docs.cloud.google.com/distributed-cloud/connected/latest/docs/feature-matrix"
GCLOUD_CLUSTER_CREATE_DOC = (
    "https://cloud.google.com/sdk/gcloud/reference/edge-cloud/container/clusters/create"
)
GDC_SECURITY_DOC = "https://cloud.google.com/distributed-cloud/edge/latest/docs/security"
GDC_GPU_OVERVIEW_DOC = "https://cloud.google.com/distributed-cloud/edge/1.5.1/docs/overview"

# gcloud edge-cloud container clusters create: --cluster-ipv4-cidr default 10.0.0.0/17,
# --services-ipv4-cidr default 10.96.0.0/12 (GCLOUD_CLUSTER_CREATE_DOC). The API takes one RFC 1918 block
# of each, fixed after creation.
DEFAULT_CLUSTER_CIDR = ipaddress.IPv4Network("10.0.0.0/17")
DEFAULT_SERVICES_CIDR = ipaddress.IPv4Network("10.96.0.0/12")
RFC1918 = tuple(ipaddress.IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))

# A local control plane runs 1 or 3 replicas (pulumi-gcp ClusterControlPlaneLocalArgs.node_count).
CONTROL_PLANE_COUNTS = (1, 3)
RELEASE_CHANNEL = "REGULAR"
"""Google upgrades the cluster; NONE would leave upgrades to the operator (GDC_FEATURE_DOC)."""
# Weekly, Sunday 02:00–08:00 UTC: the RRULE recurs the window that starts on a past Sunday.
MAINTENANCE_RECURRENCE = "FREQ=WEEKLY;BYDAY=SU"
MAINTENANCE_START = "2026-01-04T02:00:00Z"
MAINTENANCE_END = "2026-01-04T08:00:00Z"
KEY_ROTATION = "7776000s"  # 90 days
KEY_DESTROY_DELAY = "2592000s"  # 30 days between a destroy and the key material going
KMS_ROLE = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def edge_service_agent(project_number: str) -> str:
    """The Edge Container service agent, which unwraps the nodes' disk keys (pulumi-gcp NodePool example:
    `service-<number>@gcp-sa-edgecontainer.iam.gserviceaccount.com`)."""
    return f"serviceAccount:service-{project_number}@gcp-sa-edgecontainer.iam.gserviceaccount.com"


def gdc_networking(
    cluster_cidr: ipaddress.IPv4Network = DEFAULT_CLUSTER_CIDR,
    services_cidr: ipaddress.IPv4Network = DEFAULT_SERVICES_CIDR,
    avoid: Sequence[ipaddress.IPv4Network] = (),
) -> tuple[str, str]:
    """(pod range, service range) for a GDC cluster: one RFC 1918 block each, apart from each other and
    from `avoid` (the site's local networks, where known). Defaults are gcloud's."""
    for label, cidr in (("pod", cluster_cidr), ("service", services_cidr)):
        if not any(cidr.subnet_of(block) for block in RFC1918):
            raise ValueError(
                f"the {label} range {cidr} is not inside an RFC 1918 block (10/8, 172.16/12, 192.168/16)"
            )
        clash = next((a for a in avoid if cidr.overlaps(a)), None)
        if clash is not None:
            raise ValueError(f"the {label} range {cidr} overlaps {clash}; choose another block")
    if cluster_cidr.overlaps(services_cidr):
        raise ValueError(f"the pod range {cluster_cidr} and the service range {services_cidr} overlap")
    return str(cluster_cidr), str(services_cidr)


def control_plane_nodes(site_nodes: int) -> int:
    """3 control-plane replicas when the site has 3 or more machines in the pool, else 1."""
    return CONTROL_PLANE_COUNTS[1] if site_nodes >= CONTROL_PLANE_COUNTS[1] else CONTROL_PLANE_COUNTS[0]


def node_labels(site: EdgeSite, pool: str, accelerator: str | None) -> dict[str, str]:
    """The Kubernetes labels of the site's nodes: as the regional pools, plus the site's name."""
    return {
        "aiinfra.dev/pool": pool,
        "aiinfra.dev/edge-site": site.name,
        **({"aiinfra.dev/accelerator": accelerator} if accelerator else {}),
        **({"aiinfra.dev/accelerator-vendor": "nvidia"} if accelerator else {}),
        **site.labels,
    }


def gpu_readiness_warning(where: str, accelerator: str) -> str:
    """What the plan says about GPU pods on a GDC site: what is known, what is not, and how to check."""
    label = f"aiinfra.dev/accelerator={accelerator}"
    return (
        f"{where}: this stack installs nothing that exposes the {accelerator}s to pods. pulumi-gcp's "
        'edgecontainer cluster and node pool have no GPU setting; Google "provisions and manages the operating '
        f'system on the worker nodes" ({GDC_FEATURE_DOC}), and the GDC pages found for this build say GPU '
        f"workloads run in containers and VMs ({GDC_GPU_OVERVIEW_DOC}) but not whether Google runs the NVIDIA "
        "device plugin. Before scheduling GPU pods, check that the nodes advertise nvidia.com/gpu: "
        f"`kubectl get nodes -l {label} -o custom-columns=NODE:.metadata.name,GPUS:.status.allocatable."
        "nvidia\\.com/gpu` "
        "(empty: ask Google support how GPUs are enabled on the zone). Node pools on GDC take no taints, so "
        f"GPU pods select the nodes by the {label} label."
    )


def gdc_warnings(site: EdgeSite, accelerator: str | None, machine_filter: str | None) -> list[str]:
    """What the plan must say about a GDC site because Pulumi cannot do it or check it."""
    where = f"edge site '{site.name}' ({site.location})"
    notes = [
        f"{where}: Google Distributed Cloud hardware is ordered and installed outside Pulumi and is fixed after "
        "install; this stack only creates the cluster and node pool on machines already in the zone "
        f"({GDC_FEATURE_DOC}).",
        f"{where}: a GDC cluster with a local control plane must be in a Google Cloud project with no other "
        f"kind of cluster (mixing them can lose data, {GDC_SURVIVABILITY_DOC}); use a project of its own.",
    ]
    if accelerator and machine_filter is None:
        notes.append(
            f"{where}: GDC's API does not say which machines carry the {accelerator}; the pool takes any "
            f"machines of the zone. If the zone mixes GPU and CPU-only machines, pass a machine filter "
            "(`name=...`, AIP-160) to the component."
        )
    if accelerator:
        notes.append(gpu_readiness_warning(where, accelerator))
    if site.public:
        notes.append(
            f"{where}: public is set, but GDC nodes sit on your local network; reachability from the internet is "
            "your network's and the cluster's external load-balancer address pools, which this stack does not "
            "set."
        )
    return notes


@dataclass
class GdcEdgeSiteArgs:
    site: EdgeSite
    region: str
    """The parent region of the site's zone (the cluster's `location`)."""
    project_number: pulumi.Input[str]
    admin_user: pulumi.Input[str]
    accelerator: str | None = None
    machine_filter: str | None = None
    """AIP-160 filter over the zone's machines (`name=...`); None lets the pool take any machines."""
    labels: dict[str, str] = field(default_factory=dict)
    """Cloud labels on the cluster, node pool and key."""


class GdcEdgeSite(pulumi.ComponentResource):
    cluster_name: pulumi.Output[str]
    node_pool_name: pulumi.Output[str]
    key_id: pulumi.Output[str]

    def __init__(self, name: str, args: GdcEdgeSiteArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(TYPE, name, None, opts)
        site = args.site
        if site.capacity != "on-demand":
            raise ValueError(f"edge site '{site.name}': Distributed Cloud has no {site.capacity} capacity")
        _, nodes, _ = site.scaling
        for note in gdc_warnings(site, args.accelerator, args.machine_filter):
            pulumi.log.warn(note, resource=self)
        key, grant = self._create_key(name, args)
        cluster = self._create_cluster(name, args, nodes)
        pool = self._create_node_pool(name, args, nodes, cluster, key, grant)

        self.cluster_name = cluster.name
        self.node_pool_name = pool.name
        self.key_id = key.id
        self.register_outputs(
            {"clusterName": self.cluster_name, "nodePoolName": self.node_pool_name, "diskKeyId": self.key_id}
        )

    def _create_key(
        self, name: str, args: GdcEdgeSiteArgs
    ) -> tuple[gcp.kms.CryptoKey, gcp.kms.CryptoKeyIAMMember]:
        """The key that wraps the nodes' disk keys, usable by the Edge Container service agent only."""
        child = pulumi.ResourceOptions(parent=self)
        # Auto-named: a key ring can never be deleted, so a fixed name would block the site's re-creation.
        ring = gcp.kms.KeyRing(f"{name}-keys", location=args.region, opts=child)
        key = gcp.kms.CryptoKey(
            f"{name}-disk-key",
            key_ring=ring.id,
            rotation_period=KEY_ROTATION,
            destroy_scheduled_duration=KEY_DESTROY_DELAY,
            labels=args.labels,
            opts=child,
        )
        grant = gcp.kms.CryptoKeyIAMMember(
            f"{name}-disk-key-agent",
            crypto_key_id=key.id,
            role=KMS_ROLE,
            member=pulumi.Output.from_input(args.project_number).apply(edge_service_agent),
            opts=child,
        )
        return key, grant

    def _create_cluster(self, name: str, args: GdcEdgeSiteArgs, nodes: int) -> gcp.edgecontainer.Cluster:
        pods, services = gdc_networking()
        return gcp.edgecontainer.Cluster(
            name,
            location=args.region,
            fleet=gcp.edgecontainer.ClusterFleetArgs(
                project=pulumi.Output.from_input(args.project_number).apply(lambda n: f"projects/{n}")
            ),
            networking=gcp.edgecontainer.ClusterNetworkingArgs(
                cluster_ipv4_cidr_blocks=[pods], services_ipv4_cidr_blocks=[services]
            ),
            authorization=gcp.edgecontainer.ClusterAuthorizationArgs(
                admin_users=gcp.edgecontainer.ClusterAuthorizationAdminUsersArgs(username=args.admin_user)
            ),
            control_plane=gcp.edgecontainer.ClusterControlPlaneArgs(
                local=gcp.edgecontainer.ClusterControlPlaneLocalArgs(
                    node_location=args.site.location,
                    node_count=control_plane_nodes(nodes),
                    machine_filter=args.machine_filter,
                    shared_deployment_policy="ALLOWED",
                )
            ),
            release_channel=RELEASE_CHANNEL,
            maintenance_policy=gcp.edgecontainer.ClusterMaintenancePolicyArgs(
                window=gcp.edgecontainer.ClusterMaintenancePolicyWindowArgs(
                    recurring_window=gcp.edgecontainer.ClusterMaintenancePolicyWindowRecurringWindowArgs(
                        recurrence=MAINTENANCE_RECURRENCE,
                        window=gcp.edgecontainer.ClusterMaintenancePolicyWindowRecurringWindowWindowArgs(
                            start_time=MAINTENANCE_START, end_time=MAINTENANCE_END
                        ),
                    )
                )
            ),
            labels=args.labels,
            opts=pulumi.ResourceOptions(parent=self),
        )

    def _create_node_pool(
        self,
        name: str,
        args: GdcEdgeSiteArgs,
        nodes: int,
        cluster: gcp.edgecontainer.Cluster,
        key: gcp.kms.CryptoKey,
        grant: gcp.kms.CryptoKeyIAMMember,
    ) -> gcp.edgecontainer.NodePool:
        pool = f"{name}-gpu" if args.accelerator else f"{name}-nodes"
        return gcp.edgecontainer.NodePool(
            pool,
            cluster=cluster.name,
            location=args.region,
            node_location=args.site.location,
            node_count=nodes,
            machine_filter=args.machine_filter,
            local_disk_encryption=gcp.edgecontainer.NodePoolLocalDiskEncryptionArgs(kms_key=key.id),
            node_config=gcp.edgecontainer.NodePoolNodeConfigArgs(
                labels=node_labels(args.site, pool, args.accelerator)
            ),
            labels=args.labels,
            # The service agent must be able to use the key before the nodes wrap their disk keys with it.
            opts=pulumi.ResourceOptions(parent=self, depends_on=[grant]),
        )


def label_value(text: str) -> str:
    """`text` as a GCP label value: lower-case letters, digits, `_` and `-`, at most 63 characters."""
    return re.sub(r"[^a-z0-9_-]", "-", text.lower())[:63]


def cloud_labels(site: EdgeSite) -> dict[str, str]:
    """GCP labels on the site's resources."""
    return {"aiinfra-stack": label_value(pulumi.get_stack()), "aiinfra-edge-site": site.name}


def declare(
    sites: Sequence[EdgeSite], clusters: Mapping[str, ClusterOutputs], catalog: Catalog
) -> dict[str, EdgeOutputs]:
    """The GCP edge entry point (`aiinfra.clouds.gcp` names it). GDC sites run their own control plane and
    join no regional cluster (`clusters` is unused). The project and the caller are looked up once, before
    any component."""
    del clusters
    project = gcp.organizations.get_project()
    caller = gcp.organizations.get_client_open_id_user_info()
    out: dict[str, EdgeOutputs] = {}
    for site in sites:
        region = region_of_edge_zone(site.location)
        accelerator = catalog.accelerator(site.accelerator).name if site.accelerator else None
        component = GdcEdgeSite(
            site.name,
            GdcEdgeSiteArgs(
                site=site,
                region=region,
                project_number=str(project.number),
                admin_user=caller.email,
                accelerator=accelerator,
                labels=cloud_labels(site),
            ),
        )
        out[site.name] = EdgeOutputs(
            cloud=site.cloud,
            kind="distributed-cloud",
            location=site.location,
            region=region,
            cluster_name=component.cluster_name,
            node_pool_name=component.node_pool_name,
            component=component,
        )
    return out
