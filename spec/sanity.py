"""Sanity checks a structurally valid stack spec still has to pass: nonsense a cloud would refuse (or
silently accept and regret) is caught here, with the field path and the fix.

- CIDRs: a cluster network inside the private ranges (not loopback, link-local, `0.0.0.0/8`, multicast,
  reserved, ...); an API allow-list of public client ranges that together stay small (ALLOW_LIST_MAX);
  CIDR text pydantic refused (host bits set, IPv6, `/33`) explained with a fix (`cidr_text_issue`).
- Names as the components join them (`{cluster}-{pool}-nodes`): no two entries may derive the same name,
  and auto-named resources plus Pulumi's random suffix must fit the cloud's limit.
- Tags (count with the ones aiinfra adds, reserved prefixes, lengths, characters) and Kubernetes labels.
- Quotas: sizes above a default (adjustable) quota are warnings that say how to ask for more.

Pure: no catalog, no Pulumi. Per-cloud numbers come from each cloud profile's `limits` (`clouds/<cloud>.py`).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from aiinfra import clouds
from aiinfra.clouds.limits import Limits
from aiinfra.spec.errors import SpecIssue
from aiinfra.spec.models import Cluster, StackSpec

IPv4 = ipaddress.IPv4Network
SHOWN_MAX = 60

# -- showing user input ------------------------------------------------------------------------------


def show(value: object, limit: int = SHOWN_MAX, quote: str = "'") -> str:
    """`value` quoted for a message: control characters escaped, at most `limit` characters shown."""
    text = value if isinstance(value, str) else repr(value)
    out = []
    size = 0
    for ch in text:
        piece = ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii")
        if size + len(piece) > limit:
            out.append("...")
            break
        out.append(piece)
        size += len(piece)
    return f"{quote}{''.join(out)}{quote}"


def _chars(n: int) -> str:
    return f"{n} character{'s' if n != 1 else ''}"


def _key_path(path: str, key: str) -> str:
    return f"{path}.{show(key, quote=chr(34))}"


# -- CIDRs -------------------------------------------------------------------------------------------

PRIVATE = tuple(IPv4(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
PRIVATE_TEXT = "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
DOCUMENTATION = tuple(IPv4(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"))
# IANA IPv4 Special-Purpose Address Registry, RFC 6890 (https://www.iana.org/assignments/
# iana-ipv4-special-registry, read 2026-12-04): blocks no cloud network or internet client can use.
SPECIAL: tuple[tuple[IPv4, str], ...] = (
    (IPv4("0.0.0.0/8"), "'this network' (RFC 1122): no host is addressed in 0.0.0.0/8"),
    (IPv4("127.0.0.0/8"), "loopback (127.0.0.0/8): it never leaves a machine"),
    (IPv4("169.254.0.0/16"), "link-local (169.254.0.0/16): clouds keep it for instance metadata and DNS"),
    (IPv4("100.64.0.0/10"), "carrier-grade NAT shared space (100.64.0.0/10, RFC 6598)"),
    (IPv4("192.0.0.0/24"), "IETF protocol assignments (192.0.0.0/24)"),
    (IPv4("198.18.0.0/15"), "benchmarking space (198.18.0.0/15, RFC 2544)"),
    (IPv4("224.0.0.0/4"), "multicast (224.0.0.0/4)"),
    (IPv4("240.0.0.0/4"), "reserved (240.0.0.0/4, including broadcast 255.255.255.255)"),
    *((doc, f"documentation space ({doc}, RFC 5737)") for doc in DOCUMENTATION),
)
ALLOW_LIST_MAX = 2**24
"""The most addresses an API allow-list may open to, all entries together: a /8's worth (16,777,216,
0.4% of IPv4). Office, VPN and CI egress ranges are /32 to /22; anything near this is a mistake such as
0.0.0.0/1 + 128.0.0.0/1, which is the whole internet written in two lines."""
ALLOW_LIST_FIX = (
    "List your office, VPN or CI egress ranges (usually /22 to /32), or leave the list empty for a private "
    "endpoint."
)


def _special(cidr: IPv4, *, documentation_ok: bool = False) -> tuple[IPv4, str] | None:
    for block, what in SPECIAL:
        if documentation_ok and block in DOCUMENTATION:
            continue
        if cidr.overlaps(block):
            return block, what
    return None


def network_cidr_problem(cidr: IPv4) -> tuple[str, str] | None:
    """Why `cidr` cannot be a cluster (VPC) network, as (message, fix), or None."""
    fix = f"Use a block inside {PRIVATE_TEXT}, e.g. 10.40.0.0/16."
    if any(cidr.subnet_of(p) for p in PRIVATE):
        return None
    special = _special(cidr)
    if special is not None:
        block, what = special
        where = "is" if cidr.subnet_of(block) else f"overlaps {block},"
        return f"{cidr} {where} {what}; a cluster network cannot use it.", fix
    inside = next((p for p in PRIVATE if cidr.overlaps(p)), None)
    if inside is not None:
        return f"{cidr} reaches beyond the private range {inside}.", fix
    return f"{cidr} is a public range; a cluster network must be private.", fix


def allow_list_entry_problem(cidr: IPv4) -> tuple[str, str] | None:
    """Why `cidr` cannot be a public client range for the Kubernetes API endpoint, or None.
    Documentation ranges (RFC 5737) pass: examples use them, and they open the endpoint to no one."""
    if cidr.prefixlen == 0:
        return f"{cidr} would open the Kubernetes API to the whole internet.", ALLOW_LIST_FIX
    if cidr.num_addresses > ALLOW_LIST_MAX:
        share = cidr.num_addresses / 2**32
        return (
            f"{cidr} alone opens the Kubernetes API to {cidr.num_addresses:,} addresses ({share:.0%} of "
            f"the IPv4 internet); at most {ALLOW_LIST_MAX:,} (a /8's worth) are allowed.",
            ALLOW_LIST_FIX,
        )
    private = next((p for p in PRIVATE if cidr.overlaps(p)), None)
    if private is not None:
        return (
            f"{cidr} is private ({private}): the public endpoint sees a client's public (NAT or egress) "
            "address, never a private one.",
            "Nodes and VPN users inside the VPC use the private endpoint already; list the public egress "
            "address of your office or CI instead (e.g. 198.51.100.7/32).",
        )
    special = _special(cidr, documentation_ok=True)
    if special is not None:
        return f"{cidr} is {special[1]}; no internet client has such an address.", ALLOW_LIST_FIX
    return None


def allow_list_union_problem(cidrs: Iterable[IPv4]) -> tuple[str, str] | None:
    """Why the entries together open too much, or None (entries too large alone are reported alone)."""
    cidrs = list(cidrs)
    if any(c.num_addresses > ALLOW_LIST_MAX for c in cidrs):
        return None
    union = list(ipaddress.collapse_addresses(cidrs))
    total = sum(n.num_addresses for n in union)
    if total <= ALLOW_LIST_MAX:
        return None
    widest = ", ".join(str(n) for n in sorted(union, key=lambda n: n.prefixlen)[:3])
    return (
        f"together the {len(cidrs)} ranges open the Kubernetes API to {total:,} addresses ({total / 2**32:.1%} "
        f"of the IPv4 internet; widest: {widest}); at most {ALLOW_LIST_MAX:,} (a /8's worth) are allowed.",
        ALLOW_LIST_FIX,
    )


def cidr_text_issue(path: str, value: object) -> SpecIssue:
    """What is wrong with CIDR text that is not a valid IPv4 network, and the fix. For the structural pass,
    where pydantic only says 'not a valid IPv4 network'."""
    allow_list = "endpointPublicAccessCidrs" in path
    example = "198.51.100.0/24" if allow_list else "10.40.0.0/16"
    shown = show(value)
    if not isinstance(value, str):
        return SpecIssue(path, f"{shown} is not a CIDR.", f"Write it as text, e.g. {example}.")
    text = value.strip()
    try:
        net = ipaddress.ip_network(text, strict=False)
    except ValueError:
        net = None
    if isinstance(net, ipaddress.IPv6Network):
        why = (
            "the endpoint allow-list takes IPv4 client ranges"
            if allow_list
            else "every cluster network is an IPv4 block (EKS nodes and pods take IPv4 addresses from it; "
            "IPv6 clusters are not built)"
        )
        return SpecIssue(path, f"{shown} is an IPv6 range; {why}.", f"Write an IPv4 block, e.g. {example}.")
    if net is not None:
        return SpecIssue(
            path,
            f"{shown} has host bits set: a /{net.prefixlen} block starts at {net.network_address}.",
            f"Did you mean {net}?",
        )
    address, slash, prefix = text.partition("/")
    try:
        ipaddress.IPv4Address(address)
    except ValueError:
        return SpecIssue(
            path,
            f"{show(address)} is not an IPv4 address (four numbers from 0 to 255, separated by dots).",
            f"Write address/prefix, e.g. {example}.",
        )
    if slash and not (prefix.isdigit() and int(prefix) <= 32):
        sizes = "/32 for one address, /24 for 256" if allow_list else "a /16 to /20 for a cluster network"
        return SpecIssue(
            path,
            f"{show('/' + prefix)} is not an IPv4 prefix length: it runs from /0 to /32.",
            f"Use {sizes}, e.g. {example}.",
        )
    return SpecIssue(path, f"{shown} is not an IPv4 CIDR.", f"Write address/prefix, e.g. {example}.")


def _cidr_issues(path: str, cluster: Cluster) -> list[SpecIssue]:
    issues = []
    problem = network_cidr_problem(cluster.network.cidr)
    if problem:
        issues.append(SpecIssue(f"{path}.network.cidr", *problem))
    cidrs = cluster.endpoint_public_access_cidrs
    for j, cidr in enumerate(cidrs):
        problem = allow_list_entry_problem(cidr)
        if problem:
            issues.append(SpecIssue(f"{path}.endpointPublicAccessCidrs[{j}]", *problem))
    problem = allow_list_union_problem(cidrs)
    if problem:
        issues.append(SpecIssue(f"{path}.endpointPublicAccessCidrs", *problem))
    return issues


# -- names as the components join them ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A spec entry that names resources: a cluster, one of its pools or one of its storage entries."""

    path: str
    what: str
    key: tuple[str, str, str]
    """(kind, cluster, own name): two entries with equal keys are a plain duplicate, reported elsewhere."""


