"""The Cloud KMS key GKE encrypts Kubernetes secrets with (application-layer secrets encryption): a key
ring in the cluster's region, a key that rotates every 90 days, and the GKE service agent allowed to use
it. Cloud KMS never deletes a key ring or key; destroying them only drops them from the stack."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from aiinfra.components.gcp.rules import KEY_ROTATION, KMS_ENCRYPTER, gke_service_agent


def secrets_key(
    name: str, *, project: str, region: str, opts: pulumi.ResourceOptions
) -> tuple[gcp.kms.CryptoKey, gcp.kms.CryptoKeyIAMMember]:
    """(the key, the GKE service agent's grant on it): the cluster must wait for the grant."""
    ring = gcp.kms.KeyRing(f"{name}-keyring", location=region, project=project, opts=opts)
    key = gcp.kms.CryptoKey(
        f"{name}-secrets",
        key_ring=ring.id,
        purpose="ENCRYPT_DECRYPT",
        rotation_period=KEY_ROTATION,
        opts=opts,
    )
    number = gcp.organizations.get_project_output(project_id=project).number
    grant = gcp.kms.CryptoKeyIAMMember(
        f"{name}-secrets-gke",
        crypto_key_id=key.id,
        role=KMS_ENCRYPTER,
        member=number.apply(lambda n: gke_service_agent(str(n))),
        opts=opts,
    )
    return key, grant
