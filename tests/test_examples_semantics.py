"""examples/resolve.py and examples/topology.py run, and the README's resolve snippet shows
what `resolve` really answers for that example."""

from __future__ import annotations

import runpy
from pathlib import Path

import boto3
import pytest

from appmesh_mock import mock_appmesh

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_resolve_example_prints_three_resolutions(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "resolve.py"), run_name="__main__")
    out = " ".join(capsys.readouterr().out.split())  # the explanations are wrapped
    assert out.count("Traffic for catalog.shop.local") == 3
    assert "Route beta-testers: priority 0 beats 'canary' at priority 10" in out
    assert "prefix /catalog/ rewritten to / (default)" in out


def test_readme_snippet_is_what_resolve_answers() -> None:
    example = runpy.run_path(str(ROOT / "examples" / "resolve.py"))
    with mock_appmesh() as m:
        example["build"](boto3.client("appmesh", region_name="us-east-1"))
        r = m.resolve("shop", gateway="ingress", path="/catalog/items/42", host="shop.example.com")
    assert f"# {(r.matched, r.gateway_route, r.route, r.host, r.path)!r}" in README
    targets = ",\n#  ".join(repr(t) for t in r.targets)
    assert f"# [{targets}]" in README
    explanation = " ".join(
        line[2:] for line in README.split("print(r)\n", 1)[1].split("```")[0].splitlines()
    )
    for piece in explanation.split(" ... "):
        assert piece.strip() in str(r), piece


def test_topology_example_prints_the_tree(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "topology.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "    route canary  priority 100  / -> reviews-v1 90%, reviews-v2 10%  (2 retries)" in out
    assert "  delete mesh bookinfo: ResourceInUseException" in out
