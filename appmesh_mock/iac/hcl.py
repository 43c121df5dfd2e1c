"""A Terraform module's `.tf` files (as python-hcl2 parses them) evaluated into the attribute
values of its `aws_appmesh_*` resources, as `terraform show -json` would list them.

What is evaluated: literals and string templates (`"${var.env}-mesh"`); `var.NAME` from
`parameters["NAME"]`, else the variable's default; `local.NAME`; and references between the
module's App Mesh resources: `.name`, `.mesh_name` and the other attributes written in the
file, `.arn` (the ARN the service gives it), a mesh's `.id` (its name, as the provider sets
it), `.mesh_owner`/`.resource_owner` (the loading account). Any other expression (data
sources, other resources' attributes, module outputs, function calls) is taken from
`parameters` under its text (`"data.aws_caller_identity.current.account_id"`) or is an error
naming it. `count` and `for_each` on an App Mesh resource are refused."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from ..backend.kinds import ALL_KINDS, Kind
from ..service.load import arn
from ..service.state_input import StateError
from .memo import Memo

TYPES: dict[str, Kind] = {  # aws_appmesh_virtual_node -> the virtualNode kind
    "aws_appmesh_" + "".join(f"_{c.lower()}" if c.isupper() else c for c in kind.key): kind
    for kind in ALL_KINDS
}
META = ("depends_on", "lifecycle", "provider", "provisioner", "connection")
_REFERENCE = re.compile(r"(aws_appmesh_[a-z_]+)\.([A-Za-z0-9_-]+)\.([a-z_]+)")
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


class _Module:
    def __init__(self, files: list[tuple[str, Any]], parameters: Mapping[str, Any],
                 account: str, region: str, not_loaded: list[str]) -> None:
        self.parameters, self.account, self.region = parameters, account, region
        self.variables: dict[str, tuple[str, Mapping[str, Any]]] = {}
        self.locals: dict[str, tuple[str, Any]] = {}
        self.resources: dict[tuple[str, str], tuple[str, Kind, Mapping[str, Any]]] = {}
        self.memo = Memo()  # var., local. and resource values, each worked out once
        for where, parsed in files:
            for block in parsed.get("variable") or ():
                for name, body in block.items():
                    self.variables[_unquote(name)] = (where, body or {})
            for block in parsed.get("locals") or ():
                for name, expression in block.items():
                    self.locals[name] = (where, expression)
            for block in parsed.get("resource") or ():
                for kind_name, named in block.items():
                    for name, body in named.items():
                        address = f"{_unquote(kind_name)}.{_unquote(name)}"
                        kind = TYPES.get(_unquote(kind_name))
                        if kind is None:
                            not_loaded.append(f"{where}: {address}: not an App Mesh resource")
                            continue
                        if "count" in body or "for_each" in body:
                            raise StateError(f"{where}: {address}: count and for_each are "
                                             "not read; write one resource per instance")
                        self.resources[(_unquote(kind_name), _unquote(name))] = (where, kind, body)
            for section in ("data", "module", "output", "provider", "terraform"):
                if parsed.get(section) and section in ("data", "module"):
                    not_loaded.append(f"{where}: {section} blocks are not read")

    # Values -----------------------------------------------------------------------------
    def value(self, raw: Any, path: str) -> Any:
        if isinstance(raw, list):
            return [self.value(v, f"{path}[{i}]") for i, v in enumerate(raw)]
        if isinstance(raw, Mapping):
            return {_unquote(str(k)): self.value(v, f"{path}.{_unquote(str(k))}")
                    for k, v in raw.items()}
        if not isinstance(raw, str):
            return raw
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            return self.template(raw[1:-1], path)
        if raw.startswith("${") and raw.endswith("}") and _closing(raw, 1) == len(raw) - 1:
            return self.expression(raw[2:-1].strip(), path)
        return {"true": True, "false": False, "null": None}.get(raw, raw)

    def template(self, text: str, path: str) -> Any:
        parts: list[Any] = []
        start = 0
        while (found := text.find("${", start)) >= 0:
            if found > 0 and text[found - 1] == "$":  # $${ is a literal ${
                parts.append(_literal(text[start:found - 1]) + "${")
                start = found + 2
                continue
            end = _closing(text, found + 1)
            parts.append(_literal(text[start:found]))
            parts.append(self.expression(text[found + 2:end].strip(), path))
            start = end + 1
        parts.append(_literal(text[start:]))
        parts = [p for p in parts if p != ""]
        if len(parts) == 1 and not isinstance(parts[0], str):
            return parts[0]  # "${var.port}": the value itself
        return "".join(str(p) for p in parts)

    def expression(self, text: str, path: str) -> Any:
        if text in self.parameters:
            return self.parameters[text]
        if text.startswith('"') and text.endswith('"'):
            return self.template(text[1:-1], path)
        if _NUMBER.fullmatch(text):
            return json.loads(text)
        head, _, rest = text.partition(".")
        if head == "var" and rest.isidentifier():
            return self._variable(rest, path)
        if head == "local" and rest.isidentifier():
            return self._local(rest, path)
        reference = _REFERENCE.fullmatch(text)
        if reference and (reference.group(1), reference.group(2)) in self.resources:
            return self.attribute(reference.group(1), reference.group(2), reference.group(3),
                                  path)
        why = ("is not in the files loaded" if reference else
               "is not known before `terraform apply`")
        raise StateError(f"{path}: {text} {why}; give its value as parameters[{text!r}]")

    def _variable(self, name: str, path: str) -> Any:
        if name in self.parameters:
            return self.parameters[name]
        if name not in self.variables:
            raise StateError(f"{path}: var.{name} is not declared")
        where, body = self.variables[name]
        if "default" not in body:
            raise StateError(f"{path}: var.{name} has no default; give it in parameters")
        return self.memo.once(f"var.{name}", lambda: self.value(body["default"],
                                                            f"{where}: variable {name}"))

    def _local(self, name: str, path: str) -> Any:
        if name not in self.locals:
            raise StateError(f"{path}: local.{name} is not defined")
        where, expression = self.locals[name]
        return self.memo.once(f"local.{name}",
                          lambda: self.value(expression, f"{where}: local.{name}"))

    # Resources --------------------------------------------------------------------------
    def resource(self, kind_name: str, name: str) -> dict[str, Any]:
        where, _, body = self.resources[(kind_name, name)]
        address = f"{kind_name}.{name}"
        arguments = {k: v for k, v in body.items() if k not in META}
        evaluated: dict[str, Any] = self.memo.once(
            address, lambda: self.value(arguments, f"{where}: {address}"))
        return evaluated

    def attribute(self, kind_name: str, name: str, attribute: str, path: str) -> Any:
        _, kind, _ = self.resources[(kind_name, name)]
        values = self.resource(kind_name, name)
        if attribute in ("mesh_owner", "resource_owner"):
            return values.get(attribute) or self.account
        if attribute == "id" and kind.key == "mesh":
            return values.get("name")
        if attribute == "arn":
            names = {"meshName": values.get("mesh_name", values.get("name")),
                     kind.name_member: values.get("name")}
            if kind.parent is not None:
                parent = kind.parent.name_member
                names[parent] = values.get("virtual_router_name",
                                           values.get("virtual_gateway_name"))
            return arn(kind, names, self.account, self.region)
        if attribute in values and attribute != "id":
            return values[attribute]
        raise StateError(f"{path}: {kind_name}.{name}.{attribute} is known only after "
                         f"`terraform apply`; give it as parameters")


def _closing(text: str, opening: int) -> int:
    """The index of the brace that closes the one at `opening`."""
    depth, quoted = 0, False
    for index in range(opening, len(text)):
        char = text[index]
        if char == '"' and text[index - 1] != "\\":
            quoted = not quoted
        elif not quoted and char == "{":
            depth += 1
        elif not quoted and char == "}":
            depth -= 1
            if depth == 0:
                return index
    raise StateError(f"unclosed ${{ in {text!r}")


def _literal(text: str) -> str:
    try:
        decoded: str = json.loads(f'"{text}"')
    except ValueError:
        return text
    return decoded


def evaluate(files: list[tuple[str, Any]], parameters: Mapping[str, Any], account: str,
             region: str, not_loaded: list[str]) -> list[tuple[str, Kind, Mapping[str, Any]]]:
    """(label, kind, attribute values) of each App Mesh resource of the module."""
    module = _Module(files, parameters, account, region, not_loaded)
    found: list[tuple[str, Kind, Mapping[str, Any]]] = []
    for (kind_name, name), (where, kind, _) in module.resources.items():
        found.append((f"{where}: {kind_name}.{name}", kind, module.resource(kind_name, name)))
    return found
