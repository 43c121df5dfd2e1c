"""Loading state: each item is checked against its Describe output shape, then created by its
kind's own Create handler (so every service rule applies: names, references, spec rules,
quotas, tags), then given back the arn, uid, version, times, owners and status it came with.

All or nothing: the first bad item stops the load, the store is put back as it was, and the
StateError names that item and why. A load adds to what the store holds (reset first to
replace it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..backend import persistence
from ..backend.kinds import ALL_KINDS, MESH, Kind
from ..backend.store import Store
from ..errors import ServiceError, StrictModeViolation
from ..handlers.context import RequestContext
from ..handlers.lifecycle import partition
from ..handlers.table import call
from ..protocol.models import CURRENT_VERSION, get_api
from ..protocol.shapes import check_output
from ..protocol.validation import validate_input
from .state_input import Item, StateError, read

KINDS: dict[str, Kind] = {kind.key: kind for kind in ALL_KINDS}
_ACCOUNT = re.compile(r"\d{12}")


@dataclass
class CreateRequest:
    """One Create* call a configuration file describes: `where` names it in errors (file and
    logical id, address or manifest name), `params` is the operation's API-shaped input."""

    where: str
    kind: str
    params: dict[str, Any]


def load(store: Store, source: Any, quotas: Mapping[str, int]) -> int:
    """Adds every resource (and mesh share) of `source` to `store`; how many resources."""
    items, shares = read(source)
    with store.lock:
        before = persistence.dump(store)
        try:
            uids = {r.uid for b in store.backends() for m in b.meshes for r in _all(m)}
            for item in items:
                _load_item(store, item, quotas, uids)
            for index, share in enumerate(shares):
                _share(store, share, f"shares[{index}]")
        except BaseException:
            persistence.load(store, before)  # as it was (and so in the journal, if any)
            raise
        store.commit()
    return len(items)


def apply(
    store: Store, requests: Sequence[CreateRequest], quotas: Mapping[str, int],
    account: str, region: str,
) -> int:
    """Makes each request (already in dependency order) as `account` in `region` through its
    kind's Create handler, all or nothing, as `load` does; how many resources."""
    api = get_api(CURRENT_VERSION)
    with store.lock:
        before = persistence.dump(store)
        try:
            for request in requests:
                operation = f"Create{KINDS[request.kind].title}"
                ctx = RequestContext(operation, account, region, store, store.now(), quotas)
                try:
                    validate_input(api.operations[operation].input_shape, request.params)
                    call(ctx, request.params)
                except ServiceError as exc:
                    raise StateError(f"{request.where}: {exc.code}: {exc.message}") from None
        except BaseException:
            persistence.load(store, before)
            raise
        store.commit()
    return len(requests)


def _all(mesh: Any) -> list[Any]:
    return [mesh.resource, *mesh.members()]


def _names(kind: Kind, resource: Mapping[str, Any]) -> dict[str, Any]:
    names = {"meshName": resource.get("meshName")}
    if kind.parent is not None:
        names[kind.parent.name_member] = resource.get(kind.parent.name_member)
    names[kind.name_member] = resource.get(kind.name_member)
    return names


def arn(kind: Kind, names: Mapping[str, Any], account: str, region: str) -> str:
    """The ARN the service gives a resource `account` makes with these API names."""
    return f"arn:{partition(region)}:appmesh:{region}:{account}:{_path(kind, names)}"


def _path(kind: Kind, names: Mapping[str, Any]) -> str:
    path = f"mesh/{names['meshName']}"
    if kind is MESH:
        return path
    if kind.parent is not None:
        path += f"/{kind.parent.key}/{names[kind.parent.name_member]}"
    return f"{path}/{kind.key}/{names[kind.name_member]}"


