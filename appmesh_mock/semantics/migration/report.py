"""What a migration and an equivalence check answer: `Migration` (the target configuration,
its ledger and its equivalence report) and `Equivalence` (each request that the target sends
elsewhere than App Mesh does, with the cause)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..targets.common import Destination, Entry
from .ledger import LedgerEntry
from .requests import Probe

CAUSES = (
    "PRECEDENCE",
    "PREFIX_SEMANTICS",
    "REWRITE_DEFAULT",
    "MATCHER_UNSUPPORTED",
    "POLICY_DEFAULT",
    "QUOTA",
    "NOT_REPRESENTABLE",
)


def _where(destination: Destination | None) -> str:
    if destination is None:
        return "nowhere"
    split = ", ".join(f"{b} {s:.0%}" for b, s in destination.targets)
    return f"{split} as {destination.host or ''}{destination.path}"


@dataclass
class Difference:
    """One request the target sends elsewhere: where App Mesh sends it (`appmesh`, None for
    nowhere), where the target does, and why (`cause`, one of CAUSES). `declared` is true
    when the migration's ledger announced this cause for the resource that decided it."""

    entry: Entry
    request: Probe
    appmesh: Destination | None
    target: Destination | None
    cause: str
    explanation: str
    declared: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "entry": {"kind": self.entry.kind, "name": self.entry.name, "port": self.entry.port},
            "request": self.request.to_dict(),
            "appmesh": None if self.appmesh is None else self.appmesh.to_dict(),
            "target": None if self.target is None else self.target.to_dict(),
            "cause": self.cause,
            "explanation": self.explanation,
            "declared": self.declared,
        }

    def row(self) -> str:
        headers = " ".join(f"{k}:{v}" for k, v in self.request.headers)
        query = "&".join(f"{k}={v}" for k, v in self.request.query)
        ask = (f"{self.entry.kind} {self.entry.name}:{self.entry.port} {self.request.method} "
               f"{self.request.host or ''}{self.request.path}{'?' + query if query else ''}"
               f"{' [' + headers + ']' if headers else ''}")
        return (f"{self.cause:<19} {ask}\n{'':<19}   App Mesh: {_where(self.appmesh)}\n"
                f"{'':<19}   target:   {_where(self.target)}\n{'':<19}   {self.explanation}")


@dataclass
class Equivalence:
    """The equivalence report: `bool(report)` is true when no request differs."""

    mesh: str
    to: str
    differences: list[Difference] = field(default_factory=list)
    requests: int = 0
    generated: int = 0
    notes: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return not self.differences

    def causes(self) -> dict[str, int]:
        counted: dict[str, int] = {}
        for difference in self.differences:
            counted[difference.cause] = counted.get(difference.cause, 0) + 1
        return counted

    def to_dict(self) -> dict[str, Any]:
        return {"mesh": self.mesh, "to": self.to, "equivalent": bool(self),
                "requests": self.requests, "generated": self.generated, "notes": self.notes,
                "causes": self.causes(),
                "differences": [d.to_dict() for d in self.differences]}

    def table(self, limit: int = 40) -> str:
        head = (f"mesh {self.mesh} -> {self.to}: {self.requests} requests "
                f"({self.generated} generated), {len(self.differences)} differ")
        lines = [head, *[f"note: {n}" for n in self.notes]]
        if self.differences:
            lines.append("by cause: " + ", ".join(f"{c} {n}" for c, n in self.causes().items()))
            lines += [d.row() for d in self.differences[:limit]]
            if len(self.differences) > limit:
                lines.append(f"... and {len(self.differences) - limit} more (--json for all)")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.table()


@dataclass
class Migration:
    """The target configuration for one mesh (`documents`), what became of every App Mesh
    field it uses (`ledger`), and how the configuration routes compared with the mesh
    (`differences`, an Equivalence). `backends` maps App Mesh names (virtual nodes, services
    and gateways) to the target names the documents use."""

    mesh: str
    to: str
    documents: list[dict[str, Any]]
    ledger: list[LedgerEntry]
    # The check runs on first read of `differences`, over a copy of the documents as they
    # were generated: it costs seconds on a large mesh, and a caller may want only documents.
    _check: Callable[[], Equivalence] = field(repr=False, compare=False)
    backends: dict[str, str] = field(default_factory=dict)
    _differences: Equivalence | None = field(default=None, init=False, repr=False,
                                             compare=False)

    @property
    def differences(self) -> Equivalence:
        """The equivalence report of the generated documents (computed once, when read)."""
        if self._differences is None:
            self._differences = self._check()
        return self._differences

    def to_yaml(self, path: str | Path | None = None) -> str:
        """The documents as YAML (one document each; the JSON shape of an API call for VPC
        Lattice and Service Connect); written to `path` too when given: a folder gets one
        file per document, anything else one file with them all."""
        import yaml

        text = str(yaml.safe_dump_all(self.documents, sort_keys=False))
        if path is not None:
            target = Path(path)
            if target.is_dir():
                for index, document in enumerate(self.documents):
                    name = _file_name(document, index)
                    (target / name).write_text(yaml.safe_dump(document, sort_keys=False),
                                               encoding="utf-8")
            else:
                target.write_text(text, encoding="utf-8")
        return text

    def to_dict(self) -> dict[str, Any]:
        return {"mesh": self.mesh, "to": self.to, "documents": self.documents,
                "backends": self.backends,
                "ledger": [e.to_dict() for e in self.ledger],
                "differences": self.differences.to_dict()}

    def __str__(self) -> str:
        return json.dumps(self.to_dict(), indent=2)


def _file_name(document: dict[str, Any], index: int) -> str:
    kind = str(document.get("kind") or document.get("operation") or "document").lower()
    name = str((document.get("metadata") or {}).get("name") or document.get("name") or index)
    return f"{index:03d}-{kind}-{name}.yaml"
