"""Typed catalog records. Every record carries where its facts come from and when they were read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

CLOUDS = ("aws", "gcp", "azure")


@dataclass(frozen=True, slots=True)
class Accelerator:
    name: str
    vendor: str
    memory_gib: int
    source: str
    retrieved: dt.date


@dataclass(frozen=True, slots=True)
class InstanceType:
    """A machine shape on one cloud: what accelerators it carries and how it connects to its peers."""

    name: str
    cloud: str
    accelerator: str
    accelerator_count: int
    vcpu: int
    memory_gib: int
    efa_cards: int
    """Network cards that take an EFA interface (EC2's EFA maximum interfaces); 0 means no EFA."""
    network_gbps: int
    local_ssd_gib: int
    on_demand: bool
    """False where the provider sells the type only through capacity blocks."""
    regions: tuple[str, ...]
    source: str
    retrieved: dt.date
    unverified: tuple[str, ...] = ()
    """Fields not yet re-read from the provider's own documentation or price API."""

    @property
    def supports_efa(self) -> bool:
        return self.efa_cards > 0
