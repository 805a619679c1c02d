"""How Pulumi reaches an AKS cluster's API server: the user kubeconfig AKS returns, rewritten for kubelogin's
Azure CLI login (`rules.azurecli_kubeconfig`: local accounts are off, so no secret is in it), and a Kubernetes
provider on it. Shared by the regional cluster and the Extended Zone site."""

from __future__ import annotations

import pulumi
import pulumi_azure_native as azure_native

from aiinfra.components.azure.rules import azurecli_kubeconfig


def kubelogin_access(
    name: str,
    resource_group_name: pulumi.Input[str],
    cluster_name: pulumi.Input[str],
    parent: pulumi.Resource,
) -> tuple[pulumi.Output[str], pulumi.ProviderResource]:
    """The cluster's kubeconfig and a Kubernetes provider `{name}-k8s` on it, children of `parent`."""
    # Imported here: pulumi_kubernetes is needed only once a cluster is declared.
    import pulumi_kubernetes as k8s

    credentials = azure_native.containerservice.list_managed_cluster_user_credentials_output(
        resource_group_name=resource_group_name,
        resource_name=cluster_name,
        format="exec",
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    kubeconfig = credentials.kubeconfigs.apply(lambda kcs: azurecli_kubeconfig(kcs[0].value))
    provider = k8s.Provider(
        f"{name}-k8s",
        kubeconfig=kubeconfig,
        enable_server_side_apply=True,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return kubeconfig, provider
