"""``org.yml``: the layers of the organisation that modules are written for."""

from __future__ import annotations

import re
from typing import Any

import yaml

from awareness.content import limits, yamltext
from awareness.content.problems import Problem
from awareness.content.specs import LayerSpec

LAYER_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
LAYER_KEYS = {"id", "title", "description"}


def parse_org(text: str, path: str, problems: list[Problem]) -> list[LayerSpec]:
    """Read the layers from ``org.yml``."""
    excess = limits.yaml_excess(text)
    if excess is not None:
        problems.append(Problem(path, excess.line, excess.message))
        return []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        problems.append(yamltext.syntax_problem(path, error, 0))
        return []
    keys = yamltext.key_nodes(root)
    if keys is None or "layers" not in keys:
        problems.append(Problem(path, 1, "expected a 'layers:' list"))
        return []
    key, layers_node = keys["layers"]
    if not isinstance(layers_node, yaml.SequenceNode) or not layers_node.value:
        problems.append(Problem(path, yamltext.line(key), "'layers' must be a non-empty list"))
        return []
    layers: list[LayerSpec] = []
    seen: dict[str, int] = {}
    for node in layers_node.value:
        layer = _layer(node, path, seen, problems)
        if layer is not None:
            layers.append(layer)
    return layers


def _layer(
    node: yaml.Node, path: str, seen: dict[str, int], problems: list[Problem]
) -> LayerSpec | None:
    """One item of the ``layers`` list; None (with a problem) when it cannot be a layer."""
    line = yamltext.line(node)

    def refuse(message: str) -> None:
        problems.append(Problem(path, line, message))

    data = _layer_data(node, path, problems)
    if data is None:
        return None
    if not isinstance(data, dict):
        refuse("each layer needs 'id' and 'title'")
        return None
    layer_id, title = data.get("id"), data.get("title")
    if not isinstance(layer_id, str) or not LAYER_ID.match(layer_id):
        refuse("layer 'id' must be lower-case letters, digits, '-' or '_'")
        return None
    if not isinstance(title, str) or not title.strip():
        refuse(f"layer '{layer_id}' needs a 'title'")
        return None
    if layer_id in seen:
        refuse(f"duplicate layer id '{layer_id}' (first on line {seen[layer_id]})")
        return None
    if layer_id == "all":
        refuse("'all' is reserved for module audiences")
        return None
    seen[layer_id] = line
    unknown = set(data) - LAYER_KEYS
    if unknown:
        refuse(f"unknown key(s) {', '.join(sorted(map(str, unknown)))} in layer '{layer_id}'")
    return LayerSpec(layer_id, title.strip(), str(data.get("description") or "").strip())


def _layer_data(node: yaml.Node, path: str, problems: list[Problem]) -> Any:
    """A layer's YAML as Python data; None (with a problem) when a value cannot be read."""
    if not isinstance(node, yaml.MappingNode):
        return []
    try:
        return yaml.safe_load(yaml.serialize(node))
    except (yaml.YAMLError, ValueError) as error:
        problems.append(yamltext.value_problem(path, yamltext.line(node), error))
        return None
