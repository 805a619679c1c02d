"""Which machines a graph runs: for every compute resource of any cloud, its machine types, node counts and
purchase option, as one `Machines` record. The estimate's compute rules price these records and the carbon
policy rule looks up their grids, so both see the same machines.

This module knows no cloud: each cloud's rule module (`estimate/rules/<cloud>.py`) registers its
extractors by type token with `@machines_of(...)`."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiinfra.estimate.compute import Pool

if TYPE_CHECKING:
    from aiinfra.engine.graph import PlannedResource, ResourceGraph
    from aiinfra.estimate.context import Context


@dataclass(frozen=True)
class Machines:
    """A group of identical machines one resource creates (a node pool, an instance, a cluster's inline
    pool). `types` lists every machine type it may run, first the one priced (empty: none given);
    `label` names an inline pool inside its resource; `assumptions` say what defaults were taken."""

    resource: PlannedResource
    cloud: str
    region: str | None
    types: tuple[str, ...]
    lo: int
    desired: int
    hi: int
    option: str
    what: str = "node"
    label: str = ""
    assumptions: tuple[str, ...] = ()

    @property
    def pool(self) -> Pool:
        """The priced pool: the first machine type at these sizes and purchase option."""
        return Pool(
            self.types[0] if self.types else "", self.lo, self.desired, self.hi, self.option, self.what
        )


Extractor = Callable[["PlannedResource", "Context"], "list[Machines]"]

EXTRACTORS: dict[str, Extractor] = {}


def machines_of(*type_tokens: str) -> Callable[[Extractor], Extractor]:
    """Register an extractor of the machines that resources of these types run."""

    def register(fn: Extractor) -> Extractor:
        for token in type_tokens:
            if token in EXTRACTORS:
                raise ValueError(f"two machine extractors for {token}")
            EXTRACTORS[token] = fn
        return fn

    return register


def extracted_types() -> frozenset[str]:
    """The type tokens some cloud's extractor knows."""
    import aiinfra.estimate.rules  # noqa: F401  (registers the extractors)

    return frozenset(EXTRACTORS)


def known_machines(graph: ResourceGraph, ctx: Context) -> Iterator[Machines]:
    """The machines of every resource of `graph` that runs any, in graph order, skipping resources whose
    counts or sizes are unusable (estimate/inputs.py's BadNumber: the estimate reports them unpriced)."""
    import aiinfra.estimate.rules  # noqa: F401
    from aiinfra.estimate.inputs import BadNumber

    for r in graph.resources:
        extract = EXTRACTORS.get(r.type)
        if not r.custom or extract is None:
            continue
        try:
            found = extract(r, ctx)
        except BadNumber:
            continue
        yield from found
