"""The dashboard in a real headless browser: Debian's chromium driven by Playwright (both
installed by .ci/run). The page loads without console errors, shows the mesh names, draws a
vertex per resource, answers the resolve form, and does not render blank."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from mesh_builder import MeshBuilder
from png_pixels import colour_spread
from state_document import state_document

from appmesh_mock import MockServer, mock_appmesh

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not os.environ.get("CI"):
    # Outside CI a machine without the browser tools skips; CI installs both and runs these.
    if not os.path.exists(CHROMIUM):
        pytest.skip(
            "Debian's chromium is not installed (.ci/run installs it)", allow_module_level=True
        )
    pytest.importorskip("playwright.sync_api")
from playwright.sync_api import Page, sync_playwright  # noqa: E402

pytestmark = pytest.mark.slow  # a browser starts for the module (about five seconds)

# Flags for a closed network: no background requests, no first-run or update checks.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def dashboard(browser: Any) -> Iterator[tuple[Page, MeshBuilder, list[str]]]:
    with mock_appmesh(), MockServer() as server:
        builder = MeshBuilder(boto3.client("appmesh", region_name="us-east-1"), mesh="bookstore")
        builder.node("books-v1")
        builder.node("books-v2")
        builder.node("web", backends=["books.local"])
        builder.router("books")
        builder.route("books", "canary", [("books-v1", 80), ("books-v2", 20)])
        builder.route(
            "books",
            "beta",
            "books-v2",
            {"prefix": "/", "headers": [{"name": "x-beta", "match": {"exact": "1"}}]},
            priority=0,
        )
        builder.service("books.local", router="books")
        builder.gateway("edge")
        builder.gateway_route("edge", "books", "books.local", {"prefix": "/books/"})
        MeshBuilder(builder.client, mesh="inventory")
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        problems: list[str] = []
        page.on("console", lambda message: problems.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.goto(f"{server.url}/_appmesh_mock/ui/")
        yield page, builder, problems
        page.close()


def test_loads_cleanly_and_shows_every_mesh(dashboard: tuple[Page, MeshBuilder, list[str]]) -> None:
    page, _, problems = dashboard
    assert page.title() == "appmesh-mock dashboard"
    assert page.locator("nav a.mesh").all_inner_texts() == ["bookstore", "inventory"]
    assert "Mesh bookstore" in page.inner_text("main h2")
    page.click("nav a.mesh >> text=inventory")
    assert "Mesh inventory" in page.inner_text("main h2")
    assert problems == []


def test_svg_has_a_vertex_per_resource(dashboard: tuple[Page, MeshBuilder, list[str]]) -> None:
    page, builder, _ = dashboard
    expected = []
    for item in state_document(builder.client)["resources"]:
        kind = next(k for k in item if k != "tags")
        if kind == "mesh" or item[kind]["meshName"] != "bookstore":
            continue
        parent = item[kind].get("virtualRouterName" if kind == "route" else "virtualGatewayName")
        name = item[kind][f"{kind}Name"]
        expected.append((kind, f"{parent}/{name}" if kind in ("route", "gatewayRoute") else name))
    vertices = page.locator(".topology svg g.vertex").all()
    drawn = [(v.get_attribute("data-kind"), v.get_attribute("data-name")) for v in vertices]
    assert sorted(drawn) == sorted(expected) and len(drawn) == 9
    box = page.locator(".topology svg").bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 100


def test_resolve_form_answers(dashboard: tuple[Page, MeshBuilder, list[str]]) -> None:
    page, _, problems = dashboard
    page.select_option("#entry", "gateway:edge")
    page.fill("#path", "/books/42")
    page.fill("#headers", "x-beta: 1")
    page.click("#resolve button[type=submit]")
    result = page.locator("#resolution")
    assert "matched" in (result.get_attribute("class") or "")
    rows = page.locator("#resolution table.targets tr").all_inner_texts()
    assert rows[1:] == ["books-v2\t100\t100%\t8080"]
    assert "Route beta: it has a priority and 'canary' has none" in result.inner_text()
    assert page.input_value("#path") == "/books/42"  # the form keeps what was asked
    assert problems == []


def test_screenshot_is_not_blank(
    dashboard: tuple[Page, MeshBuilder, list[str]], tmp_path: Path
) -> None:
    page, _, _ = dashboard
    shot = page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    colours, ink = colour_spread(shot)
    assert colours > 50 and ink > 0.05, (colours, ink)
