"""Accelerators, instance types, offers and prices, power, PUE and grid intensity, with their provenance,
and the query API over them.

Data, not code: the facts live in versioned files under `data/` (see `data/README.md`), each row with
`source` and `retrieved`. The catalog is loaded once (`default_catalog()`) and passed in as a parameter, so
tests use small tables. No pulumi import here.
"""

from aiinfra.catalog.model import (
    Accelerator,
    AcceleratorPrice,
    GridIntensity,
    HostPower,
    InstanceType,
    Offer,
    PowerCurve,
    Pue,
    Region,
    ServicePrice,
    StoragePower,
    StoragePrice,
)
from aiinfra.catalog.query import Catalog, CatalogLookupError, default_catalog

__all__ = [
    "Accelerator",
    "AcceleratorPrice",
    "Catalog",
    "CatalogLookupError",
    "GridIntensity",
    "HostPower",
    "InstanceType",
    "Offer",
    "PowerCurve",
    "Pue",
    "Region",
    "ServicePrice",
    "StoragePower",
    "StoragePrice",
    "default_catalog",
]