def derived_names(spec: StackSpec) -> dict[str, list[Entry]]:
    """Every resource name the components derive from the spec, with the entries that derive it."""
    names: dict[str, list[Entry]] = {}

    def add(templates: Iterable[str], entry: Entry, **parts: str) -> None:
        for template in templates:
            name = template.format(**parts)
            owners = names.setdefault(name, [])
            if entry not in owners:
                owners.append(entry)

    for i, c in enumerate(spec.clusters):
        limits = clouds.get(c.cloud).limits
        path = f"clusters[{i}]"
        add(
            limits.cluster_names or ("{cluster}",),
            Entry(path, f"cluster '{c.name}'", ("cluster", c.name, "")),
            cluster=c.name,
        )
        for j, p in enumerate(c.node_pools):
            entry = Entry(
                f"{path}.nodePools[{j}]",
                f"node pool '{p.name}' of cluster '{c.name}'",
                ("pool", c.name, p.name),
            )
            add(limits.pool_names or ("{cluster}-{pool}",), entry, cluster=c.name, pool=p.name)
        for j, s in enumerate(c.storage):
            entry = Entry(
                f"{path}.storage[{j}]",
                f"storage '{s.name}' of cluster '{c.name}'",
                ("storage", c.name, s.name),
            )
            add(
                limits.storage_names.get(s.kind, ("{cluster}-{storage}",)),
                entry,
                cluster=c.name,
                storage=s.name,
            )
    return names


