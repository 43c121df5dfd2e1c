"""Each recorded AWS CLI example (../shared/aws-cli-examples/*.rst beside the clone, the real
service's answers from 2019 and 2022) runs through the AWS CLI v1 against `appmesh-mock serve`,
and our output matches the recorded one: every recorded key, the recorded types, and every
value that depends neither on time nor on the uid (the account and region are the
recording's, so ARNs are compared whole).

Before each command the mock is given what the recording implies existed: the mesh, parents,
referenced nodes and services, and for describe, update, delete and list the resource itself
at the recorded version. The test skips only when the recordings folder is absent; a missing
AWS CLI skips outside CI and fails under CI, like the other client tests.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aws_cli_session import AwsCli
from recorded_examples import Example, differences, read_examples
from server_process import ServerProcess
from test_server_clients import AWS_CLI, require

RECORDINGS = Path(__file__).resolve().parents[1].parent / "shared" / "aws-cli-examples"
EXAMPLES = read_examples(RECORDINGS) if RECORDINGS.is_dir() else []

# Where a recording departs from what the service does, by hand edit (the folder's README
# warns of these). Each must still occur, so the list cannot go stale.
HAND_EDITED: dict[str, dict[str, str]] = {
    "create-route.rst#1": {
        "route.spec.grpcRoute.match.metadata[0].name":
            "input myMetadata, output mymetadata; the provider's grpc route test reads back "
            "X-Testing1 from AWS unchanged, so the service keeps the case",
    },
    "create-virtual-service.rst#1": {
        "virtualService.metadata.version":
            "2 on a create (its lastUpdatedAt is later than its createdAt too): the output was "
            "taken after an update",
    },
    "list-routes.rst#1": {
        "routes[0].arn": "the ARN names route toVnServiceB, the entry toVnServiceB-weighted",
    },
}

# noun on the command line -> (kind, boto3 operation suffix, name member)
NOUNS: dict[str, tuple[str, str, str]] = {
    "mesh": ("mesh", "mesh", "meshName"),
    "virtual-node": ("virtualNode", "virtual_node", "virtualNodeName"),
    "virtual-router": ("virtualRouter", "virtual_router", "virtualRouterName"),
    "virtual-service": ("virtualService", "virtual_service", "virtualServiceName"),
    "virtual-gateway": ("virtualGateway", "virtual_gateway", "virtualGatewayName"),
    "route": ("route", "route", "routeName"),
    "gateway-route": ("gatewayRoute", "gateway_route", "gatewayRouteName"),
}
BY_KIND = {kind: (noun, suffix, member) for noun, (kind, suffix, member) in NOUNS.items()}
PLURALS = {"meshes": "mesh", "virtual-nodes": "virtual-node", "virtual-routers": "virtual-router",
           "virtual-services": "virtual-service", "routes": "route"}
PARENTS = {"route": "virtualRouter", "gatewayRoute": "virtualGateway"}
TARGET = "recorded-target"
MINIMAL: dict[str, dict[str, Any]] = {
    "virtualGateway": {"listeners": [{"portMapping": {"port": 8080, "protocol": "http"}}]},
    "route": {"httpRoute": {"match": {"prefix": "/"},
                            "action": {"weightedTargets": [{"virtualNode": TARGET, "weight": 1}]}}},
}


class World:
    """Creates, through boto3 against the server, what an example needs to exist."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.made: set[tuple[str, ...]] = set()

    def ensure(self, kind: str, data: dict[str, Any], version: int = 1) -> None:
        _, suffix, member = BY_KIND[kind]
        mesh = data["meshName"]
        names = {"meshName": mesh}
        if kind in PARENTS:
            parent_member = BY_KIND[PARENTS[kind]][2]
            self.ensure(PARENTS[kind], {"meshName": mesh, parent_member: data[parent_member]})
            names[parent_member] = data[parent_member]
        elif kind != "mesh":
            self.ensure("mesh", {"meshName": mesh})
        names[member] = data[member]
        key = (kind, *names.values())
        if key in self.made:
            return
        spec = data.get("spec", MINIMAL.get(kind, {}))
        self.references(kind, mesh, spec)
        extra = {"tags": data["tags"]} if data.get("tags") else {}
        getattr(self.client, f"create_{suffix}")(**names, spec=spec, **extra)
        for _ in range(version - 1):
            getattr(self.client, f"update_{suffix}")(**names, spec=spec)
        self.made.add(key)

    def references(self, kind: str, mesh: str, spec: dict[str, Any]) -> None:
        bodies = [body for body in spec.values() if isinstance(body, dict)]
        for body in bodies if kind == "route" else ():
            for target in body["action"]["weightedTargets"]:
                node = {"meshName": mesh, "virtualNodeName": target["virtualNode"]}
                self.ensure("virtualNode", node)
        for provider, chosen in (spec.get("provider") or {}).items():
            self.ensure(provider, {"meshName": mesh, **chosen})


