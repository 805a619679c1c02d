"""CIDR planning for a cluster network. Pure: tested with Hypothesis, no Pulumi import."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

MAX_ZONES = 3
SMALLEST_PREFIX = 20  # a /20 still gives each zone a /22 of node and pod addresses
LARGEST_PREFIX = 16  # the largest IPv4 block AWS accepts for a VPC


@dataclass(frozen=True, slots=True)
class SubnetPlan:
    private: tuple[ipaddress.IPv4Network, ...]
    """One per zone, for nodes and pods (VPC CNI gives pods VPC addresses): three quarters of the block."""
    public: tuple[ipaddress.IPv4Network, ...]
    """One per zone, for NAT gateways and load balancers: carved from the last quarter."""


def plan_subnets(cidr: ipaddress.IPv4Network, zones: int) -> SubnetPlan:
    if not 1 <= zones <= MAX_ZONES:
        raise ValueError(f"zones must be 1 to {MAX_ZONES}, not {zones}")
    if not LARGEST_PREFIX <= cidr.prefixlen <= SMALLEST_PREFIX:
        raise ValueError(f"{cidr} must be a /{LARGEST_PREFIX} to /{SMALLEST_PREFIX} block")
    quarters = list(cidr.subnets(prefixlen_diff=2))
    public_pool = list(quarters[3].subnets(prefixlen_diff=2))
    return SubnetPlan(private=tuple(quarters[:zones]), public=tuple(public_pool[:zones]))


def cidr_problem(cidr: ipaddress.IPv4Network) -> str | None:
    """Why `cidr` cannot hold a cluster network, or None."""
    if not cidr.is_private:
        return (
            f"{cidr} is not a private range; use a block inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16."
        )
    if not LARGEST_PREFIX <= cidr.prefixlen <= SMALLEST_PREFIX:
        return (
            f"{cidr} is a /{cidr.prefixlen}; a GPU cluster network needs a /{LARGEST_PREFIX} to "
            f"/{SMALLEST_PREFIX} (pods take VPC addresses), e.g. 10.40.0.0/16."
        )
    return None


EDGE_SUBNETS = 4


def edge_subnet(cidr: ipaddress.IPv4Network, index: int) -> ipaddress.IPv4Network:
    """The subnet of a cluster's `index`-th edge site: a quarter of the sixteenth of the VPC that
    `plan_subnets` leaves free (after three private quarters and three public sixteenths), so it never
    overlaps the cluster's subnets or another site's. A /16 gives each of 4 sites a /22."""
    if not 0 <= index < EDGE_SUBNETS:
        raise ValueError(f"a cluster network holds at most {EDGE_SUBNETS} edge sites, not {index + 1}")
    if not LARGEST_PREFIX <= cidr.prefixlen <= SMALLEST_PREFIX:
        raise ValueError(f"{cidr} must be a /{LARGEST_PREFIX} to /{SMALLEST_PREFIX} block")
    free = list(list(cidr.subnets(prefixlen_diff=2))[3].subnets(prefixlen_diff=2))[3]
    return list(free.subnets(prefixlen_diff=2))[index]
