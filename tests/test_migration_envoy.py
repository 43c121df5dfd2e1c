"""Where Envoy can judge, Envoy judges: the Istio VirtualServices and Gateway API HTTPRoutes
`migrate` writes, rendered as Envoy routes in the target's order (tests/envoy_targets.py),
run in the real Envoy in front of echo upstreams, and the boundary requests sent to it: the
backend it reaches, the path and the Host it sees are what the target resolvers in
appmesh_mock/semantics/targets/ say."""

from __future__ import annotations

from typing import Any

import pytest
from envoy_harness import Echo, requires_envoy, running
from envoy_targets import bootstrap, gateway_routes, istio_routes
from test_migration_realworld import EXAMPLES, FILES, _document, _meshes

from appmesh_mock import migrate
from appmesh_mock.semantics.document import select_mesh
from appmesh_mock.semantics.migration import TARGETS, requests
from appmesh_mock.semantics.migration.flat import entries, rules_for
from appmesh_mock.semantics.migration.ledger import Ledger
from appmesh_mock.semantics.request import Request

pytestmark = [requires_envoy, pytest.mark.slow]
PER_ENTRY = 80
JUDGED = ["ex-howto-http-headers.json", "ex-howto-match-and-rewrite-at-ingress.json",
          "ex-howto-ingress-gateway.json", "ws-appmeshworkshop.json"]


def _cases() -> list[Any]:
    found = [pytest.param("resolve.py", EXAMPLES["resolve.py"], id="example-resolve.py")]
    found += [pytest.param(f.name, (lambda f=f: _document(f)), id=f.name)
              for f in FILES if f.name in JUDGED]
    return found


@requires_envoy
@pytest.mark.parametrize("to", ["gateway-api", "istio"])
@pytest.mark.parametrize(("name", "build"), _cases())
def test_envoy_routes_as_the_target_resolver_says(name: str, build: Any, to: str) -> None:
    document = build()
    rules_module, _ = TARGETS[to]
    checked = 0
    for mesh in _meshes(document):
        migration = migrate(document, mesh, to=to)
        view = select_mesh(document, mesh)
        assert not isinstance(view, str)
        listeners: dict[int, list[dict[str, Any]]] = {}
        asked: dict[int, tuple[Any, Any, list[requests.Probe]]] = {}
        for index, (entry, protocol) in enumerate(entries(view)):
            if protocol == "tcp":
                continue
            prepared = rules_module.prepare(migration.documents, entry, migration.backends)
            if to == "istio":
                routes = [r for s in prepared.services for r in istio_routes(s, entry.port)]
            else:
                if prepared.hostnames or not prepared.attached:
                    continue  # hostnames are virtual hosts in Envoy: not rendered here
                routes = gateway_routes(prepared)
            rules = rules_for(view, entry, Ledger())
            pieces = requests.from_target(migration.documents,
                                          requests.from_appmesh(rules, requests.Pieces()))
            probes, _ = requests.thinned(requests.boundary(rules, pieces, protocol == "grpc"),
                                         PER_ENTRY)
            port = 20000 + index
            listeners[port] = routes
            asked[port] = (entry, prepared, probes)
        backends = sorted({c for routes in listeners.values() for r in routes
                           for c in _clusters(r)})
        if not listeners:
            continue
        echo = Echo(backends)
        try:
            with running(bootstrap(listeners, echo.endpoints()), echo) as envoy:
                for port, (entry, prepared, probes) in asked.items():
                    host = probe_host = None
                    for probe in probes:
                        probe_host = probe.host or migration.backends.get(entry.name, "localhost")
                        request = Request.build(probe.path, probe.method, "http", probe_host,
                                                entry.port, dict(probe.headers),
                                                dict(probe.query) or None)
                        said = rules_module.resolve(prepared, request).destination
                        query = "&".join(f"{k}={v}" for k, v in probe.query)
                        answer = envoy.send(port, probe.path + (f"?{query}" if query else ""),
                                            method=probe.method, host=probe_host,
                                            headers=dict(probe.headers))
                        where = (name, mesh, to, entry, probe)
                        if said is None:
                            assert answer.upstream is None, where
                        else:
                            assert answer.upstream in {b for b, _ in said.targets}, where
                            assert (answer.path or "").split("?")[0] == said.path, where
                            assert answer.host == (said.host or probe_host), where
                        checked += 1
                    del host
        finally:
            echo.close()
    assert checked > 0


def _clusters(route: dict[str, Any]) -> list[str]:
    action = route.get("route") or {}
    if "cluster" in action:
        return [action["cluster"]]
    return [c["name"] for c in (action.get("weighted_clusters") or {}).get("clusters") or []]
