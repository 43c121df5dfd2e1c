"""Property-based tests driven by the models: random valid and invalid requests for every
operation of both API versions, and a state machine over the seven resource kinds.

Requests are written by botocore's own serializer and fed to `RUNTIME.dispatcher` (the entry
every front end shares), which is fast enough for volume; a smaller pass goes through boto3
clients with parameter validation off. Every answer must be 200 with a body the output shape
allows, or an error the operation declares with the model's status: never 5xx, never an
exception escaping the mock. After each step the state must stay consistent: refused calls
change nothing, everything listed is describable, and the delete guards hold.

Set APPMESH_MOCK_FUZZ=thorough for a long randomized run; the default profile is small and
derandomized so that the suite stays fast and deterministic.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.model import OperationModel, StructureShape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)
from model_samples import Strategies, WireRequest, wire_request

from appmesh_mock import MockAppMesh
from appmesh_mock.protocol.models import API_VERSIONS, CURRENT_VERSION, LEGACY_VERSION, get_api
from appmesh_mock.protocol.serializer import HttpResponse
from appmesh_mock.protocol.shapes import check_output
from appmesh_mock.session import RUNTIME

settings.register_profile(
    "appmesh-quick",
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "appmesh-thorough",
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile(f"appmesh-{os.environ.get('APPMESH_MOCK_FUZZ', 'quick')}")

ACCOUNT = "123456789012"
NAMES = st.sampled_from(["a", "b"])
# Valid client tokens from a small pool, so that replays and reuse with another body happen.
TOKENS = st.sampled_from(["token-1", "token-2", "token-3"])
STRATEGIES = {
    "names": Strategies(NAMES, lean=2, members={"clientToken": TOKENS}),
    "free": Strategies(),
}
OPERATIONS = [
    pytest.param(version, name, id=f"{version}-{name}")
    for version in API_VERSIONS
    for name in get_api(version).operations
]


# Talking to the mock ----------------------------------------------------------------------------

@dataclass
class Answer:
    status: int
    code: str | None
    document: Any


def _declared(operation: OperationModel) -> set[str]:
    return {shape.name for shape in operation.error_shapes}


def check_answer(operation: OperationModel, response: HttpResponse) -> Answer:
    """200 with a body its output shape allows, or an error the operation declares."""
    assert response.status < 500, response
    document = json.loads(response.body) if response.body else {}
    if response.status == 200:
        shape = operation.output_shape
        assert isinstance(shape, StructureShape)
        payload = shape.serialization.get("payload")
        check_output(document, shape.members[payload] if payload else shape)
        return Answer(200, None, document)
    code = response.headers.get("x-amzn-ErrorType")
    assert code in _declared(operation), (operation.name, code, response.body)
    status = next(s for s in operation.error_shapes if s.name == code).metadata["error"]
    assert response.status == status["httpStatusCode"]
    assert set(document) == {"message"} and isinstance(document["message"], str)
    return Answer(response.status, code, document)


def dispatch(wire: WireRequest) -> HttpResponse:
    return RUNTIME.dispatcher.handle(
        wire.method, wire.path, wire.query, wire.headers, wire.body, wire.host
    )


def send(version: str, name: str, params: dict[str, Any]) -> Answer:
    operation = get_api(version).operations[name]
    return check_answer(operation, dispatch(wire_request(operation, params)))


def send_wire(version: str, name: str, wire: WireRequest) -> Answer:
    """A possibly mangled request: the declared errors are those of whatever it routes to."""
    match = RUNTIME.dispatcher.router.match(wire.method, wire.path) if _decodes(wire) else None
    response = dispatch(wire)
    if match is None:
        operation = get_api(version).operations[name]
        answer = check_answer(operation, response)
        assert answer.code == "BadRequestException"
        return answer
    return check_answer(match.api.operations[match.operation], response)


def _decodes(wire: WireRequest) -> bool:
    try:
        RUNTIME.dispatcher.router.match(wire.method, wire.path)
    except UnicodeDecodeError:
        return False
    return True


# The state, flattened ---------------------------------------------------------------------------

Key = tuple[str, str, str, str]  # kind, mesh, parent (router or gateway) or "", name
_CHILD_LISTS = {"virtualRouters": "routes", "virtualGateways": "gatewayRoutes"}
_KIND_OF_LIST = {
    "virtualNodes": "virtualNode",
    "virtualRouters": "virtualRouter",
    "virtualServices": "virtualService",
    "virtualGateways": "virtualGateway",
    "routes": "route",
    "gatewayRoutes": "gatewayRoute",
}


def flat_state() -> dict[Key, dict[str, Any]]:
    """Every resource of the default account, keyed by identity, without its children."""
    out: dict[Key, dict[str, Any]] = {}
    meshes = MockAppMesh().snapshot(ACCOUNT)["meshes"]
    for mesh_name, mesh in meshes.items():
        out[("mesh", mesh_name, "", mesh_name)] = {
            k: v for k, v in mesh.items() if k not in _KIND_OF_LIST
        }
        for list_name, kind in _KIND_OF_LIST.items():
            for name, item in mesh.get(list_name, {}).items():
                child_list = _CHILD_LISTS.get(list_name)
                out[(kind, mesh_name, "", name)] = {
                    k: v for k, v in item.items() if k != child_list
                }
                if child_list:
                    for child_name, child in item.get(child_list, {}).items():
                        out[(_KIND_OF_LIST[child_list], mesh_name, name, child_name)] = child
    return out


_OP = re.compile(r"(Create|Describe|Update|Delete|List)(\w+?)s?$")


def _target(name: str, params: dict[str, Any]) -> tuple[str, Key] | None:
    """(verb, key) of a single-resource operation, from its name and input."""
    found = _OP.fullmatch(name)
    if found is None or found.group(1) == "List":
        return None
    kind = found.group(2)[0].lower() + found.group(2)[1:]
    mesh = params.get("meshName", "")
    parent = params.get("virtualRouterName" if kind == "route" else "virtualGatewayName", "")
    if kind not in ("route", "gatewayRoute"):
        parent = ""
    return found.group(1), (kind, mesh, parent, params.get(f"{kind}Name", mesh))


def check_transition(
    name: str,
    params: dict[str, Any],
    answer: Answer,
    before: dict[Key, dict[str, Any]],
    after: dict[Key, dict[str, Any]],
) -> None:
    """A refused call changed nothing; a successful one changed exactly what it names."""
    if answer.status != 200 or params.get("meshOwner", ACCOUNT) != ACCOUNT:
        assert after == before, f"{name} answered {answer.code} but changed the state"
        return
    target = _target(name, params)
    if name in ("TagResource", "UntagResource"):
        changed = {k for k in before if before[k] != after.get(k)}
        assert after.keys() == before.keys()
        assert all(before[k]["arn"] == params["resourceArn"] for k in changed)
        assert all(
            {**before[k], "tags": None} == {**after[k], "tags": None} for k in changed
        )
        return
    if target is None or target[0] == "Describe":
        assert after == before, f"{name} is a read but changed the state"
        return
    verb, key = target
    others_before = {k: v for k, v in before.items() if k != key}
    others_after = {k: v for k, v in after.items() if k != key}
    assert others_after == others_before, f"{name} {key} changed other resources"
    if verb == "Create":
        assert key in after
        # A replayed clientToken answers the stored result and changes nothing.
        assert key not in before or after[key] == before[key]
        assert after[key]["version"] == 1 or key in before
    elif verb == "Update":
        assert key in before and key in after
        assert after[key]["version"] in (before[key]["version"], before[key]["version"] + 1)
        assert after[key]["uid"] == before[key]["uid"]
    elif verb == "Delete":
        assert key in before and key not in after


# Consistency of what the API shows --------------------------------------------------------------

_LISTS = [
    # (list operation, output member, kind, parent kind or None)
    ("ListVirtualNodes", "virtualNodes", "virtualNode", None),
    ("ListVirtualRouters", "virtualRouters", "virtualRouter", None),
    ("ListVirtualServices", "virtualServices", "virtualService", None),
    ("ListVirtualGateways", "virtualGateways", "virtualGateway", None),
    ("ListRoutes", "routes", "route", "virtualRouter"),
    ("ListGatewayRoutes", "gatewayRoutes", "gatewayRoute", "virtualGateway"),
]


def list_all(version: str, name: str, member: str, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a listing, following nextToken with small pages."""
    items: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        page = {**params, "limit": 2, **({"nextToken": token} if token else {})}
        answer = send(version, name, page)
        assert answer.status == 200, answer
        items.extend(answer.document[member])
        token = answer.document.get("nextToken")
        if not token:
            return items


