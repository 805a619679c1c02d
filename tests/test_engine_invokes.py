"""Any data-source call gets an answer of its SDK result type, found by the token's own spelling, with the
call's arguments echoed where a field has their name; a token with no result class has no answer."""

from __future__ import annotations

import pulumi

from aiinfra.engine.invokes import result_class, typed_answer
from aiinfra.engine.plan import plan_program


def test_the_result_class_is_found_from_the_token_for_each_sdk_layout() -> None:
    import pulumi_aws
    import pulumi_azure_native
    import pulumi_gcp

    assert result_class("aws:ec2/getVpc:getVpc") is pulumi_aws.ec2.GetVpcResult
    assert result_class("aws:index/getRegion:getRegion") is pulumi_aws.GetRegionResult
    assert result_class("gcp:compute/getNetwork:getNetwork") is pulumi_gcp.compute.GetNetworkResult
    network = pulumi_azure_native.network
    assert result_class("azure-native:network:getPublicIPAddress") is network.GetPublicIPAddressResult
    assert result_class("aws:ec2/getNoSuchThing:getNoSuchThing") is None
    assert result_class("acme:index/getThing:getThing") is None, "an SDK that is not installed"
    assert result_class("not-a-token") is None


def test_fields_get_placeholders_of_their_type_and_the_arguments_come_back() -> None:
    answer = typed_answer("aws:ec2/getVpc:getVpc", {"id": "vpc-0abc", "default": None}, "eu-west-1")
    assert answer is not None
    assert answer["id"] == "vpc-0abc", "an argument named like a field is echoed"
    assert answer["cidrBlock"] == "10.0.0.0/16" and answer["default"] is False
    assert answer["region"] == "eu-west-1"
    assert answer["cidrBlockAssociations"] == [
        {"associationId": "offline-associationId", "cidrBlock": "10.0.0.0/16", "state": "offline-state"}
    ], "a list of nested results has one filled-in item"
    assert answer["tags"] == {}


def test_an_azure_public_ip_look_up_and_aks_credentials_can_be_used_by_a_program() -> None:
    import pulumi_azure_native as azure

    seen: dict[str, object] = {}

    def program() -> None:
        ip = azure.network.get_public_ip_address_output(
            public_ip_address_name="pip", resource_group_name="rg"
        )
        ip.ip_address.apply(lambda v: seen.__setitem__("ip", v))
        creds = azure.containerservice.list_managed_cluster_user_credentials_output(
            resource_name="aks", resource_group_name="rg"
        )
        creds.kubeconfigs.apply(lambda v: seen.__setitem__("kubeconfigs", v))
        pulumi.export("fqdn", ip.dns_settings)

    graph = plan_program(program, stack="t", config={"azure-native:location": "westeurope"})
    assert seen["ip"] == "10.0.0.10", "a placeholder of the result type"
    (kubeconfig,) = seen["kubeconfigs"]  # type: ignore[misc]
    assert kubeconfig.name == "clusterUser", "the Azure profile's realistic answer comes first"
    (warning,) = graph.warnings
    assert "azure-native:network:getPublicIPAddress" in warning and "placeholder values" in warning
