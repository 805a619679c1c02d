"""Customer-managed KMS keys: every key the components create rotates yearly and waits 30 days before
deletion, so a mistaken destroy can still be undone."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

DELETION_WINDOW_DAYS = 30


def customer_key(
    name: str, description: str, tags: dict[str, str], opts: pulumi.ResourceOptions
) -> aws.kms.Key:
    return aws.kms.Key(
        name,
        description=description,
        enable_key_rotation=True,
        deletion_window_in_days=DELETION_WINDOW_DAYS,
        tags=tags,
        opts=opts,
    )
