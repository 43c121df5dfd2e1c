"""The mock's methods that read one mesh of its state: where a request goes, the picture, the
Envoy App Mesh configured, and leaving App Mesh (docs/routing.md, docs/dataplane.md,
docs/migration.md). Each hands the mesh's state document to the pure function of its room;
`MockAppMesh` inherits them."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any

from .. import dataplane, semantics
from ..semantics import Resolution, migration
from ..semantics.migration import Equivalence, Migration
from ..semantics.request import QueryInput
from ..service import export as state_export
from ..session import RUNTIME
from ..xds import run as xds_run


class MeshMethods:
    """What the mesh does with a request, and the proxies that carry it out."""

    def resolve(
        self,
        mesh_name: str,
        *,
        service: str | None = None,
        gateway: str | None = None,
        source: str | None = None,
        path: str = "/",
        method: str = "GET",
        headers: Mapping[str, str] | None = None,
        query: QueryInput = None,
        port: int | None = None,
        host: str | None = None,
        scheme: str = "http",
        account_id: str | None = None,
        region: str | None = None,
        mesh_owner: str | None = None,
    ) -> Resolution:
        """Where a request goes in `mesh_name`: `appmesh_mock.resolve` over this mock's state."""
        return semantics.resolve(
            state_export.mesh_document(RUNTIME.store, mesh_name), mesh_name,
            service=service, gateway=gateway, source=source,
            path=path, method=method, headers=headers, query=query, port=port, host=host,
            scheme=scheme, account_id=account_id, region=region, mesh_owner=mesh_owner,
        )  # fmt: skip

    def envoy_config(
        self,
        mesh_name: str,
        *,
        gateway: str | None = None,
        node: str | None = None,
        endpoints: Mapping[str, str] | None = None,
    ) -> dict[str, Any]:
        """The Envoy bootstrap App Mesh gave virtual gateway `gateway` or virtual node `node`
        (docs/dataplane.md); `endpoints` maps node names to "host:port"."""
        document = state_export.mesh_document(RUNTIME.store, mesh_name)
        return dataplane.envoy_config(document, mesh_name, gateway=gateway, node=node,
                                      endpoints=endpoints)  # fmt: skip

    def run_envoy(
        self, mesh_name: str, *, gateway: str | None = None, node: str | None = None,
        endpoints: Mapping[str, str] | None = None,
    ) -> AbstractContextManager[xds_run.ListenerUrls]:  # fmt: skip
        """The real Envoy (`appmesh-mock[envoy]`) as `gateway` or `node`, configured live over
        xDS from this mock: `with m.run_envoy("shop", gateway="gw") as urls:` gives each
        listener's URL by its port in the mesh (`urls.url`: the first); docs/dataplane.md."""
        return xds_run.run_envoy(RUNTIME.store, mesh_name, gateway=gateway, node=node,
                                 endpoints=endpoints)  # fmt: skip

    def topology(
        self,
        mesh_name: str,
        format: str = "text",
        *,
        account_id: str | None = None,
        region: str | None = None,
        mesh_owner: str | None = None,
    ) -> str:
        """The mesh drawn as "text" (a tree), "mermaid" or "dot"."""
        return semantics.topology(
            state_export.mesh_document(RUNTIME.store, mesh_name), mesh_name, format,
            account_id=account_id, region=region, mesh_owner=mesh_owner,
        )  # fmt: skip

    def migrate(self, mesh_name: str, *, to: str, **options: Any) -> Migration:
        """`appmesh_mock.migrate` over this mock's state: the `to` configuration that routes as
        the mesh does, its ledger and its differences (docs/migration.md)."""
        document = state_export.mesh_document(RUNTIME.store, mesh_name)
        return migration.migrate(document, mesh_name, to=to, **options)

    def check_equivalence(self, mesh_name: str, target: Any, *, to: str,
                          backends: Mapping[str, str] | None = None, **options: Any) -> Equivalence:
        """Whether `target` (a path, a folder, YAML text or dicts) routes as the mesh does."""
        document = state_export.mesh_document(RUNTIME.store, mesh_name)
        return migration.check_equivalence(document, mesh_name, target, to=to, backends=backends,
                                           **options)  # fmt: skip