def prepare(world: World, example: Example) -> None:
    verb, noun = example.operation.split("-", 1)
    request, output = example.request(), example.output
    if noun in PLURALS:  # a listing: each listed item exists
        kind = NOUNS[PLURALS[noun]][0]
        for item in next(iter(output.values())):
            world.ensure(kind, item)
    elif noun == "tags-for-resource" or noun == "resource":
        mesh = request["resourceArn"].rsplit("/", 1)[-1]
        tags = output["tags"] if output else [{"key": "key1", "value": "value1"}]
        world.ensure("mesh", {"meshName": mesh, "tags": tags if verb != "tag" else []})
    elif verb == "create":
        kind = NOUNS[noun][0]
        if kind != "mesh":
            names = {k: v for k, v in request.items() if k.endswith("Name")}
            world.ensure(PARENTS.get(kind, "mesh"), names)
            world.references(kind, request["meshName"], request.get("spec", {}))
    else:  # describe, update, delete: the resource as recorded, at the version before the call
        kind = NOUNS[noun][0]
        recorded = output[kind]
        # An update, and a delete of anything but a mesh, add one (appmesh-behaviour.md §5.2).
        bumps = verb == "update" or (verb == "delete" and kind != "mesh")
        world.ensure(kind, recorded, recorded["metadata"]["version"] - bumps)


@pytest.fixture(scope="module")
def cli(
    session_server: ServerProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[AwsCli]:
    require(AWS_CLI.exists(), f"the AWS CLI is not installed at {AWS_CLI}")
    session = AwsCli(session_server.url, tmp_path_factory.mktemp("cli-home"), "123456789012")
    yield session
    session.close()


@pytest.fixture(scope="module")
def clients(session_server: ServerProcess) -> dict[tuple[str, str], Any]:
    """boto3 clients by (account, region), made once: making one costs a tenth of a second."""
    return {}


def cases() -> list[Any]:
    if not EXAMPLES:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{RECORDINGS} is absent"))]
    return [pytest.param(example, id=example.name) for example in EXAMPLES]


@pytest.mark.parametrize("example", cases())
def test_a_recorded_example_gives_the_recorded_answer(
    example: Example,
    cli: AwsCli,
    clients: dict[tuple[str, str], Any],
    session_server: ServerProcess,
    tmp_path: Path,
) -> None:
    session_server.reset()
    region, account = example.place()
    if (account, region) not in clients:
        clients[account, region] = session_server.client(account, region)
    client = clients[account, region]
    prepare(World(client), example)

    argv = list(example.argv)
    for name, contents in example.files.items():
        (tmp_path / name).write_text(contents)
        argv = [f"file://{tmp_path / name}" if word == f"file://{name}" else word for word in argv]
    answer = cli.run("--region", region, "appmesh", *argv)
    assert answer["rc"] == 0, answer["stderr"]

    if example.output is None:  # tag-resource, untag-resource: check the effect instead
        assert answer["stdout"].strip() == ""
        arn = example.request()["resourceArn"]
        keys = {tag["key"] for tag in client.list_tags_for_resource(resourceArn=arn)["tags"]}
        assert ("key1" in keys) == (example.operation == "tag-resource")
        return
    found = differences(example.output, json.loads(answer["stdout"]))
    known = HAND_EDITED.get(example.name, {})
    assert [d for d in found if d.split(":", 1)[0] not in known] == []
    assert {d.split(":", 1)[0] for d in found} >= set(known), "a listed hand edit no longer shows"


def test_every_recorded_example_was_read() -> None:
    if not EXAMPLES:
        pytest.skip(f"{RECORDINGS} is absent")
    commands = sum(
        line.lstrip().startswith("aws appmesh")
        for path in RECORDINGS.glob("*.rst")
        for line in path.read_text("utf-8").splitlines()
    )
    assert len(EXAMPLES) == commands
    assert all(example.output is not None for example in EXAMPLES
               if example.operation not in ("tag-resource", "untag-resource"))


def test_the_comparison_notices_a_changed_value_type_or_key() -> None:
    recorded = {"mesh": {"meshName": "a", "metadata": {"version": 1, "uid": "x", "createdAt": 1},
                         "spec": {}, "status": {"status": "ACTIVE"}}}
    ours = json.loads(json.dumps(recorded))
    ours["mesh"]["metadata"].update(uid="another", createdAt=2.5, meshOwner="123456789012")
    assert differences(recorded, ours) == []  # time, uid and newer members do not count
    ours["mesh"]["metadata"]["version"] = "1"
    ours["mesh"]["status"]["status"] = "DELETED"
    del ours["mesh"]["spec"]
    assert differences(recorded, ours) == [
        "mesh.metadata.version: '1' instead of 1",
        "mesh.spec: missing",
        "mesh.status.status: 'DELETED' instead of 'ACTIVE'",
    ]
