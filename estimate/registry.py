"""Rules by resource type token: one function turns one resource's inputs into charges (Infracost's
resource → cost-component split). A type without a rule is *unsupported*; a free type says why it is free."""

from __future__ import annotations

from collections.abc import Callable

from aiinfra.engine.graph import PlannedResource
from aiinfra.estimate.context import Context
from aiinfra.estimate.model import Charge, Free

Rule = Callable[[PlannedResource, Context], list[Charge] | Free]

RULES: dict[str, Rule] = {}


def rule(*type_tokens: str) -> Callable[[Rule], Rule]:
    def register(fn: Rule) -> Rule:
        for token in type_tokens:
            if token in RULES:
                raise ValueError(f"two rules for {token}")
            RULES[token] = fn
        return fn

    return register


def free(reason: str, *type_tokens: str) -> None:
    """Register types that cost nothing by themselves, with the reason shown to the user."""
    answer = Free(reason)
    for token in type_tokens:
        if token in RULES:
            raise ValueError(f"two rules for {token}")
        RULES[token] = lambda _r, _ctx: answer


def free_listed(listing: list[str], reason: str, *type_tokens: str) -> None:
    """`free`, for a rule module that keeps its own list of free types (`listing`, which its tests check
    against the provider SDK): the types go on the list, and are registered unless another rule module
    already lists them (the rules of one cloud grow in more than one file; a type listed twice must not stop
    every estimate)."""
    listing.extend(type_tokens)
    free(reason, *(t for t in type_tokens if t not in RULES))


Explain = Callable[[PlannedResource], str]

NOT_ESTIMATED: dict[str, Explain] = {}
"""Types a rule module recognises but cannot estimate at all (what they create is not in the plan: an ARM
template deployment's resources live in its template): the reason, listed with the unsupported resources."""


def not_estimated(*type_tokens: str) -> Callable[[Explain], Explain]:
    def register(fn: Explain) -> Explain:
        for token in type_tokens:
            if token in RULES or token in NOT_ESTIMATED:
                raise ValueError(f"two rules for {token}")
            NOT_ESTIMATED[token] = fn
        return fn

    return register


def not_estimated_for(type_token: str) -> Explain | None:
    _load()
    return NOT_ESTIMATED.get(type_token)


def rule_for(type_token: str) -> Rule | None:
    _load()
    return RULES.get(type_token)


def priced_packages() -> frozenset[str]:
    """The providers some rule covers (`aws`, `gcp`, `azure-native`, ...): a type of any other (`digitalocean`,
    `openstack`) has no rule because its whole provider has none, which the estimate says."""
    _load()
    return frozenset(token.split(":", 1)[0] for token in RULES)


SUPERSEDED: dict[str, str] = {}
"""Providers no rule covers whose resources a covered provider also creates (a deprecated provider and its
successor): package → what to use instead, said with each of its resources the estimate cannot price."""


def superseded(package: str, instead: str) -> None:
    """Register `package` as a provider with no rules whose resources another, priced provider creates."""
    if package in SUPERSEDED:
        raise ValueError(f"two successors for {package}")
    SUPERSEDED[package] = instead


def superseded_by(package: str) -> str | None:
    """What to use instead of `package`, a provider with no rules, when a rule module names it; else None."""
    _load()
    return SUPERSEDED.get(package)


def _load() -> None:
    """Import the rule modules once (they register themselves)."""
    import aiinfra.estimate.rules  # noqa: F401
