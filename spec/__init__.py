"""The neutral stack spec: models, loader, validation with field paths. No Pulumi import."""

from aiinfra.spec.errors import SpecError, SpecIssue
from aiinfra.spec.loader import load_stack_spec, parse_spec, stack_file
from aiinfra.spec.models import Cluster, EdgeSite, NodePool, StackSpec, Storage

__all__ = [
    "Cluster",
    "EdgeSite",
    "NodePool",
    "SpecError",
    "SpecIssue",
    "StackSpec",
    "Storage",
    "load_stack_spec",
    "parse_spec",
    "stack_file",
]
