"""One pure profile per cloud (no Pulumi import): what it cannot build and why, where a resource of its
type tokens lives, its fabric and default machines, its own spec checks, its offline-plan invokes and the
spend `destroy` cannot take back. Outside `clouds/<cloud>.py`, `components/<cloud>/` and the per-type
estimate and policy rules, code asks a profile instead of comparing cloud names.

Layer order: spec → clouds → catalog (clouds never imports spec, components or pulumi)."""

from aiinfra.clouds.base import CloudProfile, Problem, for_type, get, names, profiles

__all__ = ["CloudProfile", "Problem", "for_type", "get", "names", "profiles"]
