"""What `load` accepts, read into one list of items: the state document, a list of Describe*
outputs, a JSON file of either, or a folder of saved `aws appmesh describe-*` output.

Each item comes out as (where, kind, resource, tags): `where` names it in error messages
("resources[3]", "nodes/web.json"), timestamps are epoch seconds (the AWS CLI v2 prints
ISO-8601, v1 epoch numbers), and items are in dependency order (mesh, nodes, routers, routes,
services, gateways, gateway routes; within a kind, as given).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

ORDER = ("mesh", "virtualNode", "virtualRouter", "route", "virtualService",
         "virtualGateway", "gatewayRoute")  # fmt: skip
TIMES = ("createdAt", "lastUpdatedAt")


class StateError(ValueError):
    """A state that cannot be loaded; the message names the first bad item and why."""


@dataclass
class Item:
    where: str
    kind: str
    resource: dict[str, Any]
    tags: list[Any]


def read(source: Any) -> tuple[list[Item], list[Any]]:
    """(items in dependency order, shares) from any accepted source."""
    items: list[Item] = []
    shares: list[Any] = []
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*.json") if p.is_file())
            if not files:
                raise StateError(f"{path} holds no .json file")
            for file in files:
                _collect(_read_json(file), str(file.relative_to(path)), items, shares)
        else:
            _collect(_read_json(path), str(path), items, shares)
    else:
        _collect(source, "", items, shares)
    items.sort(key=lambda item: ORDER.index(item.kind))  # stable: as given within a kind
    return items, shares


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise StateError(f"{path}: no such file or folder") from None
    except (ValueError, UnicodeDecodeError) as exc:
        raise StateError(f"{path}: not JSON ({exc})") from None


def _collect(value: Any, where: str, items: list[Item], shares: list[Any]) -> None:
    if isinstance(value, Mapping) and "resources" in value:
        if not isinstance(value["resources"], list):
            raise StateError(f"{where or 'the document'}: resources must be a list")
        shares.extend(value.get("shares") or ())
        for index, entry in enumerate(value["resources"]):
            items.append(_item(entry, _at(where, f"resources[{index}]")))
    elif isinstance(value, list):
        for index, entry in enumerate(value):
            items.append(_item(entry, _at(where, f"[{index}]")))
    else:
        items.append(_item(value, where or "the document"))


def _at(where: str, inner: str) -> str:
    return f"{where} {inner}" if where else inner


def _item(entry: Any, where: str) -> Item:
    """One `{"<kind>": {...}, "tags": [...]}` (a Describe* output is one without tags)."""
    if not isinstance(entry, Mapping):
        raise StateError(f"{where}: expected an object such as {{\"mesh\": {{...}}}}")
    kinds = [key for key in entry if key in ORDER]
    extra = [key for key in entry if key not in ORDER and key != "tags"]
    if len(kinds) != 1 or extra:
        raise StateError(
            f"{where}: expected exactly one of {', '.join(ORDER)} (and optional tags), "
            f"found {', '.join(map(str, entry)) or 'nothing'}"
        )
    kind = kinds[0]
    resource = entry[kind]
    if not isinstance(resource, Mapping):
        raise StateError(f"{where}: {kind} must be an object")
    tags = entry.get("tags") or []
    if not isinstance(tags, list):
        raise StateError(f"{where}: tags must be a list of {{key, value}}")
    return Item(where, kind, _epoch_times(dict(resource), where), list(tags))


def _epoch_times(resource: dict[str, Any], where: str) -> dict[str, Any]:
    metadata = resource.get("metadata")
    if not isinstance(metadata, Mapping):
        return resource  # the shape check names what is missing
    metadata = dict(metadata)
    for name in TIMES:
        value = metadata.get(name)
        if isinstance(value, str):
            metadata[name] = _parse_time(value, f"{where}: metadata.{name}")
    resource["metadata"] = metadata
    return resource


def _parse_time(text: str, where: str) -> float:
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise StateError(f"{where} = {text!r} is neither epoch seconds nor ISO-8601") from None
    if parsed.tzinfo is None:
        raise StateError(f"{where} = {text!r} has no time zone")
    return round(parsed.timestamp(), 3)
