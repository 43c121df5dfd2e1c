"""CloudFormation's intrinsic functions, resolved without AWS: parameters (given, else their
Default), pseudo parameters the mock knows (AWS::Region, AWS::AccountId, AWS::Partition,
AWS::URLSuffix, AWS::NoValue), `Ref`/`Fn::GetAtt` of the template's App Mesh resources (their
ARN and names: [docs] the AWS::AppMesh::* "Return values", where Ref gives the ARN), `Fn::Sub`,
`Fn::Join`, `Fn::Select`, `Fn::Split`, `Fn::If` with the template's Conditions, `Fn::Equals`,
`Fn::And`, `Fn::Or`, `Fn::Not`, `Fn::FindInMap`, `Fn::Base64`.

What only AWS knows (`Fn::ImportValue` of another stack, `Ref`/`Fn::GetAtt` of a resource that
is not App Mesh's, AWS::StackName, `Fn::GetAZs`) comes from `parameters` under its own name
(the export name, the logical id, "Logical.Attribute", "AWS::StackName"), or is an error naming
it. Values are resolved only where an App Mesh resource uses them: the rest of a template (its
ECS services, roles, ...) is never evaluated."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..handlers.lifecycle import partition
from ..service.state_input import StateError

NO_VALUE = object()  # AWS::NoValue: the property is left out
_SUB = re.compile(r"\$\{(!?)([^}]*)\}")

# What `Fn::GetAtt` of an App Mesh resource gives besides its properties (CloudFormation's
# AWS::AppMesh::* "Return values"). The Uid exists only once AWS has made the resource.
COMPUTED = ("Arn", "MeshOwner", "ResourceOwner", "Uid")


class Scope:
    """One template's names. `appmesh(logical_id)` gives (properties resolved, ARN) of one of
    its App Mesh resources; `imports(name)` an export of another template in the same load."""

    def __init__(
        self,
        template: Mapping[str, Any],
        where: str,
        parameters: Mapping[str, Any],
        account: str,
        region: str,
        appmesh: Callable[[str], tuple[dict[str, Any], str]],
        imports: Callable[[str], Any],
    ) -> None:
        self.template = template
        self.where = where
        self.given = parameters
        self.account = account
        self.region = region
        self.appmesh = appmesh
        self.imports = imports
        self._conditions: dict[str, bool] = {}

    def _section(self, name: str) -> Mapping[str, Any]:
        section = self.template.get(name) or {}
        if not isinstance(section, Mapping):
            raise StateError(f"{self.where}: {name} must be a mapping")
        return section

    def resolve(self, value: Any, path: str) -> Any:
        if isinstance(value, list):
            items = (self.resolve(v, f"{path}[{i}]") for i, v in enumerate(value))
            return [v for v in items if v is not NO_VALUE]
        if not isinstance(value, Mapping):
            return value
        if len(value) == 1:
            (key, argument), = value.items()
            if key == "Ref" or key == "Condition" or str(key).startswith("Fn::"):
                return self._intrinsic(str(key), argument, f"{path}.{key}")
        found = {k: self.resolve(v, f"{path}.{k}") for k, v in value.items()}
        return {k: v for k, v in found.items() if v is not NO_VALUE}

    def _intrinsic(self, name: str, arg: Any, path: str) -> Any:
        if name == "Ref":
            return self.ref(self._text(arg, path), path)
        if name == "Condition":
            return self.condition(self._text(arg, path), path)
        function = _FUNCTIONS.get(name)
        if function is None:
            raise StateError(f"{path}: unknown intrinsic function {name}")
        return function(self, arg, path)

    def _text(self, value: Any, path: str) -> str:
        value = self.resolve(value, path)
        if not isinstance(value, str):
            raise StateError(f"{path}: expected a string, found {value!r}")
        return value

    def _list(self, value: Any, path: str, size: int | None = None) -> list[Any]:
        value = self.resolve(value, path) if not isinstance(value, list) else value
        if not isinstance(value, list) or (size is not None and len(value) != size):
            wanted = f"a list of {size}" if size else "a list"
            raise StateError(f"{path}: expected {wanted}, found {value!r}")
        return value

    def _needs(self, key: str, what: str, path: str) -> Any:
        if key in self.given:
            return self.given[key]
        raise StateError(f"{path}: {what} needs AWS; give its value as parameters[{key!r}]")

    # Names ------------------------------------------------------------------------------
    def ref(self, name: str, path: str) -> Any:
        if name in self.given and name in self._section("Parameters"):
            return self._parameter(name, self.given[name])
        parameters = self._section("Parameters")
        if name in parameters:
            declared = parameters[name]
            if isinstance(declared, Mapping) and "Default" in declared:
                return self._parameter(name, declared["Default"])
            raise StateError(f"{path}: parameter {name} has no Default; give it in parameters")
        pseudo = self._pseudo(name, path)
        if pseudo is not None:
            return pseudo
        resource = self._section("Resources").get(name)
        if resource is None:
            raise StateError(f"{path}: Ref {name}: no such parameter or resource")
        if _is_appmesh(resource):
            return self.appmesh(name)[1]  # Ref of an App Mesh resource is its ARN
        return self._needs(name, f"Ref {name} ({resource.get('Type')})", path)

    def _parameter(self, name: str, value: Any) -> Any:
        declared = self._section("Parameters").get(name) or {}
        kind = str(declared.get("Type", "")) if isinstance(declared, Mapping) else ""
        allowed = declared.get("AllowedValues") if isinstance(declared, Mapping) else None
        if isinstance(allowed, list) and str(value) not in map(str, allowed):
            raise StateError(f"{self.where}: parameter {name} = {value!r} is not one of its "
                             f"AllowedValues {allowed}")
        if isinstance(value, str) and (kind.startswith("List<") or kind == "CommaDelimitedList"):
            return [part.strip() for part in value.split(",")]
        return value

    def _pseudo(self, name: str, path: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.given:
            return self.given[name]
        known = {"AWS::Region": self.region, "AWS::AccountId": self.account,
                 "AWS::Partition": partition(self.region), "AWS::URLSuffix": "amazonaws.com"}
        if name in known:
            return known[name]
        if name.startswith("AWS::"):
            return self._needs(name, name, path)
        return None

    def get_att(self, arg: Any, path: str) -> Any:
        if isinstance(arg, str):
            logical, _, attribute = arg.partition(".")
        else:
            logical, attribute = (self._text(v, path) for v in self._list(arg, path, 2))
        resource = self._section("Resources").get(logical)
        if resource is None:
            raise StateError(f"{path}: GetAtt {logical}.{attribute}: no such resource")
        if not _is_appmesh(resource):
            return self._needs(f"{logical}.{attribute}",
                               f"GetAtt {logical}.{attribute} ({resource.get('Type')})", path)
        properties, arn = self.appmesh(logical)
        if attribute == "Arn":
            return arn
        if attribute == "ResourceOwner":
            return self.account
        if attribute == "MeshOwner":
            return properties.get("MeshOwner", self.account)
        if attribute != "Uid" and attribute in properties:
            return properties[attribute]
        return self._needs(f"{logical}.{attribute}", f"GetAtt {logical}.{attribute}", path)

    def condition(self, name: str, path: str) -> bool:
        if name not in self._conditions:
            conditions = self._section("Conditions")
            if name not in conditions:
                raise StateError(f"{path}: no condition named {name}")
            self._conditions[name] = False  # a condition that refers to itself
            self._conditions[name] = bool(self.resolve(conditions[name], f"Conditions.{name}"))
        return self._conditions[name]

    # Functions --------------------------------------------------------------------------
    def sub(self, arg: Any, path: str) -> str:
        if isinstance(arg, list):
            text, variables = self._list(arg, path, 2)
            variables = self.resolve(variables, path)
        else:
            text, variables = arg, {}
        if not isinstance(text, str) or not isinstance(variables, Mapping):
            raise StateError(f"{path}: Fn::Sub takes a string, or [string, {{variables}}]")

        def one(found: re.Match[str]) -> str:
            if found.group(1):
                return "${" + found.group(2)
            name = found.group(2).strip()
            if name in variables:
                value = variables[name]
            elif "." in name and not name.startswith("AWS::"):
                value = self.get_att(name, path)
            else:
                value = self.ref(name, path)
            if isinstance(value, list | Mapping) or value is NO_VALUE:
                raise StateError(f"{path}: ${{{name}}} is not a string")
            return str(value)

        return _SUB.sub(one, text)


def _is_appmesh(resource: Any) -> bool:
    return isinstance(resource, Mapping) and str(resource.get("Type", "")).startswith(
        "AWS::AppMesh::"
    )


def _join(scope: Scope, arg: Any, path: str) -> str:
    delimiter, items = scope._list(arg, path, 2)
    values = scope._list(items, path)
    values = [scope.resolve(v, path) for v in values]
    return str(delimiter).join(str(v) for v in values if v is not NO_VALUE)


def _select(scope: Scope, arg: Any, path: str) -> Any:
    index, items = scope._list(arg, path, 2)
    index = int(scope.resolve(index, path))
    values = scope._list(scope.resolve(items, path), path)
    if not 0 <= index < len(values):
        raise StateError(f"{path}: Fn::Select index {index} is outside a list of {len(values)}")
    return scope.resolve(values[index], path)


def _split(scope: Scope, arg: Any, path: str) -> list[str]:
    delimiter, text = scope._list(arg, path, 2)
    return scope._text(text, path).split(str(delimiter))


def _if(scope: Scope, arg: Any, path: str) -> Any:
    name, when_true, when_false = scope._list(arg, path, 3)
    chosen = when_true if scope.condition(str(name), path) else when_false
    return scope.resolve(chosen, path)


def _equals(scope: Scope, arg: Any, path: str) -> bool:
    left, right = (scope.resolve(v, path) for v in scope._list(arg, path, 2))
    return bool(str(left) == str(right))


def _find_in_map(scope: Scope, arg: Any, path: str) -> Any:
    name, top, second = (scope._text(v, path) for v in scope._list(arg, path, 3))
    try:
        return scope.resolve(scope._section("Mappings")[name][top][second], path)
    except (KeyError, TypeError):
        raise StateError(f"{path}: Mappings has no {name}.{top}.{second}") from None


def _import(scope: Scope, arg: Any, path: str) -> Any:
    name = scope._text(arg, path)
    if name in scope.given:
        return scope.given[name]
    found = scope.imports(name)
    if found is not None:
        return found
    raise StateError(f"{path}: Fn::ImportValue {name!r} is another stack's export; "
                     f"give its value as parameters[{name!r}]")


def _needs_aws(name: str) -> Callable[[Scope, Any, str], Any]:
    def needs(scope: Scope, arg: Any, path: str) -> Any:
        return scope._needs(name, name, path)

    return needs


_FUNCTIONS: dict[str, Callable[[Scope, Any, str], Any]] = {
    "Fn::GetAtt": lambda s, a, p: s.get_att(s.resolve(a, p) if isinstance(a, Mapping) else a, p),
    "Fn::Sub": lambda s, a, p: s.sub(a, p),
    "Fn::Join": _join,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::And": lambda s, a, p: all(bool(s.resolve(v, p)) for v in s._list(a, p)),
    "Fn::Or": lambda s, a, p: any(bool(s.resolve(v, p)) for v in s._list(a, p)),
    "Fn::Not": lambda s, a, p: not bool(s.resolve(s._list(a, p, 1)[0], p)),
    "Fn::FindInMap": _find_in_map,
    "Fn::Base64": lambda s, a, p: base64.b64encode(s._text(a, p).encode()).decode(),
    "Fn::ImportValue": _import,
    "Fn::GetAZs": _needs_aws("Fn::GetAZs"),
    "Fn::Cidr": _needs_aws("Fn::Cidr"),
}
