"""policy/azure.py after its unused constant went, second measured run: a Managed Lustre file system whose
HSM settings name only a logging container still links that container's account (each link counts on its
own), so the Shared Key rule leaves that account alone. Written to kill the mutants bench/mutation.py found
alive in the module's new sample."""

from __future__ import annotations

from aiinfra.engine.inputs import UNKNOWN
from tests.test_policy_azure import ARM_ID, KEYED, check, hsm, res

SHARED_KEY_TRUE = "storage account data accepts Shared Key authorization (allowSharedKeyAccess is true)."


def test_a_logging_container_named_without_a_data_container_still_exempts_its_account() -> None:
    assert check("azure-storage-shared-key", hsm(KEYED, None, ARM_ID.format("acct"))) == []
    assert [
        v.message for v in check("azure-storage-shared-key", hsm(KEYED, None, ARM_ID.format("other")))
    ] == [SHARED_KEY_TRUE], "a logging container of another account exempts nothing"


def test_a_key_vault_whose_properties_are_not_known_before_create_is_not_reported() -> None:
    assert check("key-vault-purge-protection", res("kv", ("properties", UNKNOWN))) == []
    assert [v.checkov for v in check("key-vault-purge-protection", res("kv", ("properties", {})))] == [
        "CKV_AZURE_110"
    ], "known properties without purge protection are reported"
