"""`load` for every format: our state document, Describe outputs and captured CLI output go to
service/load.py as they always did; CloudFormation, Terraform and the App Mesh controller's
Kubernetes resources are translated into the Create* requests they describe and made through
the same handlers (service/load.apply), all or nothing."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..backend.store import Store
from ..service import load as state_load
from ..service.identity import DEFAULT_ACCOUNT_ID, default_region, fixed_account
from ..service.load import CreateRequest
from ..service.state_input import StateError
from . import cloudformation, kubernetes, terraform
from .documents import Document, is_path, read

FORMATS = ("state", "cloudformation", "terraform", "kubernetes")


class LoadReport(int):
    """The number of resources loaded (an int, as `load` always returned), and `not_loaded`:
    what the files held that is not an App Mesh resource or field the API has (other
    CloudFormation types and Terraform resources, controller-only fields such as
    podSelector), one readable line each."""

    not_loaded: tuple[str, ...]

    def __new__(cls, loaded: int, not_loaded: tuple[str, ...] = ()) -> LoadReport:
        report = super().__new__(cls, loaded)
        report.not_loaded = not_loaded
        return report

    def __repr__(self) -> str:
        return f"LoadReport(loaded={int(self)}, not_loaded={list(self.not_loaded)!r})"


def load(
    store: Store,
    source: Any,
    quotas: Mapping[str, int],
    *,
    format: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    account_id: str | None = None,
) -> LoadReport:
    if format is not None and format not in FORMATS:
        raise StateError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
    if parameters is not None and not isinstance(parameters, Mapping):
        raise StateError("parameters must be a mapping of names to values")
    if format == "state":
        return LoadReport(state_load.load(store, source, quotas))
    documents = read(source)
    if format is None and {found for _, _, found in documents} == {"state"}:
        given = source
        if isinstance(source, str | bytes) and not is_path(source):
            parsed = [document for _, document, _ in documents]
            given = parsed[0] if len(parsed) == 1 else parsed
        return LoadReport(state_load.load(store, given, quotas))
    return load_documents(store, documents, quotas, format=format, parameters=parameters,
                          account_id=account_id)


def load_documents(
    store: Store,
    documents: list[Document],
    quotas: Mapping[str, int],
    *,
    format: str | None = None,
    parameters: Mapping[str, Any] | None = None,
    account_id: str | None = None,
) -> LoadReport:
    """Loads configuration files already read (`documents.read`), all or nothing. One
    document of another format is an error; among several (a folder: a walkthrough's
    parameter files, a chart's values), it is reported and left out."""
    not_loaded: list[str] = []
    wanted = (format,) if format is not None else FORMATS[1:]
    kept = []
    for where, document, found in documents:
        if found in wanted:
            kept.append((where, document, found))
            continue
        expected = format or "CloudFormation, Terraform or Kubernetes"
        problem = f"{where or 'the document'}: not a {expected} document (it reads as {found})"
        if len(documents) == 1:
            raise StateError(problem)
        not_loaded.append(problem)
    account = fixed_account(account_id) or DEFAULT_ACCOUNT_ID
    region = str((parameters or {}).get("AWS::Region") or default_region())
    made = translate(kept, parameters or {}, account, region, not_loaded)
    loaded = state_load.apply(store, made, quotas, account, region)
    return LoadReport(loaded, tuple(not_loaded))


def translate(
    documents: list[Document], parameters: Mapping[str, Any], account: str, region: str,
    not_loaded: list[str],
) -> list[CreateRequest]:
    """The Create* requests `documents` describe, in an order the service accepts."""
    def of(kind: str) -> list[tuple[str, Any]]:
        return [(where, doc) for where, doc, found in documents if found == kind]

    made = cloudformation.requests(of("cloudformation"), parameters, account, region,
                                   not_loaded)
    made += terraform.requests(of("terraform"), parameters, account, region, not_loaded)
    made += kubernetes.requests(of("kubernetes"), parameters, account, not_loaded)
    return made
