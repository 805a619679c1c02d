"""Analytics on GKE: a VPC and subnet with secondary ranges, a private regional cluster whose default pool is
removed, an on-demand pool of e2-standard-4 workers (count from config) and an autoscaled spot pool of
n2-standard-4. The client config is looked up to build a kubeconfig, as GKE programs often do."""

import pulumi
import pulumi_gcp as gcp

config = pulumi.Config()
workers = config.get_int("workerCount") or 1
region = gcp.config.region

network = gcp.compute.Network("analytics", auto_create_subnetworks=False)
subnet = gcp.compute.Subnetwork(
    "analytics-nodes",
    network=network.id,
    region=region,
    ip_cidr_range="10.10.0.0/20",
    private_ip_google_access=True,
    secondary_ip_ranges=[
        gcp.compute.SubnetworkSecondaryIpRangeArgs(range_name="pods", ip_cidr_range="10.64.0.0/14"),
        gcp.compute.SubnetworkSecondaryIpRangeArgs(range_name="services", ip_cidr_range="10.68.0.0/20"),
    ],
)

cluster = gcp.container.Cluster(
    "analytics",
    location=region,
    network=network.id,
    subnetwork=subnet.id,
    remove_default_node_pool=True,
    initial_node_count=1,
    deletion_protection=False,
    ip_allocation_policy=gcp.container.ClusterIpAllocationPolicyArgs(
        cluster_secondary_range_name="pods", services_secondary_range_name="services"
    ),
    private_cluster_config=gcp.container.ClusterPrivateClusterConfigArgs(
        enable_private_nodes=True, enable_private_endpoint=True, master_ipv4_cidr_block="172.16.0.0/28"
    ),
)

gcp.container.NodePool(
    "workers",
    cluster=cluster.id,
    location=region,
    node_count=workers,
    node_config=gcp.container.NodePoolNodeConfigArgs(
        machine_type="e2-standard-4",
        disk_size_gb=50,
        oauth_scopes=["https://www.googleapis.com/auth/cloud-platform"],
    ),
)

gcp.container.NodePool(
    "batch-spot",
    cluster=cluster.id,
    location=region,
    autoscaling=gcp.container.NodePoolAutoscalingArgs(min_node_count=1, max_node_count=3),
    node_config=gcp.container.NodePoolNodeConfigArgs(machine_type="n2-standard-4", spot=True),
)

client = gcp.organizations.get_client_config()
pulumi.export("project", client.project)
pulumi.export("endpoint", cluster.endpoint)
