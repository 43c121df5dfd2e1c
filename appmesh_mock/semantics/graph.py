"""The mesh as a graph (one vertex per resource, edges in the direction traffic flows), and
that graph written as Mermaid (renders on GitHub) or Graphviz dot."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..backend import specs
from . import describe
from .document import MeshView
from .ordering import in_precedence


class Vertex(NamedTuple):
    id: str
    kind: str  # virtualGateway, gatewayRoute, virtualService, virtualRouter, route, virtualNode
    name: str
    detail: str


class Edge(NamedTuple):
    source: str
    target: str
    label: str
    dashed: bool  # a node calling a backend, not a routing decision


@dataclass
class Graph:
    vertices: list[Vertex] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)
    _ids: dict[tuple[str, str], str] = field(default_factory=dict)

    def vertex(self, kind: str, name: str, detail: str = "") -> str:
        key = (kind, name)
        if key not in self._ids:
            self._ids[key] = f"{_PREFIX[kind]}{len(self._ids)}"
            self.vertices.append(Vertex(self._ids[key], kind, name, detail))
        return self._ids[key]

    def edge(self, source: str, target: str, label: str = "", dashed: bool = False) -> None:
        self.edges.append(Edge(source, target, label, dashed))


_PREFIX = {
    "virtualGateway": "gw",
    "gatewayRoute": "gr",
    "virtualService": "vs",
    "virtualRouter": "vr",
    "route": "rt",
    "virtualNode": "vn",
}
KIND_WORDS = {
    "virtualGateway": "gateway",
    "gatewayRoute": "gateway route",
    "virtualService": "service",
    "virtualRouter": "router",
    "route": "route",
    "virtualNode": "node",
}


def _spec(resource: Mapping[str, Any]) -> Mapping[str, Any]:
    return resource.get("spec") or {}


def build(view: MeshView) -> Graph:
    """Vertices in the order gateways, gateway routes, services, routers, routes, nodes."""
    graph = Graph()
    for gateway in view.all("virtualGateway"):
        graph.vertex(
            "virtualGateway", gateway["virtualGatewayName"], describe.listeners(_spec(gateway))
        )
    for gateway in view.all("virtualGateway"):
        for route in in_precedence(view.children("gatewayRoute", gateway["virtualGatewayName"])):
            kind, body = describe.route_body(_spec(route))
            key = f"{gateway['virtualGatewayName']}/{route['gatewayRouteName']}"
            match = body.get("match") or {}
            detail = describe.match(kind, match, gateway=True)
            vid = graph.vertex("gatewayRoute", key, _unserved(detail, kind, match, gateway))
            graph.edge(graph.vertex("virtualGateway", gateway["virtualGatewayName"]), vid)
            target = ((body.get("action") or {}).get("target") or {}).get("virtualService") or {}
            service = target.get("virtualServiceName")
            if service:
                graph.edge(
                    vid,
                    _service(graph, view, service),
                    describe.rewrite((body.get("action") or {}).get("rewrite") or {}),
                )
    for service in view.all("virtualService"):
        _service(graph, view, service["virtualServiceName"])
    for router in view.all("virtualRouter"):
        graph.vertex(
            "virtualRouter", router["virtualRouterName"], describe.listeners(_spec(router))
        )
    for router in view.all("virtualRouter"):
        router_id = graph.vertex("virtualRouter", router["virtualRouterName"])
        for route in in_precedence(view.children("route", router["virtualRouterName"])):
            kind, body = describe.route_body(_spec(route))
            priority = _spec(route).get("priority")
            match = body.get("match") or {}
            detail = describe.match(kind, match) + ("" if priority is None else f" p{priority}")
            detail = _unserved(detail, kind, match, router)
            route_id = graph.vertex(
                "route", f"{router['virtualRouterName']}/{route['routeName']}", detail
            )
            graph.edge(router_id, route_id)
            targets = (body.get("action") or {}).get("weightedTargets") or []
            total = sum(int(t.get("weight", 0)) for t in targets)
            for target in targets:
                share = int(target.get("weight", 0)) / total if total else 0.0
                graph.edge(route_id, _node(graph, view, target["virtualNode"]), f"{share:.0%}")
    for node in view.all("virtualNode"):
        node_id = _node(graph, view, node["virtualNodeName"])
        for backend in describe.backends(_spec(node)):
            graph.edge(node_id, _service(graph, view, backend), "calls", dashed=True)
    return graph


def _unserved(
    detail: str, kind: str, match: Mapping[str, Any], parent: Mapping[str, Any]
) -> str:
    """A route no listener of its parent serves is drawn saying so (docs/routing.md rule 7)."""
    why = describe.unserved(kind, match, _spec(parent))
    return f"{detail} ({why})" if why else detail


def _service(graph: Graph, view: MeshView, name: str) -> str:
    service = view.get("virtualService", name)
    if service is None:
        return graph.vertex("virtualService", name, "not created")
    vid = graph.vertex("virtualService", name)
    kind, provider = specs.provider(_spec(service)) or ("", "")
    if kind == "virtualRouter" and not any(e.source == vid for e in graph.edges):
        router = provider
        graph.edge(
            vid,
            graph.vertex(
                "virtualRouter",
                router,
                describe.listeners(_spec(view.get("virtualRouter", router) or {})),
            ),
        )
    elif kind == "virtualNode" and not any(e.source == vid for e in graph.edges):
        graph.edge(vid, _node(graph, view, provider))
    return vid


def _node(graph: Graph, view: MeshView, name: str) -> str:
    node = view.get("virtualNode", name)
    return graph.vertex("virtualNode", name, describe.listeners(_spec(node or {})))


def _label(vertex: Vertex, newline: str) -> str:
    name = vertex.name.split("/")[-1] if vertex.kind in ("route", "gatewayRoute") else vertex.name
    text = f"{KIND_WORDS[vertex.kind]} {name}"
    return text + (f"{newline}{vertex.detail}" if vertex.detail else "")


def mermaid(view: MeshView) -> str:
    graph = build(view)
    lines = ["flowchart LR"]
    for vertex in graph.vertices:
        label = _label(vertex, "<br/>").replace('"', "#quot;")
        lines.append(f'  {vertex.id}["{label}"]')
    for edge in graph.edges:
        arrow = "-.->" if edge.dashed else "-->"
        label = f'|"{edge.label.replace(chr(34), "#quot;")}"|' if edge.label else ""
        lines.append(f"  {edge.source} {arrow}{label} {edge.target}")
    return "\n".join(lines)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def dot(view: MeshView) -> str:
    graph = build(view)
    lines = [
        f"digraph {_quoted(view.name)} {{",
        "  rankdir=LR;",
        '  node [shape=box, style=rounded, fontname="Helvetica"];',
    ]
    for vertex in graph.vertices:
        lines.append(f"  {vertex.id} [label={_quoted(_label(vertex, chr(10)))}];")
    for edge in graph.edges:
        attributes = [f"label={_quoted(edge.label)}"] if edge.label else []
        if edge.dashed:
            attributes.append("style=dashed")
        suffix = f" [{', '.join(attributes)}]" if attributes else ""
        lines.append(f"  {edge.source} -> {edge.target}{suffix};")
    lines.append("}")
    return "\n".join(lines)
