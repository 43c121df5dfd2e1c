"""Scale: per-call cost with N resources stored in a mixed mesh (nodes, routers with routes,
services provided by both, gateways with gateway routes) and N meshes in the account with one
more shared in; and tearing down a mesh against building it."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import boto3
from common import REGION, appmesh_mock_backend, table, timed, us, verdict

FLAT_RATIO = 1.2
TEARDOWN_RATIO = 1.3
SHARER = "999999999999"
MIN_NODES = 40  # so that even the smallest mesh fills the pages the listings measure

ROUTER_SPEC = {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}
GATEWAY_SPEC = {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]}
NODE = {
    "listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}],
    "serviceDiscovery": {"dns": {"hostname": "n.local"}},
}


def _route(node: str, prefix: str) -> dict[str, Any]:
    return {"httpRoute": {"match": {"prefix": prefix},
                          "action": {"weightedTargets": [{"virtualNode": node, "weight": 1}]}}}


def _gateway_route(service: str, prefix: str) -> dict[str, Any]:
    target = {"virtualService": {"virtualServiceName": service}}
    return {"httpRoute": {"match": {"prefix": prefix}, "action": {"target": target}}}


def _provided(kind: str, name: str) -> dict[str, Any]:
    return {"provider": {kind: {f"{kind}Name": name}}}


def mixed_mesh(client: Any, mesh: str, count: int) -> list[Callable[[], Any]]:
    """Creates about `count` resources in `mesh`, ten per unit: four nodes, a router with two
    routes to two of them, a service provided by a node and one by the router, and a gateway
    route to the first (a gateway per hundred units). Returns the deletes that tear it all
    down, dependents first."""
    m = {"meshName": mesh}
    client.create_mesh(**m)
    teardown: dict[str, list[Callable[[], Any]]] = {
        "gatewayRoute": [], "gateway": [], "service": [], "route": [], "router": [], "node": []
    }
    for unit in range(max(1, count // 10)):
        gateway = f"g{unit // 100}"
        if unit % 100 == 0:
            client.create_virtual_gateway(**m, virtualGatewayName=gateway, spec=GATEWAY_SPEC)
            teardown["gateway"].append(_deleter(client.delete_virtual_gateway, m,
                                                virtualGatewayName=gateway))
        nodes = [f"n{unit}-{k}" for k in range(4)]
        for node in nodes:
            client.create_virtual_node(**m, virtualNodeName=node, spec=NODE)
            teardown["node"].append(_deleter(client.delete_virtual_node, m, virtualNodeName=node))
        router = f"r{unit}"
        client.create_virtual_router(**m, virtualRouterName=router, spec=ROUTER_SPEC)
        teardown["router"].append(_deleter(client.delete_virtual_router, m,
                                           virtualRouterName=router))
        for k, prefix in enumerate(("/a", "/b")):
            client.create_route(**m, virtualRouterName=router, routeName=f"rt{k}",
                                spec=_route(nodes[k], prefix))
            teardown["route"].append(_deleter(client.delete_route, m, virtualRouterName=router,
                                              routeName=f"rt{k}"))
        services = {f"s{unit}-n.local": _provided("virtualNode", nodes[2]),
                    f"s{unit}-r.local": _provided("virtualRouter", router)}
        for service, spec in services.items():
            client.create_virtual_service(**m, virtualServiceName=service, spec=spec)
            teardown["service"].append(_deleter(client.delete_virtual_service, m,
                                                virtualServiceName=service))
        client.create_gateway_route(**m, virtualGatewayName=gateway, gatewayRouteName=f"gr{unit}",
                                    spec=_gateway_route(f"s{unit}-n.local", f"/u{unit}/"))
        teardown["gatewayRoute"].append(_deleter(client.delete_gateway_route, m,
                                                 virtualGatewayName=gateway,
                                                 gatewayRouteName=f"gr{unit}"))
    for k in range(max(0, MIN_NODES - len(teardown["node"]))):  # a full page even at N=10
        client.create_virtual_node(**m, virtualNodeName=f"pad-{k}", spec=NODE)
        teardown["node"].append(_deleter(client.delete_virtual_node, m, virtualNodeName=f"pad-{k}"))
    return [delete for group in teardown.values() for delete in group]


def _deleter(method: Callable[..., Any], m: dict[str, str], **names: str) -> Callable[[], Any]:
    return lambda: method(**m, **names)


def _token_after(call: Callable[..., Any], member: str, position: int, **kwargs: Any) -> str:
    token: str | None = None
    left = position
    while left > 0:
        page = min(left, 100)
        extra = {"nextToken": token} if token else {}
        token = call(**kwargs, limit=page, **extra).get("nextToken")
        left -= page
    assert token, member
    return token


def _victims(
    create: Callable[[str], Any], prefix: str, count: int
) -> tuple[Callable[[], None], Callable[[], str]]:
    """(setup, next): the setup makes `count` fresh unreferenced resources, `next` names the
    next one to delete."""
    names = itertools.count()
    queue: list[str] = []

    def setup() -> None:
        queue[:] = [f"{prefix}{next(names)}" for _ in range(count)]
        for name in queue:
            create(name)
        queue.reverse()

    return setup, queue.pop


def scale_costs(size: int, calls: int, rounds: int) -> dict[str, float]:
    with appmesh_mock_backend() as client:
        m = {"meshName": "big"}
        mixed_mesh(client, "big", size)
        for k in range(size):
            client.create_mesh(meshName=f"own-{k:06d}")
        sharer = boto3.client("appmesh", region_name=REGION, aws_access_key_id=SHARER,
                              aws_secret_access_key="x")
        sharer.create_mesh(meshName="shared-in")
        from appmesh_mock.session import RUNTIME

        RUNTIME.store.share(SHARER, REGION, "shared-in", "123456789012")
        nodes = max(MIN_NODES, size * 4 // 10)
        deep_nodes = _token_after(client.list_virtual_nodes, "nodes", nodes - 20, **m)
        deep_meshes = _token_after(client.list_meshes, "meshes", max(1, size - 10))
        names = itertools.count()
        out: dict[str, float] = {}
        reads: dict[str, Callable[[], Any]] = {
            "describe node": lambda: client.describe_virtual_node(**m, virtualNodeName="n0-1"),
            "list nodes, first page": lambda: client.list_virtual_nodes(**m, limit=10),
            "list nodes, deep page": lambda: client.list_virtual_nodes(
                **m, limit=10, nextToken=deep_nodes),
            "list meshes (one shared in), first page": lambda: client.list_meshes(limit=10),
            "list meshes (one shared in), deep page": lambda: client.list_meshes(
                limit=10, nextToken=deep_meshes),
            "create node": lambda: client.create_virtual_node(
                **m, virtualNodeName=f"c{next(names)}", spec=NODE),
        }
        for call in reads.values():
            for _ in range(50):  # warm caches (compiled checkers, the deferred router) first
                call()
        measured: dict[str, tuple[Callable[[], Any], Callable[[], Any] | None]] = {
            what: (call, None) for what, call in reads.items()
        }
        creators: dict[str, tuple[Callable[[str], Any], Callable[[Any], Any]]] = {
            "delete node": (
                lambda n: client.create_virtual_node(**m, virtualNodeName=n, spec=NODE),
                lambda n: client.delete_virtual_node(**m, virtualNodeName=n)),
            "delete router": (
                lambda n: client.create_virtual_router(**m, virtualRouterName=n, spec=ROUTER_SPEC),
                lambda n: client.delete_virtual_router(**m, virtualRouterName=n)),
            "delete service": (
                lambda n: client.create_virtual_service(**m, virtualServiceName=n, spec={}),
                lambda n: client.delete_virtual_service(**m, virtualServiceName=n)),
        }
        for what, (create, delete) in creators.items():
            setup, victim = _victims(create, f"d-{what.split()[1]}-", calls)
            measured[what] = (lambda d=delete, v=victim: d(v()), setup)
        # Round by round across every call, so that a busy spell on the machine falls on all of
        # them rather than on every round of one.
        for _ in range(rounds):
            for what, (call, setup) in measured.items():
                if setup is not None:
                    setup()
                cost = timed(call, calls)
                out[what] = min(out.get(what, cost), cost)
        return out


def scale(sizes: list[int], calls: int, rounds: int) -> dict[int, dict[str, float]]:
    results = {size: scale_costs(size, calls, rounds) for size in sizes}
    rows = []
    for what in results[sizes[0]]:
        costs = [results[size][what] for size in sizes]
        ratio = costs[-1] / costs[0]
        rows.append([what, *(us(c) for c in costs), f"{ratio:.2f}x", verdict(ratio <= FLAT_RATIO)])
    table(
        f"Scale: this mock's cost per call with N resources in a mixed mesh and N meshes in the "
        f"account (best of {rounds} rounds of {calls}; target {sizes[-1]:,} vs {sizes[0]:,} "
        f"<= {FLAT_RATIO}x)",
        ["call", *(f"N={s:,}" for s in sizes), "ratio", "target"],
        rows,
    )
    return results


def teardown(count: int) -> tuple[float, float]:
    """CPU seconds to build a mixed mesh of `count` resources and to delete them all."""
    with appmesh_mock_backend() as client:
        client.list_meshes()  # warm the mock up outside the timings
        start = time.process_time()
        deletes = mixed_mesh(client, "torn", count)
        build = time.process_time() - start
        start = time.process_time()
        for delete in deletes:
            delete()
        client.delete_mesh(meshName="torn")
        torn = time.process_time() - start
    ratio = torn / build
    table(
        f"Teardown: every resource of a {len(deletes):,}-resource mixed mesh deleted, dependents "
        f"first, against creating them (target <= {TEARDOWN_RATIO}x)",
        ["create all", "delete all", "ratio", "target"],
        [[f"{build:.2f} s", f"{torn:.2f} s", f"{ratio:.2f}x", verdict(ratio <= TEARDOWN_RATIO)]],
    )
    return build, torn