def _collisions(spec: StackSpec) -> list[SpecIssue]:
    clashes: dict[tuple[Entry, Entry], list[str]] = {}
    for name, owners in derived_names(spec).items():
        for a_i, a in enumerate(owners):
            for b in owners[a_i + 1 :]:
                if a.key != b.key:  # equal keys: a name used twice, which semantics reports
                    clashes.setdefault((a, b), []).append(name)
    issues = []
    for (a, b), names in clashes.items():
        more = f" (and {len(names) - 1} more)" if len(names) > 1 else ""
        if a.key[0] == "cluster" and a.key[1] == b.key[1]:
            kind = "node pool" if b.key[0] == "pool" else "storage entry"
            fix = f"Rename the {kind}: the cluster's own resources already use that name."
        else:
            fix = (
                "Rename one of them so that the joined names differ (names are joined with '-', so "
                f"'{a.key[1]}' + '{a.key[2] or '…'}' and '{b.key[1]}' + '{b.key[2] or '…'}' must not "
                "spell the same words)."
            )
        issues.append(
            SpecIssue(
                f"{b.path}.name",
                f"{b.what} and {a.what} ({a.path}) both make the resource name {show(sorted(names)[0])}{more}: "
                "their resources could not be told apart, and two of the same type stop `pulumi up`.",
                fix,
            )
        )
    return issues


