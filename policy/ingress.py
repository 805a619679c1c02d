"""Inbound rules that admit the whole internet, in one shape for every cloud's firewall: which entry, from
which source, for which protocol and ports. Each cloud's rules (policy/gcp.py, policy/azure.py) turn their
firewall or security-group inputs into `OpenIngress` entries; the split into "admin ports or every port"
(high) and "any other port" (medium) is the same everywhere, as for AWS security groups in rules.py."""

from __future__ import annotations

from dataclasses import dataclass

ADMIN_PORTS = {22: "SSH", 3389: "RDP"}
"""The ports scanners try first: an open one is reported high."""

ALL_PROTOCOLS = "all"
PORTED_PROTOCOLS = ("tcp", "udp", "sctp")


@dataclass(frozen=True, slots=True)
class OpenIngress:
    where: str
    """Which entry of the resource admits it (`allows[0]`, `securityRules[1] ssh`, `rule`)."""
    source: str
    """The source that admits everyone (`0.0.0.0/0`, `::/0`, `Internet`, `*`)."""
    protocol: str
    """Lower case: `tcp`, `udp`, `icmp`, …, or `all`."""
    ports: tuple[tuple[int, int], ...] | None
    """Inclusive port ranges; None for every port (no ports given, `*`, or a protocol with no ports)."""

    @property
    def every_port(self) -> bool:
        """Every port: no ports given for all protocols, TCP, UDP or SCTP. As open as a rule can be."""
        return self.ports is None and self.protocol in (ALL_PROTOCOLS, *PORTED_PROTOCOLS)

    def covers(self, port: int) -> bool:
        """True when TCP or UDP `port` is admitted (ICMP and other portless protocols cover none)."""
        if self.every_port:
            return True
        if self.protocol not in (ALL_PROTOCOLS, *PORTED_PROTOCOLS) or self.ports is None:
            return False
        return any(lo <= port <= hi for lo, hi in self.ports)

    def admin_ports(self) -> list[int]:
        return [p for p in ADMIN_PORTS if self.covers(p)]

    def admin_hits(self) -> list[tuple[int | None, str]]:
        """What a high finding names: (None, "every port"), or each admin port it admits with its name."""
        if self.every_port:
            return [(None, "every port")]
        return [(p, f"port {p} ({ADMIN_PORTS[p]})") for p in self.admin_ports()]

    def describe_ports(self) -> str:
        """`port 443`, `ports 1000-2000, 8080`, `ICMP`, for a message."""
        if self.ports is None:
            return "every port" if self.every_port else self.protocol.upper()
        text = ", ".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in self.ports)
        single = len(self.ports) == 1 and self.ports[0][0] == self.ports[0][1]
        return f"{'port' if single else 'ports'} {text}"


def port_range(text: object) -> tuple[int, int] | None:
    """`"22"` → (22, 22), `"1000-2000"` → (1000, 2000); None for `*`, an unknown or anything unreadable."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return (text, text)
    if not isinstance(text, str):
        return None
    lo, sep, hi = text.strip().partition("-")
    try:
        first = int(lo)
        return (first, int(hi) if sep else first)
    except ValueError:
        return None


def port_ranges(values: list[object]) -> tuple[tuple[int, int], ...] | None:
    """The ranges of `values`; None (every port) when there are none or one is `*`. An entry that cannot be
    read is left out (a rule reports what it can tell)."""
    if not values or any(isinstance(v, str) and v.strip() in ("*", "0-65535") for v in values):
        return None
    found = [r for v in values if (r := port_range(v)) is not None]
    if any(lo <= 0 and hi >= 65535 for lo, hi in found):
        return None
    return tuple(found)
