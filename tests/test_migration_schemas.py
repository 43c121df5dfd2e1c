"""The Kubernetes manifests `migrate` writes validate against the Gateway API and Istio CRD
schemas (as @kubernetes-models/gateway-api and @kubernetes-models/istio ship them, installed by
.ci/run into tests/js with npm ci), for every example and real-world mesh; and a manifest the
schema refuses is caught (so that the check can fail)."""

from __future__ import annotations

import json
import shutil
import subprocess
from typing import Any

import pytest
from test_migration_realworld import EXAMPLES, FILES, _document, _meshes
from test_server_clients import JS_DIR, require

from appmesh_mock import migrate


def _validate(documents: list[dict[str, Any]]) -> list[str | None]:
    node = shutil.which("node")
    require(node is not None, "node is not on PATH")
    require((JS_DIR / "node_modules" / "@kubernetes-models" / "istio").is_dir(),
            f"@kubernetes-models are not installed (run npm ci in {JS_DIR})")
    assert node is not None
    done = subprocess.run([node, "validate-k8s.mjs"], cwd=JS_DIR, input=json.dumps(documents),
                          capture_output=True, text=True, timeout=120, check=True)
    found: list[str | None] = json.loads(done.stdout)
    return found


def test_the_schemas_refuse_a_bad_manifest() -> None:
    bad = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
           "metadata": {"name": "x"},
           "spec": {"rules": [{"matches": [{"path": {"type": "Prefix", "value": "/"}}]}]}}
    (problem,) = _validate([bad])
    assert problem is not None and "path/type" in problem


@pytest.mark.parametrize("to", ["gateway-api", "istio"])
def test_every_generated_manifest_is_valid(to: str) -> None:
    documents: list[tuple[str, dict[str, Any]]] = []
    sources = [build() for _, build in sorted(EXAMPLES.items())]
    sources += [_document(f) for f in FILES]
    for document in sources:
        for mesh in _meshes(document):
            documents += [(mesh, d) for d in migrate(document, mesh, to=to).documents]
    assert len(documents) > 50
    problems = _validate([d for _, d in documents])
    assert [(mesh, d["kind"], d["metadata"]["name"], p)
            for (mesh, d), p in zip(documents, problems, strict=True) if p] == []