def _load_item(store: Store, item: Item, quotas: Mapping[str, int], uids: set[str]) -> None:
    kind = KINDS[item.kind]
    resource = item.resource
    names = _names(kind, resource)
    label = f"{item.where}: {kind.title} {names.get(kind.name_member)!r}"
    api = get_api(CURRENT_VERSION)
    describe = api.operations[f"Describe{kind.title}"].output_shape
    try:
        check_output(resource, describe.members[kind.output_member])
    except StrictModeViolation as exc:
        raise StateError(f"{label}: not a Describe{kind.title} output: {exc}") from None
    metadata = resource["metadata"]
    region, account = _check_arn(kind, names, metadata, label)
    mesh_owner = str(metadata["meshOwner"])
    status = resource["status"]["status"]
    if status == "DELETED":
        raise StateError(f"{label}: a DELETED resource cannot be loaded")
    if metadata["version"] < 1:
        raise StateError(f"{label}: metadata.version must be 1 or more")
    if store.by_arn(metadata["arn"]) is not None:
        raise StateError(f"{label}: {metadata['arn']} is already loaded")
    if metadata["uid"] in uids:
        raise StateError(f"{label}: uid {metadata['uid']} is already taken")
    params: dict[str, Any] = dict(names)
    if "spec" in resource:
        params["spec"] = resource["spec"]
    if item.tags:
        params["tags"] = item.tags
    if kind is not MESH:
        params["meshOwner"] = mesh_owner
    operation = f"Create{kind.title}"
    # Created as the mesh owner, who may create anything in its mesh; the owner it came with
    # is put back below. [I] a resource in a shared mesh was created by its resourceOwner.
    ctx = RequestContext(operation, mesh_owner, region, store, store.now(), quotas)
    try:
        validate_input(api.operations[operation].input_shape, params)
        output = call(ctx, params)
    except ServiceError as exc:
        raise StateError(f"{label}: {exc.code}: {exc.message}") from None
    created = store.by_arn(output[kind.output_member]["metadata"]["arn"])
    assert created is not None
    store.unindex(created)
    old_uid = created.uid
    created.arn = metadata["arn"]
    created.uid = metadata["uid"]
    created.version = metadata["version"]
    created.created_at = float(metadata["createdAt"])
    created.last_updated_at = float(metadata["lastUpdatedAt"])
    created.resource_owner = account
    created.status = status
    store.index(created)
    store.rekey(created, old_uid)
    store.advance_clock(created.last_updated_at)
    uids.add(created.uid)


def _check_arn(
    kind: Kind, names: Mapping[str, Any], metadata: Mapping[str, Any], label: str
) -> tuple[str, str]:
    """(region, account) from the ARN, which must be the one the service gives this
    resource: its partition, the resource owner's account, the path of its names."""
    parts = str(metadata["arn"]).split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or parts[2] != "appmesh":
        raise StateError(f"{label}: {metadata['arn']!r} is not an App Mesh ARN")
    _, arn_partition, _, region, account, path = parts
    if arn_partition != partition(region):
        raise StateError(f"{label}: region {region} is in partition {partition(region)}")
    if path != _path(kind, names):
        raise StateError(f"{label}: the ARN names {path!r}, the resource {_path(kind, names)!r}")
    if account != metadata["resourceOwner"]:
        raise StateError(f"{label}: the ARN's account {account} is not resourceOwner")
    if kind is MESH and metadata["meshOwner"] != account:
        raise StateError(f"{label}: a mesh's meshOwner is the account in its ARN")
    for member in ("meshOwner", "resourceOwner"):
        if not _ACCOUNT.fullmatch(str(metadata[member])):
            raise StateError(f"{label}: metadata.{member} must be a 12-digit account")
    return region, account


def _share(store: Store, share: Any, where: str) -> None:
    arn = share.get("meshArn") if isinstance(share, Mapping) else None
    consumer = share.get("consumer") if isinstance(share, Mapping) else None
    parts = str(arn).split(":", 5)
    if len(parts) != 6 or not parts[5].startswith("mesh/") or "/" in parts[5][5:]:
        raise StateError(f"{where}: meshArn must be a mesh ARN")
    if not _ACCOUNT.fullmatch(str(consumer)):
        raise StateError(f"{where}: consumer must be a 12-digit account")
    store.share(parts[4], parts[3], parts[5][5:], str(consumer))
