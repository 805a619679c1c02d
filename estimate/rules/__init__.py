"""Rules per cloud; importing this package registers them all (see `aiinfra.estimate.registry`)."""

from aiinfra.estimate.rules import aws, aws_services, azure, components, gcp, kubernetes  # noqa: F401