def _name_lengths(path: str, cluster: Cluster, limits: Limits) -> list[SpecIssue]:
    issues = []
    interconnect = any(p.interconnect for p in cluster.node_pools)
    for rule in limits.name_limits:
        if rule.when_interconnect and not interconnect:
            continue
        if "{pool}" in rule.template:
            targets = [
                (f"{path}.nodePools[{j}].name", "node pool", {"pool": p.name})
                for j, p in enumerate(cluster.node_pools)
            ]
        elif "{storage}" in rule.template:
            targets = [
                (f"{path}.storage[{j}].name", "storage", {"storage": s.name})
                for j, s in enumerate(cluster.storage)
                if s.kind == rule.storage_kind
            ]
        else:
            targets = [(f"{path}.name", "cluster", {})]
        for where, kind, parts in targets:
            name = rule.template.format(cluster=cluster.name, **parts)
            total = len(name) + rule.suffix
            names = "cluster name" if kind == "cluster" else f"{kind} name or the cluster name"
            if total > rule.max_len:
                suffix = f" plus Pulumi's {rule.suffix}-character random suffix" if rule.suffix else ""
                issues.append(
                    SpecIssue(
                        where,
                        f"the {rule.resource} name {show(name)}{suffix} is {total} characters; "
                        f"{limits.cloud.upper()} allows {rule.max_len} ({rule.source}).",
                        f"Shorten the {names} by {_chars(total - rule.max_len)} (in total).",
                    )
                )
            bad = next((p for p in rule.forbidden_prefixes if name.startswith(p)), None)
            if bad is not None:  # every name starts with the cluster's: that is the one to change
                issues.append(
                    SpecIssue(
                        f"{path}.name",
                        f"the {rule.resource} name {show(name)} starts with '{bad}', which "
                        f"{limits.cloud.upper()} refuses ({rule.source}).",
                        f"Rename the cluster so that its name does not start with '{bad}'.",
                    )
                )
    return issues


# -- tags and labels ---------------------------------------------------------------------------------


def tag_issues(path: str, tags: Mapping[str, str], limits: Limits) -> list[SpecIssue]:
    """Cloud resource tags: count (with the tags aiinfra adds), reserved keys, lengths, characters."""
    issues = []
    cloud = limits.cloud.upper()
    total = len(tags) + limits.tags_added
    if total > limits.max_tags:
        issues.append(
            SpecIssue(
                path,
                f"{len(tags)} tags plus the {limits.tags_added} aiinfra adds to a resource make {total}; "
                f"{cloud} allows {limits.max_tags} per resource.",
                f"Remove {total - limits.max_tags} tag{'s' if total - limits.max_tags > 1 else ''}.",
            )
        )
    allowed = re.compile(f"{limits.tag_chars}*")
    for key, value in tags.items():
        where = _key_path(path, key)
        reserved = next((p for p in limits.reserved_tag_prefixes if key.lower().startswith(p)), None)
        own = key in limits.own_tag_keys or key.lower().startswith("aiinfra:")
        if reserved is not None:
            issues.append(
                SpecIssue(
                    where,
                    f"tag keys starting with '{reserved}' (in any case) are reserved by {cloud}.",
                    "Rename the key.",
                )
            )
        elif own:
            issues.append(
                SpecIssue(
                    where,
                    f"aiinfra sets the tag {show(key)} itself; yours would be overwritten.",
                    "Remove it, or use a key of your own (e.g. team or cost-center).",
                )
            )
        if not 1 <= len(key) <= limits.tag_key_max:
            issues.append(
                SpecIssue(
                    where,
                    f"a tag key is 1 to {limits.tag_key_max} characters on {cloud}; this one is {len(key)}.",
                    f"Shorten it by {_chars(len(key) - limits.tag_key_max)}."
                    if len(key)
                    else "Give the key a name.",
                )
            )
        if len(value) > limits.tag_value_max:
            issues.append(
                SpecIssue(
                    where,
                    f"a tag value is at most {limits.tag_value_max} characters on {cloud}; "
                    f"this one is {len(value)}.",
                    f"Shorten it by {_chars(len(value) - limits.tag_value_max)}.",
                )
            )
        for part, text in (("key", key), ("value", value)):
            if not allowed.fullmatch(text):
                bad = next(ch for ch in text if not re.fullmatch(limits.tag_chars, ch))
                issues.append(
                    SpecIssue(
                        where,
                        f"the tag {part} {show(text)} has {show(bad)}, which {cloud} does not allow in tags.",
                        f"Use only {limits.tag_chars_text}.",
                    )
                )
            elif part == "value" and reserved is None:
                value_reserved = next(
                    (p for p in limits.reserved_tag_prefixes if text.lower().startswith(p)), None
                )
                if value_reserved is not None:
                    issues.append(
                        SpecIssue(
                            where,
                            f"tag values starting with '{value_reserved}' are reserved by {cloud}.",
                            "Change the value.",
                        )
                    )
    return issues


