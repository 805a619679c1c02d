"""Pulumi Cloud metadata managed by the pulumiservice provider that carries no charge of its own: stack tags,
teams and their permissions, access tokens, webhooks, organization roles and members. They were listed as
"not estimated" (found in public programs that tag their stacks: MitchellGerdisch/pulumi-work
py-blue-green-apigw). Its other resources are left to the estimator's "no rule" path on purpose: Deployments
settings and schedules run billed deployment minutes, and ESC environments and Insights accounts are billed
by Pulumi Cloud's plan, none of which the graph shows. Tokens checked against pulumi-pulumiservice 0.41.0's
SDK (its `pulumi_pulumiservice/*.py` type tokens, read 2026-12-05)."""

from __future__ import annotations

from aiinfra.estimate.registry import free

METADATA = (
    "pulumiservice:index:StackTag",
    "pulumiservice:index:StackTags",
    "pulumiservice:index:Team",
    "pulumiservice:index:TeamStackPermission",
    "pulumiservice:index:TeamEnvironmentPermission",
    "pulumiservice:index:TeamRoleAssignment",
    "pulumiservice:index:AccessToken",
    "pulumiservice:index:TeamAccessToken",
    "pulumiservice:index:OrgAccessToken",
    "pulumiservice:index:Webhook",
    "pulumiservice:index:OrganizationRole",
    "pulumiservice:index:OrganizationMember",
)

free("Pulumi Cloud metadata (a tag, team, token, webhook or role): no charge of its own", *METADATA)
