"""A small shop's web server: the latest Amazon Linux image looked up by name, one instance of the
configured size, a 50 GiB gp3 data volume attached to it, an Elastic IP and a security group open on 443."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
size = config.get("size") or "t3.micro"

image = aws.ec2.get_ami(
    most_recent=True,
    owners=["amazon"],
    filters=[aws.ec2.GetAmiFilterArgs(name="name", values=["al2023-ami-*-x86_64"])],
)

web_sg = aws.ec2.SecurityGroup(
    "web-sg",
    description="HTTPS in",
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            protocol="tcp", from_port=443, to_port=443, cidr_blocks=["10.0.0.0/8"]
        )
    ],
)

server = aws.ec2.Instance(
    "web",
    instance_type=size,
    ami=image.id,
    vpc_security_group_ids=[web_sg.id],
    root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(volume_size=16, volume_type="gp3", encrypted=True),
    tags={"Name": "shop-web"},
)

data = aws.ebs.Volume(
    "web-data", availability_zone=server.availability_zone, size=50, type="gp3", encrypted=True
)
aws.ec2.VolumeAttachment("web-data-attach", device_name="/dev/sdf", volume_id=data.id, instance_id=server.id)

address = aws.ec2.Eip("web-ip", instance=server.id, domain="vpc")

pulumi.export("public_ip", address.public_ip)
pulumi.export("image", image.name)
