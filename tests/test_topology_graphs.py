"""`topology(..., format="mermaid" | "dot")`: one vertex per resource, edges in the direction
traffic flows (gateway -> gateway route -> service -> router -> route -> node, weighted by
share), node backends as dashed "calls" edges."""

from __future__ import annotations

import re

import pytest
from mesh_builder import MeshBuilder
from state_document import state_document

from appmesh_mock.semantics import topology

MERMAID_VERTEX = re.compile(r'^  (\w+)\["([^"]*)"\]$')
MERMAID_EDGE = re.compile(r'^  (\w+) (-->|-\.->)(?:\|"([^"]*)"\|)? (\w+)$')
DOT_VERTEX = re.compile(r'^  (\w+) \[label="((?:[^"\\]|\\.)*)"\];$')
DOT_EDGE = re.compile(r"^  (\w+) -> (\w+)(?: \[(.*)\])?;$")


@pytest.fixture
def mesh(mesh: MeshBuilder) -> MeshBuilder:
    mesh.node("v1")
    mesh.node("v2")
    mesh.node("front", backends=["cart.shop.local"])
    mesh.router("cart")
    mesh.route("cart", "canary", [("v1", 3), ("v2", 1)])
    mesh.service("cart.shop.local", router="cart")
    mesh.gateway("edge")
    mesh.gateway_route("edge", "cart", "cart.shop.local", {"prefix": "/cart/"})
    return mesh


def _resources(mesh: MeshBuilder) -> int:
    return sum(1 for item in state_document(mesh.client)["resources"] if "mesh" not in item)


def test_mermaid_has_a_vertex_per_resource_and_weighted_edges(mesh: MeshBuilder) -> None:
    text = topology(state_document(mesh.client), "shop", "mermaid")
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    vertices = {m[1]: m[2] for m in map(MERMAID_VERTEX.match, lines) if m}
    edges = [m.groups() for m in map(MERMAID_EDGE.match, lines) if m]
    assert len(vertices) + len(edges) == len(lines) - 1  # every line is one or the other
    assert len(vertices) == _resources(mesh) == 8
    by_label = {label.split("<br/>")[0]: vid for vid, label in vertices.items()}
    assert (by_label["route canary"], "-->", "75%", by_label["node v1"]) in edges
    assert (by_label["route canary"], "-->", "25%", by_label["node v2"]) in edges
    calls = (by_label["node front"], "-.->", "calls", by_label["service cart.shop.local"])
    assert calls in edges
    path = [
        ("gateway edge", "gateway route cart"),
        ("gateway route cart", "service cart.shop.local"),
        ("service cart.shop.local", "router cart"),
        ("router cart", "route canary"),
    ]
    pairs = {(a, b) for a, _, _, b in edges}
    assert all((by_label[a], by_label[b]) in pairs for a, b in path)


def test_dot_is_the_same_graph(mesh: MeshBuilder) -> None:
    document = state_document(mesh.client)
    lines = topology(document, "shop", "dot").splitlines()
    assert lines[0] == 'digraph "shop" {' and lines[-1] == "}"
    vertices = {m[1]: m[2] for m in map(DOT_VERTEX.match, lines) if m}
    edges = [m.groups() for m in map(DOT_EDGE.match, lines) if m]
    assert len(vertices) == _resources(mesh)
    mermaid_lines = topology(document, "shop", "mermaid").splitlines()
    assert len(edges) == sum(1 for line in mermaid_lines if MERMAID_EDGE.match(line))
    labels = {vid: label.split("\\n")[0] for vid, label in vertices.items()}
    dashed = [(labels[a], labels[b]) for a, b, attrs in edges if attrs and "style=dashed" in attrs]
    assert dashed == [("node front", "service cart.shop.local")]


def test_services_named_but_not_created_still_appear(mesh: MeshBuilder) -> None:
    mesh.node("lonely", backends=["later.shop.local"])
    text = topology(state_document(mesh.client), "shop", "mermaid")
    assert '["service later.shop.local<br/>not created"]' in text
