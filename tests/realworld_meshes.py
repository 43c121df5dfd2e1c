"""The real-world App Mesh configurations (../shared/realworld-meshes/*.json beside the clone:
35 deployed configurations as the API calls they made, and the routing outcomes their sources
document). Reading them, and replaying one through any client: each call must be accepted,
its answer and the Describe after it must contain what was sent, and each documented outcome
must hold with `resolve`.

A replay is written once for two clients: `Client` is the small interface both boto3 (in
process) and the AWS CLI (against `appmesh-mock serve`) offer here."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from botocore.session import get_session
from recorded_examples import differences

from appmesh_mock import resolve

FOLDER = Path(__file__).resolve().parents[1].parent / "shared" / "realworld-meshes"
CURRENT = "2019-01-25"
NOT_ECHOED = ("clientToken", "tags", "meshOwner")  # tags are read back with ListTagsForResource


class Failed(Exception):
    """A call the mock refused: its error code and message."""


class Client(Protocol):
    def call(self, operation: str, params: dict[str, Any]) -> dict[str, Any]:
        """The operation's parsed output; raises Failed when refused."""
        ...


@dataclass
class MeshFile:
    name: str
    api_version: str
    calls: list[dict[str, Any]]
    expect: list[dict[str, Any]] = field(default_factory=list)


def read_files(folder: Path = FOLDER) -> list[MeshFile]:
    found = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        found.append(MeshFile(path.name, data.get("apiVersion", CURRENT), data["calls"],
                              data.get("expect", [])))
    return found


@cache
def _operation(api_version: str, name: str) -> Any:
    return get_session().get_service_model("appmesh", api_version).operation_model(name)


def _describe(api_version: str, call: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The Describe call that reads back what `call` wrote (None for a tag call)."""
    kind = call["operation"].removeprefix("Create").removeprefix("Update").removeprefix("Delete")
    if kind == call["operation"]:
        return None
    describe = f"Describe{kind}"
    members = _operation(api_version, describe).input_shape.members
    return describe, {k: v for k, v in call["params"].items() if k in members}


def replay(
    mesh_file: MeshFile,
    client: Client,
    document: Callable[[], dict[str, Any]],
    reader: Client | None = None,
    region: str | None = None,
) -> list[str]:
    """Every departure from what AWS did with `mesh_file`'s calls, as readable lines (none
    when the mock accepted, echoed and routed all of it as documented). `client` makes the
    calls; `reader` (by default the same) reads each result back with Describe; `region`
    picks the mesh in the state document when several regions hold one of that name."""
    problems: list[str] = []
    checks: dict[int, list[dict[str, Any]]] = {}
    for expect in mesh_file.expect:
        checks.setdefault(expect.get("after", len(mesh_file.calls) - 1), []).append(expect)
    for index, call in enumerate(mesh_file.calls):
        where = f"{mesh_file.name} call {index} {call['operation']}"
        problems += _replay_call(mesh_file.api_version, call, client, reader or client, where)
        for expect in checks.get(index, ()):
            mesh = call["params"]["meshName"]
            found = outcome(document(), mesh, expect, region)
            problems += [f"{where}: {p}" for p in found]
    return problems


def _replay_call(
    api_version: str, call: dict[str, Any], client: Client, reader: Client, where: str
) -> list[str]:
    operation, params = call["operation"], call["params"]
    try:
        answer = client.call(operation, params)
    except Failed as refused:
        return [f"{where}: refused: {refused}"]
    sent = {k: v for k, v in params.items() if k not in NOT_ECHOED}
    (key,) = _operation(api_version, operation).output_shape.members
    found = [f"{where}: answer {d}" for d in differences(sent, answer[key])]
    described = _describe(api_version, call)
    if described is not None:
        try:
            body = reader.call(*described)[key]
        except Failed as missing:
            gone = operation.startswith("Delete") and "NotFoundException" in str(missing)
            return found + ([] if gone else [f"{where}: Describe refused: {missing}"])
        if operation.startswith("Delete"):
            return [*found, f"{where}: still described after the delete"]
        found += [f"{where}: Describe {d}" for d in differences(sent, body)]
        if params.get("tags"):
            arn = body["metadata"]["arn"]
            tags = reader.call("ListTagsForResource", {"resourceArn": arn})["tags"]
            found += [f"{where}: tags {d}" for d in differences(params["tags"], tags)]
    return found


def outcome(
    document: dict[str, Any], mesh: str, expect: dict[str, Any], region: str | None = None
) -> list[str]:
    """Whether `resolve` sends the documented request where the source says: the virtual
    nodes (with the port, where the source names one) that receive a share of the traffic."""
    result = resolve(document, mesh, region=region, **expect["request"])
    with_port = any(":" in target for target in expect["targets"])
    got = sorted(
        f"{t.virtual_node}:{t.port}" if with_port else t.virtual_node
        for t in result.targets
        if t.share > 0
    )
    if result.matched and got == sorted(expect["targets"]):
        return []
    return [f"{expect['doc']}: expected {expect['targets']}, resolve gave {got} "
            f"({result.reason or 'matched'})"]
