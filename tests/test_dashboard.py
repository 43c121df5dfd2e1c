"""`GET /_appmesh_mock/ui/` over HTTP: the page, its safety headers, meshes per account and
region, a vertex per resource in the SVG, and the resolve form (a GET of the same page)."""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlencode

import boto3
import pytest
from mesh_builder import MeshBuilder
from state_document import state_document

from appmesh_mock import MockServer, mock_appmesh


@pytest.fixture
def served() -> Iterator[tuple[MeshBuilder, MockServer]]:
    with mock_appmesh(), MockServer() as server:
        builder = MeshBuilder(boto3.client("appmesh", region_name="us-east-1"))
        builder.node("v1")
        builder.node("v2")
        builder.router("cart")
        builder.route("cart", "canary", [("v1", 90), ("v2", 10)])
        builder.service("cart.shop.local", router="cart")
        builder.gateway("edge")
        builder.gateway_route("edge", "cart", "cart.shop.local", {"prefix": "/cart/"})
        yield builder, server


def get(server: MockServer, query: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    url = f"{server.url}/_appmesh_mock/ui/" + (f"?{urlencode(query)}" if query else "")
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, dict(response.headers), response.read().decode()


def test_page_is_self_contained_html(served: tuple[MeshBuilder, MockServer]) -> None:
    _, server = served
    status, headers, body = get(server)
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]  # no script, no network
    assert "<script" not in body and "http://" not in body.replace('xmlns="http://www.w3', "")


def test_a_vertex_per_resource(served: tuple[MeshBuilder, MockServer]) -> None:
    builder, server = served
    body = get(server)[2]
    kinds = re.findall(r'<g class="vertex" data-kind="(\w+)"', body)
    document = state_document(builder.client)
    expected = sorted(next(k for k in item if k != "tags") for item in document["resources"])
    assert sorted(["mesh", *kinds]) == expected


def test_meshes_per_account_and_region(served: tuple[MeshBuilder, MockServer]) -> None:
    _, server = served
    with mock_appmesh(account_id="222222222222"):
        boto3.client("appmesh", region_name="eu-west-1").create_mesh(meshName="payments")
    body = get(server)[2]
    assert "account 123456789012 · us-east-1" in body and "account 222222222222 · eu-west-1" in body
    links = re.findall(r'<a class="mesh"[^>]*>([^<]+)</a>', body)
    assert links == ["shop", "payments"]
    other = get(server, {"account": "222222222222", "region": "eu-west-1", "mesh": "payments"})[2]
    assert "Mesh payments <small>(222222222222, eu-west-1)</small>" in other


def test_resolve_form_shows_the_targets(served: tuple[MeshBuilder, MockServer]) -> None:
    _, server = served
    body = get(server, {"mesh": "shop", "entry": "gateway:edge", "path": "/cart/items"})[2]
    result = re.search(r'<div id="resolution" class="result matched">(.*?)</div>', body, re.S)
    assert result is not None
    assert "<td>v1</td><td>90</td><td>90%</td><td>8080</td>" in result[1]
    assert "Traffic for cart.shop.local/items goes to v1:8080 90%" in result[1]
    refused = get(server, {"mesh": "shop", "entry": "gateway:edge", "path": "/other"})[2]
    assert 'class="result refused"' in refused and "does not start with /cart/" in refused
    bad = get(server, {"mesh": "shop", "entry": "service:cart.shop.local", "port": "http"})[2]
    assert 'class="result refused"' in bad and "port must be a number, not &#x27;http&#x27;" in bad


def test_empty_server_says_so() -> None:
    with mock_appmesh(), MockServer() as server:
        body = get(server)[2]
    assert "No mesh yet" in body and "<svg" not in body
