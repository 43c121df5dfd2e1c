"""Many threads, each with its own boto3 client, working in the same meshes at once.

Every request holds the registry lock from lookup to response, so each call must look atomic:
nothing created is lost or doubled, a name raced for is won exactly once, readers never see a
half-written resource or a version going back, and delete guards hold while references change.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import boto3
import pytest
from botocore.exceptions import ClientError

from appmesh_mock import MockAppMesh

THREADS = 8
T = TypeVar("T")


def _clients(count: int) -> list[Any]:
    """One client per thread, each from its own session (sessions are not thread-safe)."""
    return [
        boto3.session.Session().client("appmesh", region_name="us-east-1")
        for _ in range(count)
    ]


def _run_together(work: list[Callable[[], T]]) -> list[T]:
    """Runs every callable on its own thread, released at the same moment."""
    start = threading.Barrier(len(work))

    def run(job: Callable[[], T]) -> T:
        start.wait()
        return job()

    with ThreadPoolExecutor(len(work)) as pool:
        futures = [pool.submit(run, job) for job in work]
        return [future.result() for future in futures]


def _code(error: ClientError) -> str:
    return str(error.response["Error"]["Code"])


def _all_nodes(client: Any, mesh: str) -> list[str]:
    pages = client.get_paginator("list_virtual_nodes").paginate(
        meshName=mesh, PaginationConfig={"PageSize": 7}
    )
    return [ref["virtualNodeName"] for page in pages for ref in page["virtualNodes"]]


def _node_spec(marker: int) -> dict[str, Any]:
    """A spec whose every part carries `marker`, so that a mix of two writes shows."""
    return {
        "listeners": [{"portMapping": {"port": 1000 + marker, "protocol": "http"}}],
        "serviceDiscovery": {"dns": {"hostname": f"h{marker}.local"}},
        "backends": [
            {"virtualService": {"virtualServiceName": f"s{marker}-{k}.local"}} for k in range(3)
        ],
    }


def _marker(spec: dict[str, Any]) -> int:
    markers = {spec["listeners"][0]["portMapping"]["port"] - 1000}
    markers.add(int(spec["serviceDiscovery"]["dns"]["hostname"][1:].split(".")[0]))
    markers |= {
        int(b["virtualService"]["virtualServiceName"][1:].split("-")[0]) for b in spec["backends"]
    }
    assert len(markers) == 1, f"torn spec: {spec}"
    return markers.pop()


@pytest.mark.slow
def test_writers_lose_nothing_double_nothing_and_win_each_race_once(
    appmesh_mock: MockAppMesh,
) -> None:
    clients = _clients(THREADS)
    for mesh in ("left", "right"):
        clients[0].create_mesh(meshName=mesh)

    def writer(index: int) -> dict[str, Any]:
        client = clients[index]
        rng = random.Random(index)
        mine: dict[tuple[str, str], int] = {}  # (mesh, node) -> version it should have
        won: list[str] = []
        for step in range(30):
            mesh = ("left", "right")[step % 2]
            name = f"t{index}-n{step}"
            created = client.create_virtual_node(meshName=mesh, virtualNodeName=name, spec={})
            assert created["virtualNode"]["metadata"]["version"] == 1
            mine[(mesh, name)] = 1
            try:
                client.create_virtual_node(meshName="left", virtualNodeName=f"race-{step}", spec={})
                won.append(f"race-{step}")
            except ClientError as error:
                assert _code(error) == "ConflictException"
            target_mesh, target = rng.choice(sorted(mine))
            if rng.random() < 0.3:
                client.delete_virtual_node(meshName=target_mesh, virtualNodeName=target)
                del mine[(target_mesh, target)]
            else:
                updated = client.update_virtual_node(
                    meshName=target_mesh, virtualNodeName=target, spec=_node_spec(index)
                )
                mine[(target_mesh, target)] += 1
                assert updated["virtualNode"]["metadata"]["version"] == mine[(target_mesh, target)]
        return {"mine": mine, "won": won}

    results = _run_together([lambda i=i: writer(i) for i in range(THREADS)])

    expected: dict[tuple[str, str], int] = {}
    for result in results:
        expected.update(result["mine"])
    winners = [name for result in results for name in result["won"]]
    assert sorted(winners) == sorted(f"race-{step}" for step in range(30))  # each won once
    reader = clients[0]
    listed = {mesh: _all_nodes(reader, mesh) for mesh in ("left", "right")}
    for mesh, names in listed.items():
        assert len(names) == len(set(names)), f"duplicates in {mesh}"
    stored = {(mesh, name) for mesh, names in listed.items() for name in names}
    assert stored == set(expected) | {("left", name) for name in winners}
    for (mesh, name), version in expected.items():
        described = reader.describe_virtual_node(meshName=mesh, virtualNodeName=name)
        assert described["virtualNode"]["metadata"]["version"] == version
    snapshot = appmesh_mock.snapshot()["meshes"]
    assert {(m, n) for m in snapshot for n in snapshot[m]["virtualNodes"]} == stored


def test_readers_see_whole_updates_with_versions_only_going_up(
    appmesh_mock: MockAppMesh,
) -> None:
    writers, readers = 4, 4
    clients = _clients(writers + readers)
    clients[0].create_mesh(meshName="m")
    clients[0].create_virtual_node(meshName="m", virtualNodeName="hot", spec=_node_spec(0))
    updates_each = 40
    done = threading.Event()

    def write(index: int) -> list[tuple[int, int]]:
        seen: list[tuple[int, int]] = []  # (version, marker) as the update answered
        for step in range(updates_each):
            marker = 1 + index * updates_each + step
            out = clients[index].update_virtual_node(
                meshName="m", virtualNodeName="hot", spec=_node_spec(marker)
            )["virtualNode"]
            assert _marker(out["spec"]) == marker
            seen.append((out["metadata"]["version"], marker))
        return seen

    def read(index: int) -> list[tuple[int, int]]:
        client = clients[writers + index]
        seen: list[tuple[int, int]] = []
        while not done.is_set() or len(seen) < 5:
            node = client.describe_virtual_node(meshName="m", virtualNodeName="hot")
            node = node["virtualNode"]
            seen.append((node["metadata"]["version"], _marker(node["spec"])))
            ref = client.list_virtual_nodes(meshName="m")["virtualNodes"][0]
            assert ref["version"] >= node["metadata"]["version"]
            seen.append((ref["version"], -1))
        return seen

    def writers_then_stop() -> list[list[tuple[int, int]]]:
        try:
            return _run_together([lambda i=i: write(i) for i in range(writers)])
        finally:
            done.set()

    with ThreadPoolExecutor(readers + 1) as pool:
        reading = [pool.submit(read, i) for i in range(readers)]
        written = pool.submit(writers_then_stop).result()
        observed = [future.result() for future in reading]

    by_version: dict[int, int] = {}
    for seen in written:
        versions = [version for version, _ in seen]
        assert versions == sorted(set(versions)), "a writer saw its versions go back"
        by_version.update(seen)
    # No update lost or merged: versions 2..N+1, each from exactly one update.
    total = writers * updates_each
    assert sorted(by_version) == list(range(2, total + 2))
    by_version[1] = 0
    for seen in observed:
        versions = [version for version, _ in seen]
        assert versions == sorted(versions), "a reader saw a version go back"
        for version, marker in seen:
            if marker >= 0:
                assert by_version[version] == marker, "a reader saw a spec its version lacks"
    final = clients[0].describe_virtual_node(meshName="m", virtualNodeName="hot")["virtualNode"]
    assert final["metadata"]["version"] == total + 1


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_delete_guards_hold_while_references_change(
    appmesh_mock: MockAppMesh, seed: int
) -> None:
    clients = _clients(THREADS)
    setup = clients[0]
    setup.create_mesh(meshName="g")
    nodes = [f"n{k}" for k in range(4)]
    for node in nodes:
        setup.create_virtual_node(meshName="g", virtualNodeName=node, spec={})
    setup.create_virtual_router(
        meshName="g",
        virtualRouterName="r",
        spec={"listeners": [{"portMapping": {"port": 80, "protocol": "http"}}]},
    )

    def route_spec(target: str) -> dict[str, Any]:
        return {
            "httpRoute": {
                "match": {"prefix": "/"},
                "action": {"weightedTargets": [{"virtualNode": target, "weight": 1}]},
            }
        }

    allowed = {"NotFoundException", "ConflictException", "ResourceInUseException"}

    def churn_routes(index: int) -> None:
        client, rng = clients[index], random.Random(seed * 100 + index)
        for step in range(40):
            name = f"route-{rng.randrange(6)}"
            try:
                if rng.random() < 0.5:
                    client.create_route(
                        meshName="g", virtualRouterName="r", routeName=name,
                        spec=route_spec(rng.choice(nodes)),
                    )
                elif rng.random() < 0.5:
                    client.update_route(
                        meshName="g", virtualRouterName="r", routeName=name,
                        spec=route_spec(rng.choice(nodes)),
                    )
                else:
                    client.delete_route(meshName="g", virtualRouterName="r", routeName=name)
            except ClientError as error:
                assert _code(error) in allowed, (step, error.response)

    def churn_nodes(index: int) -> None:
        client, rng = clients[index], random.Random(seed * 1000 + index)
        for _ in range(40):
            node = rng.choice(nodes)
            try:
                if rng.random() < 0.5:
                    client.delete_virtual_node(meshName="g", virtualNodeName=node)
                else:
                    client.create_virtual_node(meshName="g", virtualNodeName=node, spec={})
            except ClientError as error:
                assert _code(error) in allowed, error.response

    half = THREADS // 2
    _run_together(
        [lambda i=i: churn_routes(i) for i in range(half)]
        + [lambda i=i: churn_nodes(i) for i in range(half, THREADS)]
    )

    existing = set(_all_nodes(setup, "g"))
    routes = setup.list_routes(meshName="g", virtualRouterName="r")["routes"]
    for ref in routes:
        spec = setup.describe_route(
            meshName="g", virtualRouterName="r", routeName=ref["routeName"]
        )["route"]["spec"]
        for target in spec["httpRoute"]["action"]["weightedTargets"]:
            assert target["virtualNode"] in existing, f"{ref['routeName']} targets a gone node"


def test_routes_loaded_on_first_use_match_for_every_thread() -> None:
    """The 2018-10-01 routes are compiled on the first path the current ones do not match;
    threads arriving while that happens must still route every request."""
    from appmesh_mock.protocol.router import default_router

    paths = [
        ("GET", "/meshes/m/virtualNodes", "ListVirtualNodes", "2018-10-01"),
        ("GET", "/v20190125/meshes/m/virtualNodes", "ListVirtualNodes", "2019-01-25"),
        ("PUT", "/meshes", "CreateMesh", "2018-10-01"),
        ("DELETE", "/v20190125/meshes/m", "DeleteMesh", "2019-01-25"),
    ]
    for _ in range(5):
        router = default_router()

        def route_all(router: Any = router) -> list[tuple[str, str] | None]:
            found = []
            for method, path, _, _ in paths * 20:
                match = router.match(method, path)
                found.append((match.operation, match.api.version) if match else None)
            return found

        results = _run_together([route_all for _ in range(THREADS)])
        expected = [(operation, version) for _, _, operation, version in paths * 20]
        assert all(result == expected for result in results)
