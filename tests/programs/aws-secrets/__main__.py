"""An orders database: PostgreSQL on RDS, its size and storage from config and its master password from a
`secure:` stack value, with the password also kept in Secrets Manager for the application to read."""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
password = config.require_secret("dbPassword")
instance_class = config.get("instanceClass") or "db.t3.micro"
storage = int(config.get("storageGiB") or "20")

db = aws.rds.Instance(
    "orders",
    engine="postgres",
    engine_version="16.4",
    instance_class=instance_class,
    allocated_storage=storage,
    storage_type="gp3",
    storage_encrypted=True,
    username="orders",
    password=password,
    skip_final_snapshot=False,
    final_snapshot_identifier="orders-final",
    deletion_protection=True,
    opts=pulumi.ResourceOptions(protect=True),
)

secret = aws.secretsmanager.Secret("orders-db-password")
aws.secretsmanager.SecretVersion("orders-db-password", secret_id=secret.id, secret_string=password)

pulumi.export("endpoint", db.endpoint)
