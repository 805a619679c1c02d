"""Rules per cloud; importing this package registers them all (see `aiinfra.estimate.registry`)."""

import aiinfra.estimate.rules.azure_edge
import aiinfra.estimate.rules.gcp_edge  # noqa: F401
from aiinfra.estimate.rules import aws, azure, components, gcp, kubernetes  # noqa: F401
