"""catalog/query.py, the rest of the second measured run's sample: which fabric the message names when a
machine cannot join the interconnect. A machine whose accelerator some machine of the cloud carries with a
fabric names that fabric; one whose accelerator none does names the fabrics of the cloud's machines of the
same kind (GPU), and where they are offered. Written to kill the mutant bench/mutation.py found alive."""

from __future__ import annotations

import pytest

from aiinfra.catalog import default_catalog
from aiinfra.catalog.query import CatalogLookupError

CATALOG = default_catalog()


def _refusal(instance_type: str, region: str) -> str:
    with pytest.raises(CatalogLookupError) as e:
        CATALOG.check_offered(
            CATALOG.instance_type(instance_type, cloud="gcp"), region=region, interconnect=True
        )
    return f"{e.value.message} {e.value.fix}"


def test_an_h100_machine_without_a_fabric_names_the_fabrics_of_the_h100_machines_only() -> None:
    """a3-highgpu-8g carries GPUDirect-TCPX and a3-megagpu-8g GPUDirect-TCPXO; the B200 and H200 machines'
    GPUDirect-RDMA is not an H100's, so it is not named."""
    assert _refusal("a3-highgpu-1g", "asia-east1") == (
        "a3-highgpu-1g is not offered with GPUDirect-TCPX or GPUDirect-TCPXO, so it cannot join the low-latency "
        "interconnect. Set interconnect: false, or use a3-highgpu-8g or a3-megagpu-8g."
    )


def test_an_a100_machine_names_the_fabrics_of_the_clouds_other_gpu_machines_and_where_they_are() -> None:
    """No GCP A100 machine has a fabric: the GPU machines that do are named, with those offered in the
    region, rather than a bare 'a low-latency fabric'."""
    assert _refusal("a2-highgpu-1g", "asia-northeast1") == (
        "a2-highgpu-1g is not offered with GPUDirect-TCPX or GPUDirect-TCPXO or GPUDirect-RDMA, so it cannot "
        "join the low-latency interconnect. Set interconnect: false, or choose an instance type with "
        "GPUDirect-TCPX or GPUDirect-TCPXO or GPUDirect-RDMA (a3-highgpu-8g, a3-megagpu-8g, a4-highgpu-8g in "
        "asia-northeast1)."
    )