def check_consistency(state: dict[Key, dict[str, Any]]) -> None:
    """Through each API version: listings show exactly what is stored and every listed item
    describes with the stored version; through the current one, no reference dangles."""
    for version in API_VERSIONS:
        ops = get_api(version).operations
        shown: set[Key] = set()
        described: dict[Key, dict[str, Any]] = {}
        for ref in list_all(version, "ListMeshes", "meshes", {}):
            mesh = ref["meshName"]
            shown.add(("mesh", mesh, "", mesh))
            for list_op, member, kind, parent_kind in _LISTS:
                if list_op not in ops:
                    continue
                parents = [""]
                if parent_kind is not None:
                    parents = [k[3] for k in shown if k[0] == parent_kind and k[1] == mesh]
                for parent in parents:
                    params: dict[str, Any] = {"meshName": mesh}
                    if parent_kind is not None:
                        params[f"{parent_kind}Name"] = parent
                    for item in list_all(version, list_op, member, params):
                        shown.add((kind, mesh, parent, item[f"{kind}Name"]))
        visible = {k for k in state if f"Describe{k[0][0].upper()}{k[0][1:]}" in ops}
        assert shown == visible, f"{version}: listed {shown ^ visible} differently from stored"
        for key in shown:
            kind, mesh, parent, name = key
            title = kind[0].upper() + kind[1:]
            params = {"meshName": mesh}
            if kind != "mesh":
                params[f"{kind}Name"] = name
            if parent:
                params["virtualRouterName" if kind == "route" else "virtualGatewayName"] = parent
            answer = send(version, f"Describe{title}", params)
            assert answer.status == 200, (key, answer)
            assert answer.document["metadata"]["version"] == state[key]["version"]
            described[key] = answer.document
        if version == CURRENT_VERSION:
            check_references(described)


