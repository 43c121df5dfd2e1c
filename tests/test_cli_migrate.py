"""`appmesh-mock migrate` and `appmesh-mock equivalence` as users run them: over a saved state
document or a running server, writing manifests, then checking them (and a hand edit)."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
import yaml
from mesh_builder import MeshBuilder
from state_document import state_document

from appmesh_mock import MockServer, mock_appmesh
from appmesh_mock.cli import main


@pytest.fixture
def state(tmp_path: Path) -> Path:
    with mock_appmesh():
        client = boto3.client("appmesh", region_name="us-east-1")
        mesh = MeshBuilder(client)
        mesh.node("v1")
        mesh.node("v2")
        mesh.router("cart")
        mesh.route("cart", "canary", [("v1", 90), ("v2", 10)], priority=10)
        beta = {"prefix": "/", "headers": [{"name": "x-beta", "match": {"exact": "1"}}]}
        mesh.route("cart", "beta", "v2", beta, priority=0)
        mesh.service("cart.shop.local", router="cart")
        path = tmp_path / "state.json"
        path.write_text(json.dumps(state_document(client), default=str), encoding="utf-8")
    return path


def test_migrate_writes_manifests_that_check_as_equivalent(
    state: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "istio"
    assert main(["migrate", "shop", "--to", "istio", "--state", str(state), "-o", str(out)]) == 0
    report = capsys.readouterr().out
    assert "ledger:" in report and "0 differ" in report
    (written,) = sorted(out.iterdir())
    service = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert service["kind"] == "VirtualService"
    # The beta route (priority 0) comes first: Istio takes the first match.
    assert [r["route"][0]["destination"]["host"] for r in service["spec"]["http"]] == ["v2", "v1"]
    assert main(["equivalence", "shop", "--to", "istio", str(out), "--state", str(state)]) == 0
    assert "0 differ" in capsys.readouterr().out

    # A hand edit that puts the split first hides the beta route.
    service["spec"]["http"].reverse()
    written.write_text(yaml.safe_dump(service), encoding="utf-8")
    code = main(["equivalence", "shop", "--to", "istio", str(written), "--state", str(state),
                 "--json"])
    answer = json.loads(capsys.readouterr().out)
    assert code == 1 and answer["equivalent"] is False
    assert set(answer["causes"]) == {"PRECEDENCE"}
    first = answer["differences"][0]
    assert first["request"]["headers"] == {"x-beta": "1"}
    assert [t["backend"] for t in first["appmesh"]["targets"]] == ["v2:8080"]


def test_migrate_prints_yaml_and_reads_a_server(capsys: pytest.CaptureFixture[str]) -> None:
    with mock_appmesh(), MockServer() as server:
        mesh = MeshBuilder(boto3.client("appmesh", region_name="us-east-1"))
        mesh.node("web")
        mesh.service("web.shop.local", node="web")
        code = main(["migrate", "shop", "--to", "gateway-api", "--url", server.url,
                     "--backend", "web=web.shop.svc.cluster.local:80"])
    captured = capsys.readouterr()
    assert code == 0
    (route,) = list(yaml.safe_load_all(captured.out))
    assert route["kind"] == "HTTPRoute"
    assert route["spec"]["rules"][0]["backendRefs"] == [
        {"name": "web.shop.svc.cluster.local", "weight": 1, "port": 80}]
    assert "mesh shop -> gateway-api" in captured.err


@pytest.mark.parametrize(
    "argv",
    [
        ["equivalence", "shop", "--to", "istio", "missing.yaml"],
        ["equivalence", "nomesh", "--to", "istio", "{state}"],
        ["migrate", "shop", "--to", "istio", "--backend", "nameonly"],
    ],
    ids=["missing-file", "unknown-mesh", "bad-backend"],
)
def test_errors_exit_2_with_one_line(
    state: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("{state}", str(state)) for a in argv]
    assert main([*argv, "--state", str(state)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("appmesh-mock: ") and err.count("\n") == 1
