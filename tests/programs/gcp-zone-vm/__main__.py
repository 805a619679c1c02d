"""A VM, its static address and a 20 GB boot disk, in the provider's default zone: no region anywhere.
The Google provider places regional resources in the region of its zone, and so must the estimate."""

import pulumi
from pulumi_gcp import compute

address = compute.Address("web-ip")
vm = compute.Instance(
    "web",
    machine_type="e2-small",
    boot_disk=compute.InstanceBootDiskArgs(
        initialize_params=compute.InstanceBootDiskInitializeParamsArgs(
            image="debian-cloud/debian-12", size=20
        ),
    ),
    network_interfaces=[
        compute.InstanceNetworkInterfaceArgs(
            network="default",
            access_configs=[compute.InstanceNetworkInterfaceAccessConfigArgs(nat_ip=address.address)],
        )
    ],
)
pulumi.export("ip", address.address)
