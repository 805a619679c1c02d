"""What each cloud's components cannot build, as data: `{cloud: {feature: reason}}` (SkyPilot's
`sky/clouds/*.py` style), so the spec validator and the dispatcher ask one table instead of scattering
`if cloud == ...` branches. A feature absent from a cloud's table is built."""

from __future__ import annotations

NOT_BUILT_YET = "is not built yet (it lands with the {cloud} slice); until then use cloud: aws"

UNSUPPORTED: dict[str, dict[str, str]] = {
    "aws": {
        "storage:parallel": "AWS has no separate parallel file system service: FSx for Lustre is the parallel "
        "file system on AWS; use kind: lustre",
        "storage:file": "an NFS file share (Amazon EFS) is not built yet on AWS; use kind: lustre for shared "
        "training data or kind: object for datasets and checkpoints",
        "topology": "topology sets a TPU slice shape, and TPUs exist only on GCP; remove it",
        "edge-sites": "edge sites (Local Zones, Wavelength, Outposts) are not built yet; they land with the "
        "edge issue. Remove aiinfra:edgeSites for now",
    },
    "gcp": {
        "cluster": NOT_BUILT_YET.format(cloud="GCP"),
        "edge-sites": "edge sites on GCP (Distributed Cloud Edge) are not built yet",
    },
    "azure": {
        "cluster": NOT_BUILT_YET.format(cloud="Azure"),
        "edge-sites": "edge sites on Azure (Extended Zones) are not built yet",
    },
}


def unsupported(cloud: str, feature: str) -> str | None:
    """Why `cloud` cannot build `feature`, or None when it can."""
    return UNSUPPORTED.get(cloud, {}).get(feature)
