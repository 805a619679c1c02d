"""A jump host whose login banner is joined from config strings. Four keys have a value (the stack file,
Pulumi.yaml's `config:` default, its `template.config` default, a default in the call); two have none,
and the join fails on the first None, as a program does when a user never set them."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
team = config.get("team")
region = config.get("region")
size = config.get("size")
shell = config.get("shell", "/bin/bash")
admin = config.get("adminUsername")
key_name = config.get("keyName")

host = aws.ec2.Instance("jump", instance_type=size, ami="ami-0123456789abcdef0", key_name=key_name)
banner = "".join(["team ", team, " in ", region, " as ", admin, " with ", shell])
pulumi.export("banner", banner)
