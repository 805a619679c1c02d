"""A shop's databases in two regions: in the stack's region (eu-west-1) a small MySQL shop database and a
Multi-AZ PostgreSQL ledger, and the same pair in Sydney through an explicit provider, beside an analytics
replica class the catalog does not price there. RDS keeps the master passwords in Secrets Manager."""

import pulumi
import pulumi_aws as aws

sydney = aws.Provider("sydney", region="ap-southeast-2")


def database(
    name: str,
    engine: str,
    instance_class: str,
    storage: int,
    opts: pulumi.ResourceOptions | None = None,
    **extra: object,
) -> aws.rds.Instance:
    return aws.rds.Instance(
        name,
        engine=engine,
        instance_class=instance_class,
        allocated_storage=storage,
        username="shop",
        manage_master_user_password=True,
        storage_encrypted=True,
        deletion_protection=True,
        skip_final_snapshot=False,
        final_snapshot_identifier=f"{name}-final",
        opts=pulumi.ResourceOptions.merge(opts, pulumi.ResourceOptions(protect=True)),
        **extra,
    )


shop = database("shop", "mysql", "db.t3.micro", 20)
ledger = database("ledger", "postgres", "db.m5.large", 100, storage_type="gp3", multi_az=True)

in_sydney = pulumi.ResourceOptions(provider=sydney)
shop_au = database("shop-au", "mysql", "db.t3.micro", 20, in_sydney)
ledger_au = database("ledger-au", "postgres", "db.m5.large", 100, in_sydney, storage_type="gp3", iops=4000)
analytics_au = database("analytics-au", "postgres", "db.x2g.large", 50, in_sydney, storage_type="gp3")

pulumi.export("endpoints", [db.endpoint for db in (shop, ledger, shop_au, ledger_au, analytics_au)])