def check_references(described: dict[Key, dict[str, Any]]) -> None:
    """No route targets a missing node, no service has a missing provider, no gateway route
    targets a missing service."""
    for (kind, mesh, _, name), item in described.items():
        spec = item.get("spec") or {}
        if kind == "route":
            for route_kind in ("httpRoute", "http2Route", "grpcRoute", "tcpRoute"):
                for target in spec.get(route_kind, {}).get("action", {}).get(
                    "weightedTargets", []
                ):
                    assert ("virtualNode", mesh, "", target["virtualNode"]) in described, name
        elif kind == "virtualService":
            for provider_kind, found in (spec.get("provider") or {}).items():
                key = (provider_kind, mesh, "", found[f"{provider_kind}Name"])
                assert key in described, name
        elif kind == "gatewayRoute":
            for route_kind in ("httpRoute", "http2Route", "grpcRoute"):
                target = spec.get(route_kind, {}).get("action", {}).get("target", {})
                service = target.get("virtualService", {}).get("virtualServiceName")
                if service is not None:
                    assert ("virtualService", mesh, "", service) in described, name


# A small world the random requests can hit (names from the same pool as theirs) ------------------

def populate() -> None:
    current = CURRENT_VERSION
    http = [{"portMapping": {"port": 8080, "protocol": "http"}}]
    target = {"weightedTargets": [{"virtualNode": "a", "weight": 1}]}
    steps: list[tuple[str, dict[str, Any]]] = [
        ("CreateMesh", {"meshName": "a"}),
        ("CreateVirtualNode", {"meshName": "a", "virtualNodeName": "a", "spec": {}}),
        ("CreateVirtualRouter", {
            "meshName": "a", "virtualRouterName": "a", "spec": {"listeners": http},
        }),
        ("CreateRoute", {
            "meshName": "a", "virtualRouterName": "a", "routeName": "a",
            "spec": {"httpRoute": {"match": {"prefix": "/"}, "action": target}},
        }),
        ("CreateVirtualService", {
            "meshName": "a", "virtualServiceName": "a",
            "spec": {"provider": {"virtualRouter": {"virtualRouterName": "a"}}},
        }),
        ("CreateVirtualGateway", {
            "meshName": "a", "virtualGatewayName": "a", "spec": {"listeners": http},
        }),
        ("CreateGatewayRoute", {
            "meshName": "a", "virtualGatewayName": "a", "gatewayRouteName": "a",
            "spec": {"httpRoute": {
                "match": {"prefix": "/"},
                "action": {"target": {"virtualService": {"virtualServiceName": "a"}}},
            }},
        }),
    ]
    for name, params in steps:
        assert send(current, name, params).status == 200, name


# Mangling requests ------------------------------------------------------------------------------

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=300),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


