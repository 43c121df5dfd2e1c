"""Per call: each virtual-node operation of both API versions, through boto3, for the floor
(botocore answered by canned bytes), this mock and moto."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import boto3
from botocore.awsrequest import AWSResponse
from common import (
    CURRENT,
    LEGACY,
    NODE_SPECS,
    REGION,
    appmesh_mock_backend,
    best_per_call,
    moto_backend,
    table,
    timed,
    us,
    verdict,
)

OPERATIONS = ("Create", "Describe", "Update", "List", "Delete")
# Targets (issue 13).
FLOOR_RATIO = {CURRENT: 1.15, LEGACY: 1.20}
MOTO_RATIO = 3.0


class Canned:
    """A before-send handler answering every call with fixed bytes: what botocore costs when
    the mock does no work at all."""

    def __init__(self, responses: dict[str, tuple[int, dict[str, str], bytes]]) -> None:
        self.responses = responses

    def __call__(self, request: Any, event_name: str, **_: Any) -> AWSResponse:
        status, headers, body = self.responses[event_name.rsplit(".", 1)[-1]]
        return AWSResponse(request.url, status, headers, _Raw(body))


class CannedParsed:
    """A before-call handler (the level botocore's Stubber answers at) giving the same bytes
    parsed by the client's own parser: botocore's cost with no transport at all, the limit of
    answering in place of the transport as this mock does."""

    def __init__(self, responses: dict[str, tuple[int, dict[str, str], bytes]], client: Any):
        self.responses = responses
        self.parsers = client._endpoint._response_parser_factory

    def __call__(self, model: Any, params: dict[str, Any], **_: Any) -> tuple[Any, Any]:
        status, headers, body = self.responses[model.name]
        http = AWSResponse(params["url"], status, headers, _Raw(body))
        response = {"headers": http.headers, "status_code": status, "body": body,
                    "context": {"operation_name": model.name}}
        parsed = self.parsers.create_parser("rest-json").parse(response, model.output_shape)
        parsed["ResponseMetadata"]["RetryAttempts"] = 0
        return http, parsed


class _Raw:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


class Workload:
    """The five calls on one client. Deletes take victims that `prepare_deletes` made."""

    def __init__(self, client: Any, version: str, names: Iterator[int]) -> None:
        self.client, self.spec, self.names = client, NODE_SPECS[version], names
        self.victims: Iterator[str] = iter(())

    def prepare(self) -> None:
        for mesh in ("bench", "fixed"):
            self.client.create_mesh(meshName=mesh)
        for k in range(10):
            self.client.create_virtual_node(
                meshName="fixed", virtualNodeName=f"node-{k}", spec=self.spec
            )

    def prepare_deletes(self, count: int) -> None:
        names = [f"v{next(self.names)}" for _ in range(count)]
        for name in names:
            self.client.create_virtual_node(meshName="bench", virtualNodeName=name, spec=self.spec)
        self.victims = iter(names)

    def calls(self) -> dict[str, Callable[[], Any]]:
        c = self.client
        return {
            "Create": lambda: c.create_virtual_node(
                meshName="bench", virtualNodeName=f"n{next(self.names)}", spec=self.spec
            ),
            "Describe": lambda: c.describe_virtual_node(meshName="fixed", virtualNodeName="node-5"),
            "Update": lambda: c.update_virtual_node(
                meshName="fixed", virtualNodeName="node-6", spec=self.spec
            ),
            "List": lambda: c.list_virtual_nodes(meshName="fixed", limit=10),
            "Delete": lambda: c.delete_virtual_node(
                meshName="bench", virtualNodeName=next(self.victims)
            ),
        }


def record_bodies(workload: Workload) -> dict[str, tuple[int, dict[str, str], bytes]]:
    """The status, headers and body this mock sends for each call, to replay as the floor."""
    from appmesh_mock.session import RUNTIME

    seen: dict[str, Any] = {}
    original = RUNTIME.dispatcher.handle

    def spy(*args: Any, **kwargs: Any) -> Any:
        response = original(*args, **kwargs)
        seen["last"] = (response.status, dict(response.headers), response.body)
        return response

    RUNTIME.dispatcher.handle = spy  # type: ignore[method-assign]
    try:
        out = {}
        workload.prepare_deletes(1)
        for operation, call in workload.calls().items():
            call()
            out[operation] = seen["last"]
        return {f"{name}VirtualNodes" if name == "List" else f"{name}VirtualNode": v
                for name, v in out.items()}
    finally:
        RUNTIME.dispatcher.handle = original  # type: ignore[method-assign]


def floor_client(canned: Canned, version: str) -> Any:
    """A client that only the canned handler answers, made like the mock's own (inside the
    mock, so with credentials from the environment). botocore emits before-send to every
    handler (the first response wins), so this mock's hooks are taken off this client; and
    a `before-send` handler not botocore's own makes this mock leave the whole transport to
    run (entry/botocore_client.py), as it did for every call before it answered in place."""
    from appmesh_mock.inprocess import botocore_hook as hook

    client = boto3.client("appmesh", region_name=REGION, api_version=version)
    client.meta.events.unregister(hook.EVENT, hook.before_send)
    client.meta.events.unregister(hook.EVENT, unique_id=hook.UNIQUE_ID)
    client.meta.events.register_first("before-send.app-mesh", canned)
    return client


def bare_client(responses: dict[str, tuple[int, dict[str, str], bytes]], version: str) -> Any:
    """A client answered by `CannedParsed` before its transport (and this mock) is reached."""
    client = boto3.client("appmesh", region_name=REGION, api_version=version)
    client.meta.events.register_first("before-call.app-mesh", CannedParsed(responses, client))
    return client


def _measure_mock_and_floor(version: str, calls: int, rounds: int) -> dict[str, dict[str, float]]:
    names = itertools.count()
    out: dict[str, dict[str, float]] = {"floor": {}, "bare": {}, "mock": {}}
    with appmesh_mock_backend(version) as client:
        mine = Workload(client, version, names)
        mine.prepare()
        bodies = record_bodies(mine)
        floor = Workload(floor_client(Canned(bodies), version), version, names)
        floor.victims = itertools.repeat("v")
        bare = Workload(bare_client(bodies, version), version, names)
        bare.victims = itertools.repeat("v")
        runs = {"floor": floor, "bare": bare, "mock": mine}
        # Rounds alternate between the two, so that noise from other processes hits both.
        for _ in range(rounds):
            for op in OPERATIONS:
                for label, workload in runs.items():
                    if op == "Delete" and label == "mock":
                        workload.prepare_deletes(calls)
                    cost = timed(workload.calls()[op], calls)
                    out[label][op] = min(out[label].get(op, cost), cost)
    return out


def _measure_moto(version: str, calls: int, rounds: int) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    with moto_backend(version) as client:
        workload = Workload(client, version, itertools.count())
        try:
            workload.prepare()
        except Exception:  # moto answers only the current API version
            return dict.fromkeys(OPERATIONS)
        for op in OPERATIONS:
            setup = (lambda: workload.prepare_deletes(calls)) if op == "Delete" else None
            out[op] = best_per_call(workload.calls()[op], calls, rounds, setup)
    return out


def per_call(calls: int, rounds: int, with_moto: bool) -> dict[str, Any]:
    results: dict[str, Any] = {}
    rows = []
    for version in (CURRENT, LEGACY):
        measured = _measure_mock_and_floor(version, calls, rounds)
        moto = _measure_moto(version, max(calls // 4, 50), rounds) if with_moto else {}
        results[version] = {**measured, "moto": moto}
        for op in OPERATIONS:
            floor, mine = measured["floor"][op], measured["mock"][op]
            bare = measured["bare"][op]
            ok = mine / floor <= FLOOR_RATIO[version]
            row = [version, f"{op}VirtualNode" + ("s" if op == "List" else ""), us(floor),
                   us(bare), us(mine), f"{mine / floor:.2f}x", f"{mine / bare:.2f}x"]
            if with_moto:
                theirs = moto.get(op)
                if theirs is None:
                    row += ["not answered", ""]
                else:
                    row += [us(theirs), f"{theirs / mine:.2f}x"]
                    ok = ok and theirs / mine >= MOTO_RATIO
            rows.append([*row, verdict(ok)])
    header = ["version", "operation", "floor", "no transport", "this mock", "mock/floor",
              "mock/no transport"]
    if with_moto:
        header += ["moto", "moto/mock"]
    table(
        f"Per call through boto3, CPU per call (best of {rounds} rounds of {calls}; targets: "
        f"mock/floor <= {FLOOR_RATIO[CURRENT]} (2019), <= {FLOOR_RATIO[LEGACY]} (2018)"
        + (f", moto/mock >= {MOTO_RATIO}" if with_moto else "") + ")",
        [*header, "target"],
        rows,
    )
    return results
