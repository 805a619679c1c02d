"""Accelerators and instance types with their provenance, and the query API over them.

Data, not code: the facts live in versioned files under `data/`, each row with `source` and `retrieved`.
The catalog is loaded once (`default_catalog()`) and passed in as a parameter, so tests use small tables.
No pulumi import here.
"""

from aiinfra.catalog.model import Accelerator, InstanceType
from aiinfra.catalog.query import Catalog, CatalogLookupError, default_catalog

__all__ = ["Accelerator", "Catalog", "CatalogLookupError", "InstanceType", "default_catalog"]