def _places(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _places(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _places(item, (*path, index))


@st.composite
def mangled(draw: st.DrawFn, wire: WireRequest) -> WireRequest:
    """`wire` broken in one random way: body, query or path."""
    how = draw(st.sampled_from(["body-value", "body-member", "body-bytes", "query", "path"]))
    body, query, path = wire.body, wire.query, wire.path
    if how in ("body-value", "body-member") and body:
        document = json.loads(body)
        place = draw(st.sampled_from(list(_places(document))))
        if how == "body-value" and place:
            target = document
            for key in place[:-1]:
                target = target[key]
            target[place[-1]] = draw(JUNK)
        else:
            target = document
            for key in place:
                target = target[key]
            if isinstance(target, dict):
                target[draw(st.text(min_size=1, max_size=8))] = draw(JUNK)
        body = json.dumps(document).encode()
    elif how in ("body-value", "body-member", "body-bytes"):
        body = draw(st.one_of(
            st.binary(max_size=40),
            st.sampled_from([b"[]", b"null", b"1", b'"x"', b"{", b"\xff\xfe", b'{"a":1}']),
        ))
    elif how == "query":
        key = draw(st.sampled_from(["limit", "nextToken", "meshOwner", "resourceArn", "x"]))
        value = draw(st.one_of(
            st.text(max_size=20), st.integers().map(str), st.sampled_from(["%FF", "%", "0"])
        ))
        extra = f"{key}={value}"
        query = f"{query}&{extra}" if query else extra
    else:
        segments = path.split("/")
        index = draw(st.integers(1, len(segments) - 1)) if len(segments) > 1 else 0
        segments[index] = draw(st.one_of(
            st.text(min_size=1, max_size=300).filter(lambda s: "/" not in s),
            st.sampled_from(["%FF", "%2F", "%", "..", "%00", "a%20b"]),
        ))
        path = "/".join(segments)
    return WireRequest(wire.method, path, query, wire.headers, body, wire.host)


# Stateless properties, every operation ----------------------------------------------------------

@pytest.mark.parametrize(("version", "name"), OPERATIONS)
@PROFILE
@given(data=st.data())
def test_valid_requests_answer_as_declared(version: str, name: str, data: st.DataObject) -> None:
    operation = get_api(version).operations[name]
    params = data.draw(STRATEGIES["names"](operation.input_shape), label="input")
    with MockAppMesh():
        populate()
        before = flat_state()
        answer = send(version, name, params)
        after = flat_state()
        check_transition(name, params, answer, before, after)
        check_consistency(after)


@pytest.mark.parametrize(("version", "name"), OPERATIONS)
@PROFILE
@given(data=st.data())
def test_mangled_requests_are_refused_cleanly(
    version: str, name: str, data: st.DataObject
) -> None:
    operation = get_api(version).operations[name]
    params = data.draw(STRATEGIES["names"](operation.input_shape), label="input")
    wire = data.draw(mangled(wire_request(operation, params)), label="wire")
    with MockAppMesh():
        populate()
        before = flat_state()
        answer = send_wire(version, name, wire)
        after = flat_state()
        if answer.status != 200:
            assert after == before, "a refused request changed the state"
        check_consistency(after)


# The same through boto3, as users call it ------------------------------------------------------

def _client(version: str) -> Any:
    return boto3.client(
        "appmesh",
        region_name="us-east-1",
        api_version=version,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="secret",
        config=Config(parameter_validation=False, retries={"total_max_attempts": 1}),
    )


_BREAK_VALUE = st.one_of(
    st.text(min_size=256, max_size=300),
    st.sampled_from(["", "NOT_AN_ENUM", "x" * 1100]),
    st.integers(min_value=-(2**40), max_value=-1),
    st.integers(min_value=2**31, max_value=2**40),
)


@st.composite
def broken_params(draw: st.DrawFn, params: dict[str, Any]) -> dict[str, Any]:
    """`params` with one scalar replaced by an out-of-range value botocore still sends."""
    places = [p for p in _places(params) if p and not isinstance(_at(params, p), (dict, list))]
    if not places:
        return params
    place = draw(st.sampled_from(places))
    current = _at(params, place)
    replacement: Any = draw(_BREAK_VALUE)
    if isinstance(current, str) and not isinstance(replacement, str):
        replacement = str(replacement)
    if isinstance(current, int) and not isinstance(replacement, int):
        replacement = -1
    target = params
    for key in place[:-1]:
        target = target[key]
    target[place[-1]] = replacement
    return params


def _at(value: Any, place: tuple[Any, ...]) -> Any:
    for key in place:
        value = value[key]
    return value


@pytest.mark.parametrize("version", API_VERSIONS)
@settings(PROFILE, max_examples=40)
@given(data=st.data())
def test_boto3_calls_with_validation_off_answer_as_declared(
    version: str, data: st.DataObject
) -> None:
    api = get_api(version)
    name = data.draw(st.sampled_from(sorted(api.operations)), label="operation")
    operation = api.operations[name]
    params = data.draw(STRATEGIES["names"](operation.input_shape), label="input")
    if data.draw(st.booleans(), label="break"):
        params = data.draw(broken_params(params), label="broken")
    with MockAppMesh() as mock:
        client = _client(version)
        populate()
        before = mock.snapshot()
        method = getattr(client, _snake(name))
        try:
            method(**params)
        except ClientError as error:
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            assert status < 500, error.response
            assert error.response["Error"]["Code"] in _declared(operation)
            assert mock.snapshot() == before
        check_consistency(flat_state())


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


# A state machine over create, update, delete (and the rest) of all seven kinds ------------------

_CREATE = [(v, n) for v in API_VERSIONS for n in get_api(v).operations if n.startswith("Create")]
_UPDATE = [(v, n) for v in API_VERSIONS for n in get_api(v).operations if n.startswith("Update")]
_DELETE = [(v, n) for v in API_VERSIONS for n in get_api(v).operations if n.startswith("Delete")]
_OTHER = [
    (v, n)
    for v in API_VERSIONS
    for n in get_api(v).operations
    if not n.startswith(("Create", "Update", "Delete"))
]


class AppMeshMachine(RuleBasedStateMachine):
    """Random sequences of model-valid calls (names from a pool of two, so that references
    resolve) and of surely-invalid ones; each step must be a clean transition and leave a
    consistent state."""

    def __init__(self) -> None:
        super().__init__()
        self.mock = MockAppMesh().start()
        self.successes = 0

    def teardown(self) -> None:
        self.mock.stop()

    @initialize()
    def make_a_world(self) -> None:
        populate()
        assert send(LEGACY_VERSION, "CreateMesh", {"meshName": "b"}).status == 200

    def _call(self, data: st.DataObject, choices: list[tuple[str, str]]) -> None:
        version, name = data.draw(st.sampled_from(choices), label="operation")
        operation = get_api(version).operations[name]
        params = data.draw(STRATEGIES["names"](operation.input_shape), label="input")
        if data.draw(st.integers(0, 9), label="owner") and "meshOwner" in params:
            del params["meshOwner"]  # mostly the caller's own meshes
        before = flat_state()
        answer = send(version, name, params)
        check_transition(name, params, answer, before, flat_state())
        self.successes += answer.status == 200

    @rule(data=st.data())
    def create(self, data: st.DataObject) -> None:
        self._call(data, _CREATE)

    @rule(data=st.data())
    def update(self, data: st.DataObject) -> None:
        self._call(data, _UPDATE)

    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        self._call(data, _DELETE)

    @rule(data=st.data())
    def read_or_tag(self, data: st.DataObject) -> None:
        self._call(data, _OTHER)

    @rule(data=st.data())
    def tag_something_that_exists(self, data: st.DataObject) -> None:
        state = flat_state()
        if not state:
            return
        arn = data.draw(st.sampled_from(sorted(v["arn"] for v in state.values())), label="arn")
        tags = data.draw(STRATEGIES["free"](get_api(CURRENT_VERSION).shape("TagList")))
        params = {"resourceArn": arn, "tags": tags}
        answer = send(CURRENT_VERSION, "TagResource", params)
        check_transition("TagResource", params, answer, state, flat_state())

    @rule(data=st.data())
    def mangled_request(self, data: st.DataObject) -> None:
        version, name = data.draw(st.sampled_from(_CREATE + _UPDATE + _DELETE), label="op")
        operation = get_api(version).operations[name]
        params = data.draw(STRATEGIES["names"](operation.input_shape), label="input")
        wire = data.draw(mangled(wire_request(operation, params)), label="wire")
        before = flat_state()
        answer = send_wire(version, name, wire)
        if answer.status != 200:
            assert flat_state() == before

    @invariant()
    def consistent(self) -> None:
        check_consistency(flat_state())


AppMeshMachine.TestCase.settings = settings(
    PROFILE, max_examples=PROFILE.max_examples * 2, stateful_step_count=25
)
TestAppMeshMachine = pytest.mark.slow(AppMeshMachine.TestCase)
