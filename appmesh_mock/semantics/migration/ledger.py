"""The ledger of a migration: for every App Mesh field the mesh sets, whether the target
configuration maps it, approximates it (how) or drops it (why), and for the approximations and
drops that change where requests go, the cause the equivalence report gives them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ...backend.specs import ROUTE_KINDS
from ..document import NAME_MEMBER, PARENT_MEMBER, MeshView

STATUSES = ("mapped", "approximated", "dropped")


@dataclass(frozen=True)
class LedgerEntry:
    """One App Mesh field of one resource (`resource` as "kind parent/name")."""

    resource: str
    field: str
    status: str
    note: str
    cause: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"resource": self.resource, "field": self.field, "status": self.status,
                "note": self.note, "cause": self.cause}


@dataclass
class Ledger:
    entries: list[LedgerEntry] = field(default_factory=list)
    _seen: set[LedgerEntry] = field(default_factory=set, repr=False)

    def note(self, resource: str, name: str, status: str, note: str,
             cause: str | None = None) -> None:
        assert status in STATUSES, status
        entry = LedgerEntry(resource, name, status, note, cause)
        if entry not in self._seen:
            self._seen.add(entry)
            self.entries.append(entry)

    def declared(self, cause: str, resources: list[str]) -> bool:
        """Whether a difference of `cause` chosen by one of `resources` was declared."""
        return any(e.cause == cause and e.resource in resources for e in self.entries)

    def fields(self) -> set[tuple[str, str]]:
        return {(e.resource, e.field) for e in self.entries}


def resource_label(kind: str, resource: Mapping[str, Any]) -> str:
    name = str(resource.get(NAME_MEMBER[kind]))
    if kind in PARENT_MEMBER:
        return f"{kind} {resource.get(PARENT_MEMBER[kind])}/{name}"
    return f"{kind} {name}"


def _leaves(value: Any, prefix: str) -> list[str]:
    """Field paths of a spec, lists written `[]` (each field once)."""
    if isinstance(value, Mapping):
        found: list[str] = []
        for key, inner in value.items():
            found += _leaves(inner, f"{prefix}.{key}" if prefix else str(key))
        return found or [prefix]
    if isinstance(value, list):
        found = []
        for item in value:
            found += [p for p in _leaves(item, prefix + "[]") if p not in found]
        return found or [prefix]
    return [prefix]


def used_fields(view: MeshView) -> list[tuple[str, str]]:
    """(resource, field path) of every spec field the mesh sets."""
    out: list[tuple[str, str]] = []
    for kind in ("virtualNode", "virtualRouter", "route", "virtualService", "virtualGateway",
                 "gatewayRoute"):
        for resource in view.all(kind):
            label = resource_label(kind, resource)
            out += [(label, f"spec.{p}") for p in _leaves(resource.get("spec") or {}, "")]
    mesh_spec = view.mesh.get("spec") or {}
    out += [(f"mesh {view.name}", f"spec.{p}") for p in _leaves(mesh_spec, "") if p]
    return out


def complete(ledger: Ledger, view: MeshView, table: Mapping[str, tuple[str, str, str | None]],
             default: tuple[str, str, str | None]) -> None:
    """A ledger entry for every used field the generator did not record itself: the first
    `table` key that is a prefix of the field path says its status, else `default`."""
    recorded: dict[str, list[str]] = {}
    for resource, name in ledger.fields():
        recorded.setdefault(resource, []).append(name)
    for resource, path in used_fields(view):
        short = path.removeprefix("spec.")
        head, _, rest = short.partition(".")
        if head in ROUTE_KINDS:
            short = rest
        if any(short == f or short.startswith((f + ".", f + "["))
               for f in recorded.get(resource, [])):
            continue
        key = next((k for k in table if short == k or short.startswith(k)), None)
        status, note, cause = table[key] if key is not None else default
        ledger.note(resource, short, status, note, cause)
