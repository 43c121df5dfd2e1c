"""The App Mesh controller's Kubernetes resources (`appmesh.k8s.aws/v1beta2`: Mesh,
VirtualNode, VirtualService, VirtualRouter with its routes inline, VirtualGateway,
GatewayRoute) into the Create* requests the controller made for them.

As the controller does (aws/aws-app-mesh-controller-for-k8s; [source] its
apis/appmesh/v1beta2 field docs and routes manager): an AWS name is `spec.awsName`, else
`<name>_<namespace>` (a VirtualService's `<name>.<namespace>`, a Mesh's its name); a route's
is its `name`; requests carry the Mesh's `meshOwner`. A resource's mesh is `spec.meshRef`,
else the Mesh whose `namespaceSelector` matches its Namespace's labels (an empty selector
selects every namespace, none selects none: [docs] its api_spec); a GatewayRoute's gateway is
`spec.virtualGatewayRef`, else the VirtualGateway whose `namespaceSelector` matches its
namespace (among several, the one whose `gatewayRouteSelector` matches its labels).
`*Ref: {name, namespace}` points at another manifest (namespace: the referrer's) and `*ARN`
at a resource by ARN. Two leniencies, for manifests that leave their Namespace out: with
no Namespace to match, the one Mesh (or VirtualGateway) in the load is the one meant.
Controller-only fields (podSelector, namespaceSelector, gatewayRouteSelector, backendGroups,
BackendGroup objects, other Kubernetes objects) are reported as not loaded; `${NAME}`
placeholders (envsubst templates) in App Mesh objects are filled from `parameters`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from botocore.model import StructureShape

from ..backend.kinds import ALL_KINDS
from ..service.load import CreateRequest
from ..service.state_input import ORDER, StateError
from .shapes import Style, convert, create_input

GROUP = "appmesh.k8s.aws/"
KINDS = {kind.title: kind for kind in ALL_KINDS}
CONTROLLER_ONLY = ("podSelector", "namespaceSelector", "gatewayRouteSelector", "backendGroups",
                   "awsName", "meshRef", "virtualGatewayRef", "routes")
_REFS = {"Mesh": "meshRef", "VirtualGateway": "virtualGatewayRef"}
_PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


@dataclass
class _Object:
    where: str
    kind: str
    name: str
    namespace: str
    labels: Mapping[str, Any]
    spec: Mapping[str, Any]


def requests(
    documents: Iterable[tuple[str, Any]], parameters: Mapping[str, Any], account: str,
    not_loaded: list[str],
) -> list[CreateRequest]:
    objects: list[_Object] = []
    namespaces: dict[str, Mapping[str, Any]] = {}
    for where, document in documents:
        for index, item in enumerate(_items(document)):
            label = where if not isinstance(document, list) else f"{where}[{index}]"
            _take(item, label or "the document", parameters, objects, namespaces, not_loaded)
    world = _World(objects, namespaces, account, not_loaded)
    made = [request for obj in objects for request in world.requests(obj)]
    made.sort(key=lambda r: ORDER.index(r.kind))  # stable: as given within a kind
    return made


def _items(document: Any) -> list[Any]:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping) and document.get("kind") == "List":
        return list(document.get("items") or [])
    return [document]


def fill(value: Any, parameters: Mapping[str, Any], where: str) -> Any:
    """`value` with its `${NAME}` placeholders replaced from `parameters`."""
    if isinstance(value, str):
        def one(found: re.Match[str]) -> str:
            if found.group(1) not in parameters:
                raise StateError(f"{where}: placeholder ${{{found.group(1)}}} has no value; "
                                 "give it in parameters")
            return str(parameters[found.group(1)])

        return _PLACEHOLDER.sub(one, value)
    if isinstance(value, list):
        return [fill(v, parameters, where) for v in value]
    if isinstance(value, Mapping):
        return {fill(k, parameters, where): fill(v, parameters, where) for k, v in value.items()}
    return value


def _take(
    item: Any, where: str, parameters: Mapping[str, Any], objects: list[_Object],
    namespaces: dict[str, Mapping[str, Any]], not_loaded: list[str],
) -> None:
    if not isinstance(item, Mapping) or "kind" not in item:
        raise StateError(f"{where}: not a Kubernetes object (no kind)")
    kind, api = str(item.get("kind")), str(item.get("apiVersion", ""))
    name = str((item.get("metadata") or {}).get("name", "?"))
    if kind == "Namespace" and api == "v1":
        metadata = fill(item.get("metadata") or {}, parameters, f"{where}: Namespace {name}")
        namespaces[str(metadata.get("name"))] = metadata.get("labels") or {}
        return
    if not api.startswith(GROUP) or kind not in KINDS:
        not_loaded.append(f"{where}: {kind} {name}: not an App Mesh resource")
        return
    if api != GROUP + "v1beta2":
        raise StateError(f"{where}: {kind} {name}: {api} is not read (only v1beta2)")
    item = fill(item, parameters, f"{where}: {kind} {name}")
    metadata = item.get("metadata") or {}
    spec = item.get("spec")
    if spec is not None and not isinstance(spec, Mapping):
        raise StateError(f"{where}: {kind} {name}: spec must be a mapping")
    namespace = str(metadata.get("namespace") or "default")
    label = f"{where}: {kind} {namespace}/{name}" if kind != "Mesh" else f"{where}: Mesh {name}"
    objects.append(_Object(label, kind, str(metadata.get("name")), namespace,
                           metadata.get("labels") or {}, spec or {}))


class _World:
    def __init__(self, objects: list[_Object], namespaces: Mapping[str, Mapping[str, Any]],
                 account: str, not_loaded: list[str]) -> None:
        self.objects = objects
        self.account = account
        self.namespaces = namespaces
        self.not_loaded = not_loaded

    def aws_name(self, obj: _Object) -> str:
        if obj.spec.get("awsName"):
            return str(obj.spec["awsName"])
        if obj.kind == "Mesh":
            return obj.name
        return f"{obj.name}.{obj.namespace}" if obj.kind == "VirtualService" else (
            f"{obj.name}_{obj.namespace}")

    def find(self, kind: str, ref: Any, referrer: _Object, where: str) -> _Object:
        if not isinstance(ref, Mapping) or "name" not in ref:
            raise StateError(f"{where}: a reference needs a name")
        namespace = str(ref.get("namespace") or referrer.namespace)
        for obj in self.objects:
            if obj.kind == kind and obj.name == ref["name"] and (
                kind == "Mesh" or obj.namespace == namespace
            ):
                return obj
        place = "" if kind == "Mesh" else f" in namespace {namespace}"
        raise StateError(f"{where}: refers to {kind} {ref['name']}{place}, which is not in "
                         "the files loaded")

    def _selected(self, kind: str, selector_key: str, obj: _Object, where: str) -> _Object:
        candidates = [o for o in self.objects if o.kind == kind]
        labels = self.namespaces.get(obj.namespace)
        if labels is not None:
            chosen = [o for o in candidates if _matches(o.spec.get(selector_key), labels)]
        else:
            chosen = candidates if len(candidates) == 1 else []
        if len(chosen) > 1 and kind == "VirtualGateway":  # its routes' own labels decide
            chosen = [o for o in chosen if "gatewayRouteSelector" not in o.spec
                      or _matches(o.spec["gatewayRouteSelector"], obj.labels)]
        if len(chosen) != 1:
            why = "none" if not chosen else ", ".join(o.name for o in chosen)
            raise StateError(f"{where}: which {kind}? give spec.{_REFS[kind]}, or load the "
                             f"Namespace {obj.namespace} with labels that the {selector_key} "
                             f"of one {kind} matches (found: {why})")
        return chosen[0]

    def mesh(self, obj: _Object) -> _Object:
        if obj.kind == "Mesh":
            return obj
        ref = obj.spec.get("meshRef")
        if ref is not None:
            return self.find("Mesh", ref, obj, f"{obj.where}: spec.meshRef")
        return self._selected("Mesh", "namespaceSelector", obj, obj.where)

    def requests(self, obj: _Object) -> list[CreateRequest]:
        kind = KINDS[obj.kind]
        spec = {k: v for k, v in obj.spec.items() if k != "meshOwner" or obj.kind != "Mesh"}
        converted = self._spec(obj, kind.title, spec)  # first: a bad spec is the reason
        mesh = self.mesh(obj)
        params: dict[str, Any] = {"meshName": self.aws_name(mesh)}
        if mesh.spec.get("meshOwner") and obj is not mesh:
            params["meshOwner"] = mesh.spec["meshOwner"]
        if obj.kind == "GatewayRoute":
            ref = obj.spec.get("virtualGatewayRef")
            gateway = (self.find("VirtualGateway", ref, obj, f"{obj.where}: virtualGatewayRef")
                       if ref is not None else
                       self._selected("VirtualGateway", "namespaceSelector", obj, obj.where))
            params["virtualGatewayName"] = self.aws_name(gateway)
        params[kind.name_member] = self.aws_name(obj)
        params["spec"] = converted
        owner = mesh.spec.get("meshOwner")
        if obj is mesh and owner and str(owner) != self.account:
            # another account's mesh, shared with this one: the controller only reads it
            self.not_loaded.append(f"{obj.where}: owned by account {owner}: not created")
            return []
        made = [CreateRequest(obj.where, kind.key, params)]
        for index, route in enumerate(obj.spec.get("routes") or []):
            made.append(self._route(obj, params, route, index))
        return made

    def _spec(self, obj: _Object, title: str, spec: Mapping[str, Any], base: str = "spec") -> Any:
        shape = create_input(title).members["spec"]

        def unknown(where: str, key: str, value: Any, at: StructureShape) -> Any:
            for suffix in ("Ref", "ARN"):
                target = key.removesuffix(suffix)
                member = target if target in at.members else f"{target}Name"
                if key.endswith(suffix) and member in at.members:
                    kind = target[0].upper() + target[1:]
                    if suffix == "ARN":
                        return member, str(value).rsplit("/", 1)[-1]
                    found = self.find(kind, value, obj, f"{obj.where}: {where}")
                    return member, self.aws_name(found)
            if where == f"{base}.{key}" and key in CONTROLLER_ONLY:
                if key not in ("awsName", "meshRef", "virtualGatewayRef", "routes"):
                    self.not_loaded.append(f"{obj.where}: {where}: controller-only field")
                return None
            raise StateError(f"{obj.where}: {where}: not a field of {at.name}")

        return convert(spec, shape, base, Style(on_unknown=unknown))

    def _route(self, router: _Object, params: Mapping[str, Any], route: Any,
               index: int) -> CreateRequest:
        where = f"{router.where} spec.routes[{index}]"
        if not isinstance(route, Mapping) or not route.get("name"):
            raise StateError(f"{where}: a route needs a name")
        names = {"meshName": params["meshName"], "virtualRouterName": params["virtualRouterName"],
                 "routeName": str(route["name"])}
        if "meshOwner" in params:
            names["meshOwner"] = params["meshOwner"]
        spec = {k: v for k, v in route.items() if k != "name"}
        return CreateRequest(f"{where} ({route['name']})", "route",
                             {**names, "spec": self._spec(router, "Route", spec,
                                                          f"spec.routes[{index}]")})


def _matches(selector: Any, labels: Mapping[str, Any]) -> bool:
    if not isinstance(selector, Mapping):
        return False  # no selector selects no namespace
    wanted = selector.get("matchLabels") or {}
    return all(str(labels.get(k)) == str(v) for k, v in wanted.items())
