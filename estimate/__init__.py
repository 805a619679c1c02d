"""Cost, energy and carbon of a resource graph, before anything is created. Never imports pulumi.

`estimate(graph, catalog, profile=..., usage=...)` → `Estimate`: line items per resource (Decimal USD,
kWh, kg CO2e a month), what is unpriced and why, what no rule knows, what is free.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiinfra.estimate.model import Estimate, Line, Skipped

if TYPE_CHECKING:
    from aiinfra.estimate.estimator import estimate

__all__ = ["Estimate", "Line", "Skipped", "estimate"]


def __getattr__(name: str) -> Any:
    # The estimator loads the catalog; renderers and diffs of saved JSON must not pay for it.
    if name == "estimate":
        from aiinfra.estimate.estimator import estimate

        return estimate
    raise AttributeError(name)
