"""Pure naming helpers for the GCP storage components (no Pulumi import): the IDs Google's file services
accept, derived from a component's name so they never change once released."""

from __future__ import annotations

import re

ID_MAX = 63
FSNAME_MAX = 8


def resource_id(name: str) -> str:
    """An instance ID as Parallelstore, Filestore and Managed Lustre take it: lower-case letters, digits and
    '-', starting with a letter, ending with a letter or digit, at most 63 characters."""
    cleaned = re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-")
    cleaned = re.sub(r"-{2,}", "-", cleaned)
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"s-{cleaned}" if cleaned else "storage"
    return cleaned[:ID_MAX].rstrip("-")


def lustre_fsname(name: str) -> str:
    """A Lustre file system name: letters and digits only, at most eight (Managed Lustre's `filesystem`)."""
    cleaned = re.sub(r"[^a-zA-Z0-9]+", "", name)
    return (cleaned or "lustre")[:FSNAME_MAX]