# https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#syntax-and-character-set
# (read 2026-12-04): "an optional prefix and name, separated by a slash (/). The name segment is required
# and must be 63 characters or less, beginning and ending with an alphanumeric character ([a-z0-9A-Z]) with
# dashes (-), underscores (_), dots (.), and alphanumerics between. The prefix is optional. If specified,
# the prefix must be a DNS subdomain ... not longer than 253 characters in total ... The kubernetes.io/
# and k8s.io/ prefixes are reserved for Kubernetes core components. Valid label value: must be 63
# characters or less (can be empty), unless empty, must begin and end with an alphanumeric character
# ([a-z0-9A-Z]), could contain dashes (-), underscores (_), dots (.), and alphanumerics between."
LABEL_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
LABEL_DOC = "https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/"
RESERVED_LABEL_DOMAINS = ("kubernetes.io", "k8s.io")
OWN_LABEL_DOMAIN = "aiinfra.dev"
"""aiinfra's own node labels (aiinfra.dev/pool, /accelerator, /efa): the device plugins select nodes by
them, so a user label must not override them (components/aws/gpu_node_pool.py)."""


def label_issues(path: str, labels: Mapping[str, str], limits: Limits) -> list[SpecIssue]:
    """Kubernetes node labels: Kubernetes' own syntax, reserved prefixes, and the cloud API's caps."""
    issues = []
    for key, value in labels.items():
        where = _key_path(path, key)
        problem = _label_key_problem(key, limits)
        if problem:
            issues.append(SpecIssue(where, *problem))
        problem = _label_value_problem(value, limits)
        if problem:
            issues.append(SpecIssue(where, *problem))
    return issues


def _label_key_problem(key: str, limits: Limits) -> tuple[str, str] | None:
    shown = show(key)
    prefix, slash, name = key.rpartition("/")
    if not slash:
        prefix, name = "", key
    if "/" in prefix:
        return f"label key {shown} has more than one '/'.", "Write it as prefix/name, e.g. example.com/team."
    if slash and not (len(prefix) <= 253 and DNS_SUBDOMAIN.fullmatch(prefix)):
        return (
            f"the prefix {show(prefix)} of label key {shown} is not a DNS subdomain (lower-case letters, "
            "digits, '-' and '.', at most 253 characters).",
            f"Use a domain you own, e.g. example.com/{name or 'team'} ({LABEL_DOC}).",
        )
    domain = prefix.lower()
    if any(domain == d or domain.endswith("." + d) for d in RESERVED_LABEL_DOMAINS):
        return (
            f"label prefix {show(prefix)} is reserved for Kubernetes core components.",
            f"Use a prefix of your own, e.g. example.com/{name or 'team'} ({LABEL_DOC}).",
        )
    if domain == OWN_LABEL_DOMAIN or domain.endswith("." + OWN_LABEL_DOMAIN):
        return (
            f"label prefix {show(prefix)} is aiinfra's own: its device plugins select nodes by these labels.",
            f"Use a prefix of your own, e.g. example.com/{name or 'team'}.",
        )
    if not (len(name) <= 63 and LABEL_NAME.fullmatch(name)):
        return (
            f"the name part {show(name)} of label key {shown} is not a Kubernetes label name: 1 to 63 "
            "letters, digits, '-', '_' and '.', starting and ending with a letter or digit.",
            f"Rename the key, e.g. {re.sub(r'[^-A-Za-z0-9_.]+', '-', name).strip('-_.')[:63] or 'team'} "
            f"({LABEL_DOC}).",
        )
    if limits.label_key_max is not None and len(key) > limits.label_key_max:
        return (
            f"label key {shown} is {len(key)} characters; {limits.cloud.upper()}'s node-group API takes at "
            f"most {limits.label_key_max} for the whole key, prefix included.",
            f"Shorten it by {_chars(len(key) - limits.label_key_max)}.",
        )
    return None


