"""How Amazon ECS Service Connect routes a request, by the ECS API model (botocore's `ecs`,
ServiceConnectConfiguration; [SC] below) and the Service Connect guide: a client calls a
client alias (`dnsName:port`) and reaches the ECS service that publishes it, any of its tasks.
There is no L7 routing, no weights between services, no rewrite and no ingress gateway.

The configuration is one document per ECS service: `{"service": NAME, "containerPort": PORT,
"serviceConnectConfiguration": {...}}` (the configuration as CreateService/UpdateService take
it; `service` and `containerPort` say which service it is and where its tasks listen)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..request import Request
from .common import Destination, Entry, Outcome, backend_key

Document = Mapping[str, Any]
NAME = "service-connect"
SEGMENT_PREFIXES: bool | None = False  # no path matching at all: prefixes play no part


@dataclass
class Prepared:
    entry: Entry
    destination: Destination | None


def prepare(documents: Sequence[Document], entry: Entry, names: Mapping[str, str]) -> Prepared:
    """[SC ServiceConnectClientAlias] the alias's dnsName and port; the first service that
    publishes it (ECS refuses a second in one namespace)."""
    if entry.kind == "gateway":
        return Prepared(entry, None)  # no ingress in Service Connect
    wanted = {entry.name.lower(), names.get(entry.name, entry.name).lower()}
    for document in documents:
        config = document.get("serviceConnectConfiguration") or {}
        if not config.get("enabled"):
            continue
        for service in config.get("services") or []:
            for alias in service.get("clientAliases") or []:
                if str(alias.get("dnsName", "")).lower() in wanted and (
                        entry.port is None or alias.get("port") == entry.port):
                    key = backend_key(str(document.get("service")), document.get("containerPort"))
                    label = f"client alias {alias.get('dnsName')}:{alias.get('port')}"
                    return Prepared(entry, Destination(((key, 1.0),), "/", None, None, label))
    return Prepared(entry, None)


def resolve(prepared: Prepared, request: Request, every: bool = False) -> Outcome:
    """Every request to the alias goes to its service, path and Host as sent."""
    found = prepared.destination
    if found is None and prepared.entry.kind == "gateway":
        return Outcome(None, cause="NOT_REPRESENTABLE",
                       why="Service Connect has no ingress gateway")
    if found is None:
        return Outcome(None)
    here = Destination(found.targets, request.path, request.host, None, found.rule)
    return Outcome(here, [here])


def unsupported(match: Mapping[str, Any]) -> str:
    """Any criterion: Service Connect does not route on the request."""
    criteria = [k for k in match if not (k == "prefix" and match[k] == "/")]
    return ", ".join(f"{k} (no L7 routing)" for k in criteria)


def relax(match: Mapping[str, Any]) -> dict[str, Any]:
    return {}
