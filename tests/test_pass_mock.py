"""`pass_mock`: the active mock goes to the parameter named `appmesh_mock` (or the one named by
`pass_mock="m"`), beside pytest fixtures, positional and keyword arguments, `self` and in
coroutines; pytest never resolves that parameter as a fixture."""

from __future__ import annotations

import inspect
import unittest
from pathlib import Path
from typing import Any

import boto3
import pytest

from appmesh_mock import MockAppMesh, mock_appmesh


def create_mesh(name: str, region: str = "us-east-1") -> str:
    created = boto3.client("appmesh", region_name=region).create_mesh(meshName=name)
    return str(created["mesh"]["metadata"]["arn"])


def assert_active(mock: MockAppMesh, name: str = "handed") -> None:
    """`mock` is the activation answering this test's calls (not a second, idle one)."""
    assert isinstance(mock, MockAppMesh)
    create_mesh(name)
    assert mock.calls.operations == ["CreateMesh"]
    assert list(mock.snapshot()["meshes"]) == [name]


@mock_appmesh(pass_mock=True)
def test_beside_fixtures(
    tmp_path: Path,
    appmesh_mock: MockAppMesh,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    assert tmp_path.is_dir()
    monkeypatch.setenv("APPMESH_PASS_MOCK_PROBE", "1")
    assert request.node.name == "test_beside_fixtures"
    assert_active(appmesh_mock)


@mock_appmesh(pass_mock="m")
def test_a_named_parameter_first(m: MockAppMesh, tmp_path: Path) -> None:
    assert tmp_path.is_dir()
    assert_active(m)


@pytest.mark.asyncio
@mock_appmesh(pass_mock=True)
async def test_async_beside_fixtures(
    tmp_path: Path, appmesh_mock: MockAppMesh, request: pytest.FixtureRequest
) -> None:
    assert tmp_path.is_dir() and request.node.name == "test_async_beside_fixtures"
    assert_active(appmesh_mock)


class TestMethods:
    @mock_appmesh(pass_mock=True)
    def test_method(self, appmesh_mock: MockAppMesh, tmp_path: Path) -> None:
        assert isinstance(self, TestMethods) and tmp_path.is_dir()
        assert_active(appmesh_mock)


@mock_appmesh(pass_mock="m")
class TestDecoratedClass:
    def test_one(self, tmp_path: Path, m: MockAppMesh) -> None:
        assert tmp_path.is_dir()
        assert_active(m, "one")

    def test_two(self, m: MockAppMesh) -> None:
        assert_active(m, "two")  # a fresh activation: "one" is gone


class UnittestMethod(unittest.TestCase):
    @mock_appmesh(pass_mock=True)
    def test_method(self, appmesh_mock: MockAppMesh) -> None:
        assert_active(appmesh_mock)


@mock_appmesh(pass_mock=True)
class UnittestDecoratedClass(unittest.TestCase):
    def setUp(self) -> None:
        create_mesh("from-set-up")  # setUp runs under the same activation

    def test_method(self, appmesh_mock: MockAppMesh) -> None:
        assert appmesh_mock.calls.operations == ["CreateMesh"]
        assert list(appmesh_mock.snapshot()["meshes"]) == ["from-set-up"]


def test_called_by_hand_with_any_mix_of_arguments() -> None:
    @mock_appmesh(pass_mock="m")
    def make(name: str, m: MockAppMesh, region: str = "us-east-1", *, tag: str = "") -> Any:
        create_mesh(name, region)
        return (m.calls[0].params["meshName"], m.calls[0].region, tag)

    assert make("a") == ("a", "us-east-1", "")
    assert make("b", "eu-west-1") == ("b", "eu-west-1", "")  # binds to region, not to m
    assert make(region="eu-west-2", name="c", tag="t") == ("c", "eu-west-2", "t")
    with pytest.raises(TypeError, match="missing a required argument: 'name'"):
        make()

    @mock_appmesh(pass_mock=True)
    def variadic(first: int, appmesh_mock: MockAppMesh, *rest: int, **extra: int) -> Any:
        return first, isinstance(appmesh_mock, MockAppMesh), rest, extra

    assert variadic(1, 2, 3, x=4) == (1, True, (2, 3), {"x": 4})


def test_the_signature_leaves_the_mock_parameter_out() -> None:
    def probe(tmp_path: Path, appmesh_mock: MockAppMesh, *, flag: bool = False) -> None: ...

    wrapped = mock_appmesh(pass_mock=True)(probe)
    assert list(inspect.signature(wrapped).parameters) == ["tmp_path", "flag"]
    assert wrapped.__wrapped__ is probe  # type: ignore[attr-defined]


def test_a_missing_parameter_fails_when_decorating() -> None:
    def no_m(tmp_path: Path) -> None: ...

    with pytest.raises(TypeError, match=r"no_m\(tmp_path\) has no parameter 'm' for pass_mock='m'"):
        mock_appmesh(pass_mock="m")(no_m)
    with pytest.raises(TypeError, match="has no parameter 'appmesh_mock'"):
        mock_appmesh(pass_mock=True)(lambda: None)
    with pytest.raises(TypeError, match="has no parameter 'appmesh_mock'"):
        mock_appmesh(pass_mock=True)(lambda **appmesh_mock: None)
    with pytest.raises(TypeError, match="pass_mock is True, False or a parameter name"):
        mock_appmesh(pass_mock=3)  # type: ignore[typeddict-item]

    class NoParameter:
        def test_x(self, tmp_path: Path) -> None: ...

    with pytest.raises(TypeError, match=r"NoParameter\.test_x"):
        mock_appmesh(pass_mock="m")(NoParameter)

    class OnlySelf:
        def test_x(self) -> None: ...

    with pytest.raises(TypeError, match=r"OnlySelf\.test_x\(self\) has no parameter"):
        mock_appmesh(pass_mock=True)(OnlySelf)


def test_the_last_positional_parameter_still_works_with_a_warning() -> None:
    """Before pass_mock handed the mock by name, it went to the last positional parameter."""

    def old_style(name: str, mock: MockAppMesh) -> str:
        create_mesh(name)
        return mock.calls.operations[0]

    with pytest.warns(DeprecationWarning, match="pass_mock='mock'") as caught:
        wrapped = mock_appmesh(pass_mock=True)(old_style)
    assert caught[0].filename == __file__  # pointed at the decorating code
    assert wrapped("old") == "CreateMesh"
