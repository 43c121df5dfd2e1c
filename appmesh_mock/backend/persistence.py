"""The Store as one JSON document (`GET /_appmesh_mock/state`, JSON state files), and back.

`serve --state-file` keeps its state in SQLite instead (backend/journal.py), one row per
resource in the same document form as here. The document holds every backend's resources
(their full envelope, creation order included, so page tokens and listings survive a
restart), the clientToken records and the mesh shares. Quotas are configuration, not state,
and are not saved. `save_file` writes to a temporary name and renames it over the old file,
so a crash leaves either the old file or the new, never half.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from .kinds import ALL_KINDS, MESH, Kind
from .resources import Resource
from .store import Store
from .tokens import TokenEntry

FORMAT = "appmesh-mock-state"
FORMAT_VERSION = 2  # 2: specs are stored in the current API version's form

_KINDS: dict[str, Kind] = {kind.key: kind for kind in ALL_KINDS}


class StateFileError(ValueError):
    """The file is not a state file this version can read."""


def resource_doc(resource: Resource) -> dict[str, Any]:
    # Generic over the dataclass fields, so a field added to Resource is saved without a change
    # here; only `kind` needs a name instead of the object.
    doc = {f.name: getattr(resource, f.name) for f in dataclasses.fields(Resource)}
    doc["kind"] = resource.kind.key
    return doc


def resource_from_doc(doc: dict[str, Any]) -> Resource:
    values = dict(doc)
    values["kind"] = _KINDS[values["kind"]]
    return Resource(**values)


def token_doc(entry: TokenEntry) -> dict[str, Any]:
    return {f.name: getattr(entry, f.name) for f in dataclasses.fields(TokenEntry)}


def snapshot(store: Store) -> dict[str, Any]:
    """The state as a document that shares the stored specs, tags and answers (never changed
    in place: an update or a tag call replaces them), taken under the lock. Serialize it
    outside the lock; other clients wait only for the copy."""
    with store.lock:
        backends = []
        for backend in store.backends():
            meshes = [
                {
                    "mesh": resource_doc(mesh.resource),
                    "resources": [resource_doc(r) for r in mesh.members()],
                }
                for mesh in backend.meshes
            ]
            tokens = {token: token_doc(entry) for token, entry in backend.tokens.items()}
            if meshes or tokens:
                backends.append(
                    {
                        "accountId": backend.account_id,
                        "region": backend.region,
                        "meshes": meshes,
                        "tokens": tokens,
                    }
                )
        return {
            "format": FORMAT,
            "formatVersion": FORMAT_VERSION,
            "lastSeq": store.last_seq,
            "backends": backends,
            "shares": [list(share) for share in store.shares()],
        }


def dump_bytes(store: Store) -> bytes:
    return json.dumps(snapshot(store), separators=(",", ":"), ensure_ascii=False).encode()


def dump(store: Store) -> dict[str, Any]:
    """The store's whole state as JSON-ready data (a deep copy: later changes don't show)."""
    loaded: dict[str, Any] = json.loads(dump_bytes(store))
    return loaded


def load(store: Store, document: Any) -> None:
    """Replaces the store's state with `document` (from `dump`); quotas are settings, not state.

    On a malformed document, StateFileError is raised and the store is left empty.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise StateFileError("not an appmesh-mock state file")
    if document.get("formatVersion") != FORMAT_VERSION:
        raise StateFileError(
            f"state file format {document.get('formatVersion')!r} is not {FORMAT_VERSION}"
        )
    with store.lock:
        store.reset(commit=False)
        try:
            _restore(store, document)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            store.reset()
            raise StateFileError(f"the state file is damaged: {exc!r}") from exc
        store.commit()  # with a journal attached, the loaded state is made durable


def _restore(store: Store, document: dict[str, Any]) -> None:
    for backend_doc in document["backends"]:
        backend = store.backend(str(backend_doc["accountId"]), str(backend_doc["region"]))
        for token, entry in backend_doc["tokens"].items():
            store.remember_token(backend, token, TokenEntry(**entry))
        for mesh_doc in backend_doc["meshes"]:
            resource = resource_from_doc(mesh_doc["mesh"])
            if resource.kind is not MESH:
                raise ValueError(f"{resource.arn} is listed as a mesh")
            store.restore(resource)
            for child_doc in mesh_doc["resources"]:
                store.restore(resource_from_doc(child_doc))
    for owner, region, mesh_name, consumer in document["shares"]:
        store.share(owner, region, mesh_name, consumer)
    store.advance_seq(int(document["lastSeq"]))
    store.rebuild_indexes()


def save_file(store: Store, path: str | os.PathLike[str]) -> None:
    """Writes the state atomically: a temporary file in the same folder, then a rename."""
    target = Path(path)
    data = json.dumps(dump(store), separators=(",", ":")).encode()
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Makes the rename itself durable where the platform allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def load_file(store: Store, path: str | os.PathLike[str]) -> bool:
    """Restores the state saved at `path`; False (store untouched) if there is no file."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        return False
    try:
        document = json.loads(raw)
    except ValueError as exc:
        raise StateFileError(f"{path} is not JSON: {exc}") from exc
    except RecursionError:
        raise StateFileError(f"{path} is nested too deeply to be a state file") from None
    load(store, document)
    return True
