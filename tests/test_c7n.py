"""Cloud Custodian (c7n) App Mesh policies against the mock alone: a tag filter, `tag`,
`remove-tag`, `mark-for-op` (and its `marked-for-op` filter), and a `meshOwner ne
resourceOwner` value filter, run in-process under `mock_appmesh` and as `custodian run`
against `appmesh-mock serve`. c7n reads and writes App Mesh tags through the Resource Groups
Tagging API, so these runs exercise it the way a real tool does; a fault on its GetResources
(added in-process, or through the server's fault endpoint) fails the policy run.

c7n pins boto3 to its own release: these tests run in the venv `.ci/run` builds for
`.[c7n-test]` (`.venv-c7n`); elsewhere they are skipped.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

pytest.importorskip("c7n")
import yaml
from c7n.config import Config
from c7n.loader import PolicyLoader
from c7n.resources import load_resources
from server_process import control

from appmesh_mock import MockAppMesh, MockServer
from appmesh_mock.backend.store import Store
from appmesh_mock.service.dispatch import Dispatcher

REGION = "us-east-1"
OWNER = "111111111111"
CONSUMER = "222222222222"
CUSTODIAN = Path(sys.executable).with_name("custodian")

POLICIES: list[dict[str, Any]] = [
    {
        "name": "prod-meshes-get-an-owner",
        "resource": "aws.appmesh-mesh",
        "filters": [{"tag:env": "prod"}],
        "actions": [{"type": "tag", "key": "owner", "value": "platform"}],
    },
    {
        "name": "dev-meshes-lose-env",
        "resource": "aws.appmesh-mesh",
        "filters": [{"tag:env": "dev"}],
        "actions": [{"type": "remove-tag", "tags": ["env"]}],
    },
    {
        "name": "untagged-meshes-marked",
        "resource": "aws.appmesh-mesh",
        "filters": [{"tag:env": "absent"}, {"tag:owner": "absent"}],
        "actions": [{"type": "mark-for-op", "op": "tag", "days": 0, "tag": "c7n-op"}],
    },
    {
        "name": "nodes-made-by-another-account",
        "resource": "aws.appmesh-virtualnode",
        "filters": [
            {
                "type": "value",
                "key": "metadata.meshOwner",
                "op": "ne",
                "value_path": "metadata.resourceOwner",
            }
        ],
        # Report only: the node is the consumer's, and App Mesh refuses the mesh owner
        # changes to its tags (ForbiddenException).
    },
]
MARKED = {
    "name": "marked-meshes",
    "resource": "aws.appmesh-mesh",
    "filters": [{"type": "marked-for-op", "op": "tag", "tag": "c7n-op"}],
}


def seed(appmesh_for: Any, share: Any) -> None:
    """Three meshes of the owner (prod, dev, untagged); the consumer makes a node in the shared
    prod mesh, the owner one of its own."""
    owner = appmesh_for(OWNER)
    owner.create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
    owner.create_mesh(meshName="lab", tags=[{"key": "env", "value": "dev"}])
    owner.create_mesh(meshName="bare")
    owner.create_virtual_node(meshName="shop", virtualNodeName="own", spec={})
    share("shop", owner_account_id=OWNER, consumer_account_id=CONSUMER)
    appmesh_for(CONSUMER).create_virtual_node(
        meshName="shop", meshOwner=OWNER, virtualNodeName="guest", spec={}
    )


def tags(appmesh: Any, path: str) -> dict[str, str]:
    arn = f"arn:aws:appmesh:{REGION}:{OWNER}:{path}"
    return {t["key"]: t["value"] for t in appmesh.list_tags_for_resource(resourceArn=arn)["tags"]}


def check_outcome(appmesh: Any, matched: dict[str, list[str]]) -> None:
    assert matched == {
        "prod-meshes-get-an-owner": ["shop"],
        "dev-meshes-lose-env": ["lab"],
        # lab lost its only tag to the policy before: untagged now, so marked too
        "untagged-meshes-marked": ["bare", "lab"],
        "nodes-made-by-another-account": ["guest"],
        "marked-meshes": ["bare", "lab"],
    }
    assert tags(appmesh, "mesh/shop") == {"env": "prod", "owner": "platform"}
    for mesh in ("bare", "lab"):
        assert list(tags(appmesh, f"mesh/{mesh}")) == ["c7n-op"]
        assert tags(appmesh, f"mesh/{mesh}")["c7n-op"].startswith(
            "Resource does not meet policy: tag@"
        )


def names(resources: list[dict[str, Any]]) -> list[str]:
    return sorted(r.get("virtualNodeName") or r["meshName"] for r in resources)


def appmesh_for(account: str) -> Any:
    """An in-process App Mesh client of `account`."""
    return boto3.client(
        "appmesh", region_name=REGION, aws_access_key_id=account, aws_secret_access_key="s"
    )


def test_policies_in_process(mock: MockAppMesh, tmp_path: Path) -> None:
    seed(appmesh_for, mock.share_mesh)
    load_resources(("aws.appmesh-mesh", "aws.appmesh-virtualnode"))
    os.environ["AWS_ACCESS_KEY_ID"] = OWNER  # c7n's sessions speak for the owner
    config = Config.empty(
        region=REGION, regions=[REGION], output_dir=str(tmp_path), account_id=OWNER
    )
    matched: dict[str, list[str]] = {}
    for data in (*POLICIES, MARKED):
        (policy,) = PolicyLoader(config).load_data({"policies": [data]}, "memory://")
        matched[policy.name] = names(policy())
    check_outcome(appmesh_for(OWNER), matched)


def test_a_fault_on_get_resources_fails_the_policy_in_process(
    mock: MockAppMesh, tmp_path: Path
) -> None:
    """c7n reads every mesh's tags with GetResources: when that call fails, the policy fails
    instead of acting on resources whose tags it could not read, and nothing is changed."""
    seed(appmesh_for, mock.share_mesh)
    before = mock.snapshot()
    fault = mock.add_fault("GetResources", error="InvalidParameterException")
    load_resources(("aws.appmesh-mesh",))
    os.environ["AWS_ACCESS_KEY_ID"] = OWNER
    config = Config.empty(
        region=REGION, regions=[REGION], output_dir=str(tmp_path), account_id=OWNER
    )
    (policy,) = PolicyLoader(config).load_data({"policies": [POLICIES[0]]}, "memory://")
    with pytest.raises(ClientError, match=f"fault {fault.id}"):
        policy()
    assert fault.hits >= 1 and mock.calls.of("GetResources")[-1].fault is fault
    assert not mock.calls.of("TagResources") and mock.snapshot() == before


def test_custodian_run_against_the_server(tmp_path: Path) -> None:
    """`custodian run`, a separate process, against a real HTTP server of the mock."""
    store = Store()
    with MockServer(dispatcher=Dispatcher(store)) as server:

        def served_appmesh_for(account: str) -> Any:
            return boto3.client(
                "appmesh",
                region_name=REGION,
                endpoint_url=server.url,
                aws_access_key_id=account,
                aws_secret_access_key="s",
            )

        seed(
            served_appmesh_for,
            lambda mesh, owner_account_id, consumer_account_id: store.share(
                owner_account_id, REGION, mesh, consumer_account_id
            ),
        )
        matched: dict[str, list[str]] = {}
        for index, batch in enumerate((POLICIES, [MARKED])):
            output = tmp_path / f"out-{index}"
            completed = custodian_run(server.url, batch, tmp_path / f"policies-{index}.yml", output)
            assert completed.returncode == 0, completed.stderr
            for data in batch:
                found = json.loads((output / data["name"] / "resources.json").read_text())
                matched[data["name"]] = names(found)
        check_outcome(served_appmesh_for(OWNER), matched)


def test_a_fault_added_through_the_server_fails_custodian_run(tmp_path: Path) -> None:
    """`POST /_appmesh_mock/faults` on GetResources: `custodian run` reports the policy failed
    and tags nothing; the server's call log shows the failed Tagging API call."""
    store = Store()
    with MockServer(dispatcher=Dispatcher(store)) as server:
        owner = boto3.client(
            "appmesh", region_name=REGION, endpoint_url=server.url,
            aws_access_key_id=OWNER, aws_secret_access_key="s",
        )  # fmt: skip
        owner.create_mesh(meshName="shop", tags=[{"key": "env", "value": "prod"}])
        fault = control(server.url, "POST", "faults", {
            "operation": "GetResources", "error": "InvalidParameterException",
        })  # fmt: skip
        completed = custodian_run(
            server.url, POLICIES[:1], tmp_path / "policies.yml", tmp_path / "out"
        )
        assert completed.returncode != 0
        assert f"appmesh-mock fault {fault['id']}" in completed.stderr
        assert tags(owner, "mesh/shop") == {"env": "prod"}  # no owner tag added
        calls = control(server.url, "GET", "calls?operation=GetResources")["calls"]
    assert calls and {(c["service"], c["error"], c["fault"]) for c in calls} == {
        ("resourcegroupstaggingapi", "InvalidParameterException", fault["id"])
    }


def custodian_run(
    url: str, policies: list[dict[str, Any]], policy_file: Path, output: Path
) -> subprocess.CompletedProcess[str]:
    """`custodian run` of `policies` against the server at `url`, in a process of its own."""
    policy_file.write_text(yaml.safe_dump({"policies": policies}))
    return subprocess.run(
        [str(CUSTODIAN), "run", "--cache-period", "0", "--region", REGION, "-s", str(output),
         str(policy_file)],
        env=custodian_env(url), capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def custodian_env(url: str) -> dict[str, str]:
    """The owner's fake credentials, and every AWS endpoint at the server: botocore reads
    AWS_ENDPOINT_URL for every service (c7n's STS look-up of the account gets a refusal
    from the server, which c7n tolerates)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_ENDPOINT_URL=url,
        AWS_ACCESS_KEY_ID=OWNER,
        AWS_SECRET_ACCESS_KEY="s",
        AWS_DEFAULT_REGION=REGION,
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    return env