def _label_value_problem(value: str, limits: Limits) -> tuple[str, str] | None:
    if len(value) < limits.label_value_min:
        return (
            f"an empty label value is valid in Kubernetes but {limits.cloud.upper()}'s node-group API "
            "refuses it.",
            "Give it a value, e.g. 'true'.",
        )
    if value and not (len(value) <= 63 and LABEL_NAME.fullmatch(value)):
        return (
            f"label value {show(value)} is not a Kubernetes label value: at most 63 letters, digits, '-', "
            "'_' and '.', starting and ending with a letter or digit.",
            f"Change the value, e.g. {re.sub(r'[^-A-Za-z0-9_.]+', '-', value).strip('-_.')[:63] or 'true'}.",
        )
    return None


# -- quotas (warnings) ---------------------------------------------------------------------------------


def quota_warnings(spec: StackSpec) -> list[str]:
    warnings = []
    lustre: dict[tuple[str, str], int] = {}
    for i, c in enumerate(spec.clusters):
        limits = clouds.get(c.cloud).limits
        path = f"clusters[{i}]"
        groups = len(c.node_pools) + limits.system_node_groups
        quota = limits.node_groups_per_cluster
        if quota is not None and groups > quota:
            warnings.append(
                f"{path}.nodePools: cluster '{c.name}' needs {groups} managed node groups "
                f"({len(c.node_pools)} pools + {limits.system_node_groups} system); the default quota is "
                f"{quota} per cluster ({limits.quota_doc}). Before `pulumi up`, {limits.quota_how}."
            )
        for j, p in enumerate(c.node_pools):
            top = p.scaling[2]
            quota = limits.nodes_per_node_group
            if quota is not None and top > quota:
                warnings.append(
                    f"{path}.nodePools[{j}]: pool '{p.name}' scales to {top} nodes; the default quota is "
                    f"{quota} nodes per managed node group ({limits.quota_doc}), and GPU instances also "
                    f"count against the account's per-family vCPU quota. Before `pulumi up`, "
                    f"{limits.quota_how}, or split the pool."
                )
        for s in c.storage:
            if s.kind == "lustre" and s.capacity_gib and limits.lustre_gib_quota is not None:
                lustre[(c.cloud, c.region)] = lustre.get((c.cloud, c.region), 0) + s.capacity_gib
    for (cloud, region), gib in lustre.items():
        quota = clouds.get(cloud).limits.lustre_gib_quota
        if quota is not None and gib > quota:
            warnings.append(
                f"clusters: {gib:,} GiB of FSx for Lustre in {region}; the default quota is {quota:,} GiB "
                f"per account and region (https://docs.aws.amazon.com/fsx/latest/LustreGuide/limits.html). "
                f"Before `pulumi up`, {clouds.get(cloud).limits.quota_how}."
            )
    return warnings


# -- the entry point ------------------------------------------------------------------------------------


def sanity_issues(spec: StackSpec) -> tuple[list[SpecIssue], list[str]]:
    """(issues, warnings) of a structurally valid spec. Issues refuse the spec; warnings are printed."""
    issues = _collisions(spec)
    for i, c in enumerate(spec.clusters):
        limits = clouds.get(c.cloud).limits
        path = f"clusters[{i}]"
        issues += _cidr_issues(path, c)
        issues += _name_lengths(path, c, limits)
        issues += tag_issues(f"{path}.tags", c.tags, limits)
        for j, pool in enumerate(c.node_pools):
            issues += label_issues(f"{path}.nodePools[{j}].labels", pool.labels, limits)
    return issues, quota_warnings(spec)
