"""`migrate` and `check_equivalence` over an API-shaped state document."""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from ...backend.documents import SharedDocument
from ..document import Document, MeshView, load_document, select_mesh
from ..targets import gateway_api, istio, service_connect, vpc_lattice
from . import equivalence, to_gateway_api, to_istio, to_service_connect, to_vpc_lattice
from .flat import entries, rules_for
from .ledger import Ledger, complete
from .naming import merged_names
from .report import Equivalence, Migration
from .table import DEFAULT, FIELDS

# target name -> (its routing rules, its generator)
TARGETS: dict[str, tuple[ModuleType, ModuleType]] = {
    "gateway-api": (gateway_api, to_gateway_api),
    "istio": (istio, to_istio),
    "vpc-lattice": (vpc_lattice, to_vpc_lattice),
    "service-connect": (service_connect, to_service_connect),
}
TargetInput = str | os.PathLike[str] | Mapping[str, Any] | Sequence[Mapping[str, Any]]


def _view(document: Document | str | os.PathLike[str], mesh_name: str,
          where: Mapping[str, str | None]) -> MeshView:
    view = select_mesh(load_document(document), mesh_name, **where)
    if isinstance(view, str):
        raise ValueError(view)
    return view


def _target(to: str) -> tuple[ModuleType, ModuleType]:
    if to not in TARGETS:
        raise ValueError(f"to must be one of {', '.join(TARGETS)}, not {to!r}")
    return TARGETS[to]


def generate(view: MeshView, to: str, names: Mapping[str, str],
             ledger: Ledger) -> list[dict[str, Any]]:
    _, generator = _target(to)
    grouped: dict[tuple[str, str], list[Any]] = {}
    for entry, _ in entries(view):
        grouped.setdefault((entry.kind, entry.name), []).append(
            (entry, rules_for(view, entry, ledger)))
    documents: list[dict[str, Any]] = []
    for (kind, name), per_port in grouped.items():
        documents += generator.manifests(view, name, kind, per_port, names, ledger)
    merge = getattr(generator, "merge", None)
    return merge(documents) if merge is not None else documents


def migrate(document: Document | str | os.PathLike[str], mesh_name: str, *, to: str,
            backends: Mapping[str, str] | None = None, account_id: str | None = None,
            region: str | None = None, mesh_owner: str | None = None) -> Migration:
    """The `to` configuration that routes as `mesh_name` does, with its ledger and its
    equivalence report."""
    if isinstance(document, Mapping) and not isinstance(document, SharedDocument):
        document = copy.deepcopy(document)  # the check reads it later (see Migration)
    view = _view(document, mesh_name,
                 {"account_id": account_id, "region": region, "mesh_owner": mesh_owner})
    names = merged_names(view, backends)
    ledger = Ledger()
    documents = generate(view, to, names, ledger)
    complete(ledger, view, FIELDS[to], DEFAULT)
    rules, _ = _target(to)
    generated = copy.deepcopy(documents)
    return Migration(view.name, to, documents, list(ledger.entries),
                     lambda: equivalence.check(view, to, rules, generated, names, ledger), names)


def check_equivalence(document: Document | str | os.PathLike[str], mesh_name: str,
                      target: TargetInput, *, to: str, backends: Mapping[str, str] | None = None,
                      account_id: str | None = None, region: str | None = None,
                      mesh_owner: str | None = None) -> Equivalence:
    """Whether `target` (a file, a folder, YAML text, or the documents themselves) routes
    the requests of `mesh_name` as the mesh does."""
    rules, _ = _target(to)
    view = _view(document, mesh_name,
                 {"account_id": account_id, "region": region, "mesh_owner": mesh_owner})
    return equivalence.check(view, to, rules, load_target(target),
                             merged_names(view, backends))


def load_target(target: TargetInput) -> list[Mapping[str, Any]]:
    """The documents of a target configuration: dicts as given; a folder's *.yaml, *.yml and
    *.json files in name order; a file; else YAML text."""
    if isinstance(target, Mapping):
        return [target]
    if isinstance(target, list | tuple):
        if not all(isinstance(item, Mapping) for item in target):
            raise ValueError("a target configuration given as a list holds dicts")
        return list(target)
    text: str
    if isinstance(target, os.PathLike) or (isinstance(target, str) and "\n" not in target
                                          and Path(target).exists()):
        path = Path(target)
        if path.is_dir():
            files = sorted(p for p in path.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
            return [doc for file in files for doc in load_target(file)]
        text = path.read_text(encoding="utf-8")
    elif isinstance(target, str):
        text = target
    else:
        raise ValueError(f"a target configuration is a path, YAML text or dicts, not {target!r}")
    return _parse(text)


def _parse(text: str) -> list[Mapping[str, Any]]:
    import yaml

    try:
        found = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as error:
        raise ValueError(f"the target configuration is not valid YAML: {error}") from None
    out: list[Any] = []
    for document in found:
        if isinstance(document, list):
            out += document
        elif isinstance(document, Mapping) and document.get("kind") == "List":
            out += list(document.get("items") or [])
        else:
            out.append(document)
    for document in out:
        if not isinstance(document, Mapping):
            raise ValueError(f"a target document is a mapping, not {json.dumps(document)[:60]}")
    return out
