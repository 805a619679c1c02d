"""YAML with bounds. PyYAML's safe loader builds only plain data, but left alone it still accepts a
billion-laughs document (aliases that expand to 10^9 nodes once anything walks them), a key written twice
(the last silently wins), and nesting deep enough to exhaust the stack. This loader counts while it
composes, before anything is constructed, and refuses each of those with the line."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from aiinfra.guard.errors import InputError
from aiinfra.guard.show import show

MAX_ALIAS_NODES = 10_000
"""Nodes that aliases may stand for in one document, counted as expanded (an alias of a list of 100
counts 101)."""
MAX_NODES = 200_000
"""Nodes in one document, aliases counted expanded."""
MAX_DEPTH = 64
"""Nesting of mappings and lists."""

_MERGE = "tag:yaml.org,2002:merge"


class _Refused(yaml.YAMLError):
    def __init__(self, message: str, fix: str, node_or_mark: Any) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix
        self.mark = getattr(node_or_mark, "start_mark", node_or_mark)


class GuardedLoader(yaml.SafeLoader):
    """SafeLoader that counts nodes (aliases expanded) and depth as it composes, and refuses duplicate
    keys as it constructs."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._weight: dict[int, int] = {}
        self._total = 0
        self._aliased = 0
        self._depth = 0

    def fetch_flow_collection_start(self, TokenClass: Any) -> None:
        # The scanner looks back over every open bracket for each token: refuse deep flow nesting here,
        # before that costs quadratic time.
        if self.flow_level >= MAX_DEPTH:
            raise _Refused(
                f"nested more than {MAX_DEPTH} levels deep",
                "Flatten the document; no stack or usage file needs this depth.",
                self.get_mark(),
            )
        super().fetch_flow_collection_start(TokenClass)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            node = super().compose_node(parent, index)
            weight = self._weight.get(id(node), 1)
            self._aliased += weight
            self._total += weight
            if self._aliased > MAX_ALIAS_NODES:
                raise _Refused(
                    f"aliases (*name) expand to more than {MAX_ALIAS_NODES:,} nodes",
                    "Write the values out, or use fewer aliases; a document that multiplies itself through "
                    "aliases is refused.",
                    mark,
                )
            self._check_total(mark)
            return node
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise _Refused(
                f"nested more than {MAX_DEPTH} levels deep",
                "Flatten the document; no stack or usage file needs this depth.",
                self.peek_event().start_mark,  # type: ignore[no-untyped-call]
            )
        node = super().compose_node(parent, index)
        self._depth -= 1
        weight = 1
        if isinstance(node, SequenceNode):
            weight += sum(self._weight.get(id(v), 1) for v in node.value)
        elif isinstance(node, MappingNode):
            weight += sum(self._weight.get(id(k), 1) + self._weight.get(id(v), 1) for k, v in node.value)
        if weight > 1:
            self._weight[id(node)] = weight
        self._total += 1
        self._check_total(getattr(node, "start_mark", None))
        return node

    def _check_total(self, mark: Any) -> None:
        if self._total > MAX_NODES:
            raise _Refused(
                f"more than {MAX_NODES:,} values in one document",
                "Split the document; no stack or usage file is this large.",
                mark,
            )

    def construct_yaml_float(self, node: ScalarNode) -> float:
        value = super().construct_yaml_float(node)
        if value != value or value in (float("inf"), float("-inf")):
            raise _Refused(
                f"{show(node.value)} is not a finite number",
                "Write a finite number (.nan, .inf and numbers past 1e308 mean nothing here).",
                node,
            )
        return value

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE or not isinstance(key_node, ScalarNode):
                continue
            key = self.construct_object(key_node, deep=False)
            line = key_node.start_mark.line + 1
            try:
                first = seen.get(key)
                seen.setdefault(key, line)
            except TypeError:
                continue  # unhashable: the constructor below refuses it with its own message
            if first is not None:
                raise _Refused(
                    f"key {show(key)} appears twice (lines {first} and {line}); the last would silently win",
                    "Keep one of them.",
                    key_node,
                )
        return super().construct_mapping(node, deep=deep)


GuardedLoader.add_constructor("tag:yaml.org,2002:float", GuardedLoader.construct_yaml_float)


def load_yaml(text: str, *, source: str) -> Any:
    """The one YAML document in `text`, as plain data. InputError (naming `source` and the line) for a
    syntax error, a tag other than YAML's plain types, and the bounds above."""
    try:
        return yaml.load(text, Loader=GuardedLoader)
    except _Refused as e:
        raise InputError(f"{source}: {_where(e.mark)}{e.message}.", e.fix) from None
    except yaml.constructor.ConstructorError as e:
        raise InputError(
            f"{source}: {_where(e.problem_mark)}{_escape(e.problem or 'a value of unknown type')}.",
            "Write plain YAML values; tags such as !!python/... are not read.",
        ) from None
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "not valid YAML"
        raise InputError(
            f"{source}: YAML syntax error at {_where(mark)}{_escape(problem)}.",
            "Correct the YAML at that line (indentation, a missing ':' or an unclosed bracket or quote).",
        ) from None
    except yaml.YAMLError as e:
        raise InputError(
            f"{source}: not valid YAML ({_escape(str(e))}).", "Correct the YAML syntax."
        ) from None
    except RecursionError:  # flow collections nested past the parser's own stack
        raise InputError(f"{source}: nested too deeply.", "Flatten the document.") from None


def _where(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""


def _escape(text: str) -> str:
    from aiinfra.guard.show import escape_controls

    text = escape_controls(text.replace("\n", " "))
    return text if len(text) <= 300 else text[:300] + "…"


def non_string_key(value: Any, path: str = "", depth: int = 0) -> tuple[str, Any] | None:
    """(path, key) of the first mapping key that is not text, walking `value`; None when every key is
    text. YAML reads `1:`, `true:`, `1.30:` and `null:` as a number, boolean or null, never a name."""
    if depth > MAX_DEPTH * 2:
        return None
    if isinstance(value, dict):
        for k, v in value.items():
            if not isinstance(k, str):
                return path, k
            found = non_string_key(v, f"{path}.{k}" if path else k, depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found = non_string_key(v, f"{path}[{i}]", depth + 1)
            if found:
                return found
    return None
