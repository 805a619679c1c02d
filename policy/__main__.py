"""The CrossGuard policy pack: `pulumi preview --policy-pack policy/` or `pulumi up --policy-pack policy/`.
Constructing the PolicyPack starts its gRPC server and serves the Pulumi engine until it exits, so this
module only does that; the policies and their adapters are in `aiinfra.policy.pack`."""

from pulumi_policy import EnforcementLevel, PolicyPack

from aiinfra.policy.pack import PACK_NAME, build_policies

PolicyPack(
    name=PACK_NAME,
    policies=build_policies(),
    enforcement_level=EnforcementLevel.MANDATORY,
    description="aiinfra guardrails for AWS, GCP and Azure: encryption, network exposure, IMDSv2 and metadata "
    "servers, private endpoints, workload identity, public data, deletion protection, GPU carbon intensity "
    "and budgets (the rules of `infra check`).",
)
