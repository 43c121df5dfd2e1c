"""Wire conformance for every operation of both API versions, generated from botocore's models.

(a) botocore's serializer writes a request that our router and parser read back to the same
    input, which our validation accepts; (b) our serializer writes a response that botocore's
    parser reads back to the same output; (c) the strict check accepts every model-valid output
    and rejects each way of breaking one; (d) every error an operation declares goes out with
    the model's status and comes back from botocore with the right code.

Samples come from `model_samples`, which walks the shapes: no request or response is typed here.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from botocore.awsrequest import HeadersDict
from botocore.errorfactory import ClientExceptionsFactory
from botocore.model import ListShape, OperationModel, Shape, StructureShape
from botocore.parsers import create_parser
from model_samples import input_samples, member_paths, output_samples, wire_request, with_datetimes

from appmesh_mock import errors
from appmesh_mock.errors import StrictModeViolation
from appmesh_mock.protocol.models import API_VERSIONS, get_api
from appmesh_mock.protocol.parser import parse_request
from appmesh_mock.protocol.router import default_router
from appmesh_mock.protocol.serializer import HttpResponse, serialize_error, serialize_output
from appmesh_mock.protocol.shapes import check_output
from appmesh_mock.protocol.validation import validate_input

OPERATIONS = [
    pytest.param(version, name, id=f"{version}-{name}")
    for version in API_VERSIONS
    for name in get_api(version).operations
]
ROUTER = default_router()
PARSER = create_parser("rest-json")
ERRORS_BY_CODE = {cls.code: cls for cls in errors.ALL_ERRORS}


def _operation(version: str, name: str) -> OperationModel:
    return get_api(version).operations[name]


def _parse(response: HttpResponse, shape: Shape | None) -> dict[str, Any]:
    """What botocore makes of our bytes (the headers made case-insensitive, as on the wire)."""
    raw = {
        "status_code": response.status,
        "headers": HeadersDict(response.headers),
        "body": response.body,
    }
    return dict(PARSER.parse(raw, shape))


def _used_members(value: Any, shape: Shape, into: set[tuple[str, str]]) -> None:
    if isinstance(shape, StructureShape) and isinstance(value, dict):
        for name, item in value.items():
            into.add((shape.name, name))
            _used_members(item, shape.members[name], into)
    elif isinstance(shape, ListShape) and isinstance(value, list):
        for item in value:
            _used_members(item, shape.member, into)


def _all_members(shape: Shape) -> set[tuple[str, str]]:
    return {
        (sub.name, name)
        for _, sub in member_paths(shape)
        if isinstance(sub, StructureShape)
        for name in sub.members
    }


def test_the_error_classes_are_exactly_the_models_error_shapes() -> None:
    for version in API_VERSIONS:
        declared = {shape.name for shape in get_api(version).model.error_shapes}
        assert declared <= set(ERRORS_BY_CODE), version
    assert set(ERRORS_BY_CODE) == {
        shape.name for shape in get_api(API_VERSIONS[-1]).model.error_shapes
    }


@pytest.mark.parametrize(("version", "name"), OPERATIONS)
def test_samples_use_every_member_of_every_shape(version: str, name: str) -> None:
    operation = _operation(version, name)
    for shape, samples in (
        (operation.input_shape, input_samples(operation)),
        (operation.output_shape, output_samples(operation)),
    ):
        if shape is None:
            continue
        used: set[tuple[str, str]] = set()
        for sample in samples:
            _used_members(sample, shape, used)
        assert _all_members(shape) - used == set()


@pytest.mark.parametrize(("version", "name"), OPERATIONS)
def test_botocore_requests_parse_back_to_the_same_input(version: str, name: str) -> None:
    operation = _operation(version, name)
    for params in input_samples(operation):
        wire = wire_request(operation, params)
        match = ROUTER.match(wire.method, wire.path)
        assert match is not None, f"{wire.method} {wire.path} found no route"
        assert (match.api.version, match.operation) == (version, name)
        parsed = parse_request(operation, match.path_params, wire.query, wire.body)
        assert parsed == params
        # A model-valid input must pass the server-side checks compiled from the same model.
        validate_input(operation.input_shape, copy.deepcopy(parsed))


@pytest.mark.parametrize(("version", "name"), OPERATIONS)
def test_our_responses_parse_back_in_botocore(version: str, name: str) -> None:
    operation = _operation(version, name)
    for output in output_samples(operation):
        response = serialize_output(operation, copy.deepcopy(output))
        assert response.status == 200
        parsed = _parse(response, operation.output_shape)
        metadata = parsed.pop("ResponseMetadata")
        assert metadata["RequestId"] == response.headers["x-amzn-RequestId"]
        assert parsed == with_datetimes(output, operation.output_shape)


# (c) the strict check -------------------------------------------------------------------------

Mutation = tuple[str, dict[str, Any]]


def _mutations(output: dict[str, Any], shape: StructureShape) -> Iterator[Mutation]:
    """Each single way of breaking `output`, at every place it can be broken."""
    places: list[tuple[list[Any], Any, Shape]] = []

    def walk(path: list[Any], value: Any, sub: Shape) -> None:
        places.append((path, value, sub))
        if isinstance(sub, StructureShape):
            for key, item in value.items():
                walk([*path, key], item, sub.members[key])
        elif isinstance(sub, ListShape):
            for index, item in enumerate(value):
                walk([*path, index], item, sub.member)

    walk([], output, shape)

    def changed(path: list[Any], change: Any) -> dict[str, Any]:
        copied = copy.deepcopy(output)
        target: Any = copied
        for key in path[:-1]:
            target = target[key]
        change(target, path[-1])
        return copied

    for path, value, sub in places:
        where = ".".join(map(str, path)) or "output"
        if isinstance(sub, StructureShape):
            copied = copy.deepcopy(output)
            target: Any = copied
            for key in path:
                target = target[key]
            target["notAMember"] = "x"
            yield f"unknown member in {where}", copied
            for required in sub.required_members:
                if required in value:
                    yield (
                        f"missing {where}.{required}",
                        changed([*path, required], lambda t, k: t.pop(k)),
                    )
        if not path:
            continue
        yield f"null {where}", changed(path, lambda t, k: t.__setitem__(k, None))
        if sub.type_name == "timestamp":
            yield (
                f"string timestamp {where}",
                changed(path, lambda t, k: t.__setitem__(k, "2024-01-02T03:04:05Z")),
            )
        if sub.type_name == "string" and sub.enum:
            yield f"bad enum {where}", changed(path, lambda t, k: t.__setitem__(k, "NOPE"))
        if sub.type_name in ("integer", "long", "timestamp"):
            yield f"number as text {where}", changed(path, lambda t, k: t.__setitem__(k, "7"))


@pytest.mark.parametrize(("version", "name"), OPERATIONS)
def test_strict_check_accepts_samples_and_rejects_each_mutation(version: str, name: str) -> None:
    operation = _operation(version, name)
    shape = operation.output_shape
    assert isinstance(shape, StructureShape)
    kinds: set[str] = set()
    for output in output_samples(operation):
        check_output(output, shape)
        for label, broken in _mutations(output, shape):
            with pytest.raises(StrictModeViolation):
                check_output(broken, shape)
            kinds.add(label.split(" ", 1)[0])
    assert "unknown" in kinds
    if shape.members:
        assert "null" in kinds


def test_the_mutations_reach_every_kind_of_break() -> None:
    """A resource output exercises each kind of break the strict check must catch."""
    operation = _operation(API_VERSIONS[-1], "DescribeVirtualNode")
    shape = operation.output_shape
    assert isinstance(shape, StructureShape)
    kinds = {
        label.split(" ", 1)[0]
        for output in output_samples(operation)
        for label, _ in _mutations(output, shape)
    }
    assert kinds == {"unknown", "missing", "null", "string", "bad", "number"}


# (d) errors -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("version", "name"), OPERATIONS)
def test_declared_errors_carry_the_models_status_and_code(version: str, name: str) -> None:
    api = get_api(version)
    operation = _operation(version, name)
    # A fresh factory: botocore caches client exceptions per service name, so a session that
    # made a 2018 client first hands 2019 clients the 2018 set (no TooManyTagsException).
    exceptions = ClientExceptionsFactory().create_client_exceptions(api.model)
    declared = operation.error_shapes
    assert declared, f"{name} declares no errors"
    for shape in declared:
        error = ERRORS_BY_CODE[shape.name](f"{shape.name} from {name}")
        response = serialize_error(api, error)
        assert response.status == shape.metadata["error"]["httpStatusCode"]
        parsed = _parse(response, operation.output_shape)
        assert parsed["Error"]["Code"] == shape.name
        assert parsed["Error"]["Message"] == f"{shape.name} from {name}"
        assert exceptions.from_code(shape.name).__name__ == shape.name


# Interception ---------------------------------------------------------------------------------

def test_each_boto3_call_reaches_the_mock_once_in_every_activation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """botocore emits before-send to every handler, so a hook registered twice would run each
    request twice (a double write, and twice the cost)."""
    import boto3

    from appmesh_mock import mock_appmesh
    from appmesh_mock.session import RUNTIME

    handled: list[str] = []
    original = RUNTIME.dispatcher.handle

    def counting(method: str, path: str, *args: Any, **kwargs: Any) -> HttpResponse:
        handled.append(path)
        return original(method, path, *args, **kwargs)

    monkeypatch.setattr(RUNTIME.dispatcher, "handle", counting)
    for _ in range(3):
        with mock_appmesh():
            boto3.client("appmesh", region_name="us-east-1").list_meshes()
            boto3.session.Session().client("appmesh", region_name="eu-west-1").list_meshes()
    assert handled == ["/v20190125/meshes"] * 6
