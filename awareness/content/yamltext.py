"""YAML read safely, with the line of every key: shared by ``org.yml`` and front matter."""

from __future__ import annotations

import yaml

from awareness.content.problems import Problem

#: A mapping's keys, each with its key node and value node (keys that are not text are left out).
KeyNodes = dict[str, tuple[yaml.Node, yaml.Node]]


def line(node: yaml.Node) -> int:
    """The line (from 1) on which ``node`` starts."""
    return node.start_mark.line + 1


def key_nodes(node: yaml.Node | None) -> KeyNodes | None:
    """A mapping node's keys, or None when ``node`` is not a mapping."""
    if not isinstance(node, yaml.MappingNode):
        return None
    return {
        key.value: (key, value)
        for key, value in node.value
        if isinstance(key, yaml.ScalarNode)  # a list as a key ("? [a]") names nothing here
    }


def value_problem(path: str, line: int, error: Exception) -> Problem:
    """A value YAML reads but Python cannot hold, such as the date 2026-02-30."""
    return Problem(path, line, f"bad YAML value: {str(error)[:200]}")


def syntax_problem(path: str, error: yaml.YAMLError, offset: int) -> Problem:
    """A YAML syntax error on its line; ``offset`` is the number of lines before the YAML."""
    mark = getattr(error, "problem_mark", None)
    number = mark.line + 1 + offset if mark is not None else 1 + offset
    reason = getattr(error, "problem", None) or str(error)
    return Problem(path, number, f"bad YAML: {reason}")
