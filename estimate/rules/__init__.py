"""Rules per cloud; importing this package registers them all (see `aiinfra.estimate.registry`)."""

from aiinfra.estimate.rules import (  # noqa: F401
    aws,
    aws_integration,
    aws_messaging,
    aws_serverless,
    aws_services,
    azure,
    azure_classic,
    azure_classic_services,
    azure_containers,
    azure_cosmos,
    azure_edge,
    azure_services,
    azure_web,
    components,
    gcp,
    gcp_edge,
    gcp_services,
    kubernetes,
)
