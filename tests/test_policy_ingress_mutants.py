"""Open ingress in one shape for every cloud (policy/ingress.py): which entries are "every port", which admit
SSH or RDP, how their ports read in a message, and how port lists are read. Through the GCP firewall and
Azure NSG rules (the messages and Checkov IDs a user reads) and through the pure functions, for the cases
bench/mutation.py found untested: TCP/UDP/SCTP with no ports, a ported entry on a portless protocol, a single
range, an integer port, and the ways of writing "every port"."""

from __future__ import annotations

from typing import Any

import pytest

from aiinfra.engine.graph import PlannedResource, make_urn
from aiinfra.policy import RULES_BY_ID
from aiinfra.policy.ingress import OpenIngress, port_range, port_ranges

OPEN = "0.0.0.0/0"
FIREWALL = "gcp:compute/firewall:Firewall"
NSG_RULE = "azure-native:network:SecurityRule"


def firewall(*allows: dict[str, Any]) -> PlannedResource:
    inputs = {"network": "vpc", "direction": "INGRESS", "sourceRanges": [OPEN], "allows": list(allows)}
    return PlannedResource(
        FIREWALL, "fw", make_urn("t", "aiinfra", FIREWALL, "fw"), None, inputs, True, False, False
    )


def messages(rule_id: str, r: PlannedResource) -> list[tuple[str, str | None]]:
    return [(v.message, v.checkov) for v in RULES_BY_ID[rule_id].check(r)]  # type: ignore[call-arg,arg-type]


ADMIN = "gcp-firewall-open-admin-ingress"
OTHER = "gcp-firewall-open-ingress"


def test_ssh_and_rdp_are_named_with_their_port_and_checkov_id() -> None:
    r = firewall({"protocol": "tcp", "ports": ["22"]}, {"protocol": "tcp", "ports": ["3389"]})
    assert messages(ADMIN, r) == [
        ("firewall fw (allows[0]) admits 0.0.0.0/0 on port 22 (SSH) (tcp).", "CKV_GCP_2"),
        ("firewall fw (allows[1]) admits 0.0.0.0/0 on port 3389 (RDP) (tcp).", "CKV_GCP_3"),
    ]
    assert messages(OTHER, r) == []


def test_ports_next_to_ssh_and_rdp_are_not_admin_ports() -> None:
    r = firewall({"protocol": "tcp", "ports": ["23"]}, {"protocol": "tcp", "ports": ["3390"]})
    assert messages(ADMIN, r) == []
    assert messages(OTHER, r) == [
        ("firewall fw (allows[0]) admits 0.0.0.0/0 on port 23 (tcp).", None),
        ("firewall fw (allows[1]) admits 0.0.0.0/0 on port 3390 (tcp).", None),
    ]


@pytest.mark.parametrize("protocol", ["tcp", "udp", "sctp", "all"])
def test_a_ported_protocol_with_no_ports_is_every_port(protocol: str) -> None:
    r = firewall({"protocol": protocol})
    assert messages(ADMIN, r) == [
        (f"firewall fw (allows[0]) admits 0.0.0.0/0 on every port ({protocol}).", None)
    ]
    assert messages(OTHER, r) == []


def test_a_portless_protocol_with_ports_given_admits_no_admin_port() -> None:
    """ICMP has no ports: an `allows` entry that lists 22 for it does not open SSH."""
    r = firewall({"protocol": "icmp", "ports": ["22"]})
    assert messages(ADMIN, r) == []
    assert messages(OTHER, r) == [("firewall fw (allows[0]) admits 0.0.0.0/0 on port 22 (icmp).", None)]


@pytest.mark.parametrize(
    ("ports", "text", "checkov"),
    [
        (["443"], "port 443", None),
        (["1000-2000"], "ports 1000-2000", None),
        (["80", "443"], "ports 80, 443", "CKV_GCP_106"),
        (["8000-8100", "443"], "ports 8000-8100, 443", None),
        (["79-81"], "ports 79-81", "CKV_GCP_106"),
    ],
)
def test_the_ports_of_an_other_port_finding_read_as_written(
    ports: list[str], text: str, checkov: str | None
) -> None:
    r = firewall({"protocol": "tcp", "ports": ports})
    assert messages(OTHER, r) == [(f"firewall fw (allows[0]) admits 0.0.0.0/0 on {text} (tcp).", checkov)]
    assert messages(ADMIN, r) == []


def test_an_nsg_rule_with_an_all_port_range_is_every_port() -> None:
    inputs = {
        "direction": "Inbound",
        "access": "Allow",
        "protocol": "*",
        "sourceAddressPrefix": "Internet",
        "destinationPortRange": "0-65535",
    }
    r = PlannedResource(
        NSG_RULE, "ssh", make_urn("t", "aiinfra", NSG_RULE, "ssh"), None, inputs, True, False, False
    )
    assert messages("nsg-open-admin-ingress", r) == [
        ("network security group ssh (rule) admits Internet on every port (all).", None)
    ]
    assert messages("nsg-open-ingress", r) == []


def test_covers_is_a_plain_answer_for_each_kind_of_entry() -> None:
    every = OpenIngress("x", OPEN, "tcp", None)
    assert every.covers(22) is True and every.covers(80) is True
    assert every.admin_ports() == [22, 3389]
    assert every.admin_hits() == [(None, "every port")]
    assert every.describe_ports() == "every port"
    icmp = OpenIngress("x", OPEN, "icmp", None)
    assert icmp.covers(22) is False and icmp.admin_hits() == []
    ranged = OpenIngress("x", OPEN, "udp", ((20, 22), (3389, 3389)))
    assert ranged.covers(20) is True and ranged.covers(22) is True
    assert ranged.covers(19) is False and ranged.covers(23) is False and ranged.covers(3390) is False
    assert ranged.admin_hits() == [(22, "port 22 (SSH)"), (3389, "port 3389 (RDP)")]
    assert not ranged.every_port


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (22, (22, 22)),
        ("22", (22, 22)),
        (" 1000-2000 ", (1000, 2000)),
        ("*", None),
        ("ssh", None),
        (True, None),
        (22.0, None),
        (None, None),
    ],
)
def test_a_port_or_range_is_read_as_an_inclusive_pair(text: object, expected: Any) -> None:
    assert port_range(text) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([22], ((22, 22),)),
        ([22, "80"], ((22, 22), (80, 80))),
        (["22", "x", None], ((22, 22),)),
        (["22", ""], ((22, 22),)),
        (["1-65535"], ((1, 65535),)),
        (["0-65534"], ((0, 65534),)),
        (["00-65535"], None),
        (["0-65536"], None),
        ([" * "], None),
        ([" 0-65535"], None),
        (["22", "*"], None),
        ([], None),
    ],
)
def test_port_lists_are_ranges_and_every_port_is_none(values: list[object], expected: Any) -> None:
    assert port_ranges(values) == expected
