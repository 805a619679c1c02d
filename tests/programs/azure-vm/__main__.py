"""A build agent on Azure: a resource group, a virtual network and subnet, a static public IP and a network
interface, and one Standard_DS2_v2 Linux VM with a 64 GiB Premium SSD OS disk. The public IP is read back
with get_public_ip_address once the VM exists, the way Azure programs report the address they got."""

import pulumi
from pulumi_azure_native import compute, network, resources

config = pulumi.Config()
ssh_key = config.require("sshPublicKey")

group = resources.ResourceGroup("build")

vnet = network.VirtualNetwork(
    "build-net",
    resource_group_name=group.name,
    address_space=network.AddressSpaceArgs(address_prefixes=["10.30.0.0/16"]),
)
subnet = network.Subnet(
    "agents", resource_group_name=group.name, virtual_network_name=vnet.name, address_prefix="10.30.1.0/24"
)
public_ip = network.PublicIPAddress(
    "agent-ip",
    resource_group_name=group.name,
    public_ip_allocation_method=network.IPAllocationMethod.STATIC,
    sku=network.PublicIPAddressSkuArgs(name=network.PublicIPAddressSkuName.STANDARD),
)
nic = network.NetworkInterface(
    "agent-nic",
    resource_group_name=group.name,
    ip_configurations=[
        network.NetworkInterfaceIPConfigurationArgs(
            name="primary",
            subnet=network.SubnetArgs(id=subnet.id),
            public_ip_address=network.PublicIPAddressArgs(id=public_ip.id),
        )
    ],
)

vm = compute.VirtualMachine(
    "agent",
    resource_group_name=group.name,
    hardware_profile=compute.HardwareProfileArgs(vm_size="Standard_DS2_v2"),
    network_profile=compute.NetworkProfileArgs(
        network_interfaces=[compute.NetworkInterfaceReferenceArgs(id=nic.id)]
    ),
    os_profile=compute.OSProfileArgs(
        computer_name="agent",
        admin_username="builder",
        linux_configuration=compute.LinuxConfigurationArgs(
            disable_password_authentication=True,
            ssh=compute.SshConfigurationArgs(
                public_keys=[
                    compute.SshPublicKeyArgs(key_data=ssh_key, path="/home/builder/.ssh/authorized_keys")
                ]
            ),
        ),
    ),
    storage_profile=compute.StorageProfileArgs(
        image_reference=compute.ImageReferenceArgs(
            publisher="Canonical", offer="ubuntu-24_04-lts", sku="server", version="latest"
        ),
        os_disk=compute.OSDiskArgs(
            create_option=compute.DiskCreateOptionTypes.FROM_IMAGE,
            disk_size_gb=64,
            managed_disk=compute.ManagedDiskParametersArgs(storage_account_type="Premium_LRS"),
        ),
    ),
)

address = pulumi.Output.all(group.name, public_ip.name, vm.id).apply(
    lambda args: network.get_public_ip_address(resource_group_name=args[0], public_ip_address_name=args[1])
)
address.ip_address.apply(lambda ip: print(f"agent address: {ip}"))
pulumi.export("public_ip", address.ip_address)
