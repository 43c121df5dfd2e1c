"""The pytest plugin: the marker alone switches the mock on, markers merge (module < class <
function), `region` for `appmesh_client`, `pass_mock`, bad markers fail clearly, and pytest
start-up imports neither boto3 nor botocore."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from botocore.config import Config

from appmesh_mock import MockAppMesh, mock_appmesh

pytestmark = pytest.mark.appmesh_mock(account_id="111111111111", quotas={"meshes_per_account": 3})


NO_RETRY = Config(retries={"total_max_attempts": 1})


def owner(region: str = "us-east-1") -> str:
    client = boto3.client("appmesh", region_name=region)
    created = client.create_mesh(meshName="probe")
    return str(created["mesh"]["metadata"]["meshOwner"])


def test_module_marker_alone_activates() -> None:
    assert owner() == "111111111111"


@pytest.mark.appmesh_mock(account_id="222222222222")
class TestMerging:
    def test_class_marker_overrides_module(self) -> None:
        assert owner() == "222222222222"

    @pytest.mark.appmesh_mock(strict=True, region="eu-west-1")
    def test_function_marker_adds_options(self, appmesh_client: Any) -> None:
        assert appmesh_client.meta.region_name == "eu-west-1"
        created = appmesh_client.create_mesh(meshName="m")
        assert created["mesh"]["metadata"]["arn"].startswith(
            "arn:aws:appmesh:eu-west-1:222222222222:"
        )
        # The module's quota still applies under the class and function markers.
        appmesh_client.create_mesh(meshName="n")
        appmesh_client.create_mesh(meshName="o")
        once = boto3.client("appmesh", region_name="eu-west-1", config=NO_RETRY)
        with pytest.raises(once.exceptions.LimitExceededException):
            once.create_mesh(meshName="p")

    def test_fixture_is_the_active_mock(self, appmesh_mock: MockAppMesh) -> None:
        owner()
        assert list(appmesh_mock.snapshot("222222222222")["meshes"]) == ["probe"]


def test_default_region(appmesh_client: Any) -> None:
    assert appmesh_client.meta.region_name == "us-east-1"


@mock_appmesh(pass_mock=True)
def test_pass_mock(appmesh_mock: MockAppMesh) -> None:
    assert isinstance(appmesh_mock, MockAppMesh)
    boto3.client("appmesh", region_name="us-east-1").create_mesh(meshName="handed")
    assert "handed" in appmesh_mock.snapshot("111111111111")["meshes"]


@pytest.mark.appmesh_mock(call_log_limit=2)
def test_the_marker_sets_the_call_log_limit(appmesh_mock: MockAppMesh) -> None:
    appmesh = boto3.client("appmesh", region_name="us-east-1")
    for _ in range(3):
        appmesh.list_meshes()
    assert (len(appmesh_mock.calls), appmesh_mock.calls.dropped) == (2, 1)


def test_bad_markers_fail_clearly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.appmesh_mock(acount_id="111122223333")
        def test_misspelt():
            pass

        @pytest.mark.appmesh_mock("111122223333")
        def test_positional():
            pass

        @pytest.mark.appmesh_mock(quotas={"meshes": 1})
        def test_bad_quota():
            pass
        """
    )
    result = pytester.runpytest("-p", "no:asyncio")  # not configured in the sample folder
    result.assert_outcomes(errors=3)  # each fails at set-up, never runs
    result.stdout.fnmatch_lines_random(
        [
            "*unknown option(s) acount_id*",
            "*takes keyword options only*",
            "*@pytest.mark.appmesh_mock: unknown quota 'meshes'*",
        ]
    )


@pytest.mark.slow
def test_pytest_start_up_imports_no_boto(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty test folder, in a fresh interpreter: the plugin loads, and neither botocore
    nor boto3 does."""
    monkeypatch.setenv("PYTHONPROFILEIMPORTTIME", "1")
    result = pytester.runpytest_subprocess("--co")
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.errlines]
    assert "appmesh_mock.errors" in imported, result.errlines  # the plugin did load
    assert not [name for name in imported if name.split(".")[0] in ("boto3", "botocore")]
