"""One Envoy's ADS stream, state of the world: which proxy it is, what it subscribed to, what
it was last sent of each resource type, and its ACKs and NACKs. The server (xds/server.py)
feeds it the Envoy's requests and the store's changes; it answers with the responses to send.

Clusters go before listeners and listeners before route configurations, so that a new route
never names a cluster Envoy does not have yet [E xDS protocol: "eventual consistency
considerations"]. A type is sent only when what this Envoy sees of it changed."""

from __future__ import annotations

import itertools
import logging
import time
from dataclasses import dataclass
from typing import Any

from ..backend.store import Store
from ..dataplane.common import EnvoyConfigError
from ..dataplane.dynamic import Resources, resources
from ..semantics.document import load_document, select_mesh
from ..service.export import mesh_document
from . import protos
from .node import METADATA_KEY, ProxyId, parse_node_id
from .registry import ProxyStatus, count_nack

LOG = logging.getLogger("appmesh_mock.xds")
ORDER = (protos.CLUSTER, protos.LISTENER, protos.ROUTE)
SHORT = {protos.CLUSTER: "clusters", protos.LISTENER: "listeners", protos.ROUTE: "routes"}
_VERSIONS = itertools.count(1)  # process-wide: a reconnecting Envoy never sees a version again
_NONCES = itertools.count(1)


@dataclass
class _Subscription:
    names: set[str] | None = None  # None: every resource of the type (LDS, CDS)
    sent: list[dict[str, Any]] | None = None  # None: nothing sent yet
    nonce: str = ""
    version: str = ""


class ProxyStream:
    def __init__(self, store: Store, peer: str) -> None:
        self.store = store
        self.status = ProxyStatus(node_id="", peer=peer, connected_at=time.time())
        self.proxy: ProxyId | None = None
        self.endpoints: dict[str, str] = {}
        self.loopback: str | None = None
        self._subscriptions: dict[str, _Subscription] = {}
        self._rendered: Resources | None = None
        self._generation = -1

    def identify(self, node: Any) -> None:
        """Reads the node of the stream's first request: its id and our metadata."""
        self.status.node_id = str(node.id)
        self.proxy = parse_node_id(self.status.node_id)
        if self.proxy is not None:
            self.status.mesh = self.proxy.mesh
        ours = protos.metadata(node).get(METADATA_KEY) or {}
        self.endpoints = {str(k): str(v) for k, v in (ours.get("endpoints") or {}).items()}
        self.loopback = str(ours["loopback"]) if ours.get("loopback") else None
        if self.proxy is None:
            self._wait(
                f"node id {self.status.node_id!r} names no virtual node or gateway (expected "
                "its ARN or mesh/<mesh>/virtualNode|virtualGateway/<name>)"
            )
        else:
            LOG.info("xds: %s connected from %s", self.status.node_id, self.status.peer)

    def on_request(self, request: Any) -> list[Any]:
        if not self.status.node_id:
            self.identify(request.node)
        type_url = str(request.type_url)
        if type_url not in ORDER:
            LOG.info("xds: %s asked for %s, which is not served", self.status.node_id, type_url)
            return []
        subscription = self._subscriptions.get(type_url)
        names = set(request.resource_names) if type_url == protos.ROUTE else None
        if subscription is None or not request.response_nonce:
            # A new subscription (on this stream): answer it whatever it holds already.
            self._subscriptions[type_url] = _Subscription(names=names)
            return self._push()
        if request.response_nonce != subscription.nonce:
            return []  # about an older response: the newer one is on its way [E xDS protocol]
        if request.HasField("error_detail"):
            self._nack(type_url, subscription.version, str(request.error_detail.message))
        else:
            self.status.last_ack = str(request.version_info)
            self.status.types[type_url] = str(request.version_info)
        if names != subscription.names:
            subscription.names = names  # a listener now names other route configurations
            return self._push()
        return []

    def on_change(self) -> list[Any]:
        """Responses for what a write changed for this Envoy (none if nothing did)."""
        return self._push()

    def _nack(self, type_url: str, version: str, error: str) -> None:
        self.status.nacks += 1
        self.status.last_nack, self.status.nack_error = version, error
        count_nack()
        LOG.warning(
            "xds: NACK: %s refused version %s of its %s: %s",
            self.status.node_id, version, SHORT[type_url], error,
        )  # fmt: skip

    def _wait(self, why: str) -> None:
        if why != self.status.waiting:
            LOG.warning("xds: %s (%s): %s; it gets its configuration once that is fixed",
                        self.status.node_id, self.status.peer, why)  # fmt: skip
        self.status.waiting = why

    def _render(self) -> Resources | None:
        generation = self.store.generation
        if generation == self._generation and self._rendered is not None:
            return self._rendered
        self._generation = generation
        proxy = self.proxy
        if proxy is None:
            return None
        try:
            view = select_mesh(
                load_document(mesh_document(self.store, proxy.mesh)), proxy.mesh,
                region=proxy.region, mesh_owner=proxy.account,
            )  # fmt: skip
            if isinstance(view, str):
                raise EnvoyConfigError(view)
            which = {"gateway" if proxy.kind == "virtualGateway" else "node": proxy.name}
            self._rendered = resources(
                view, endpoints=self.endpoints, loopback=self.loopback, **which
            )
        except EnvoyConfigError as error:
            self._wait(str(error))
            return None
        if self.status.waiting is not None:
            LOG.info("xds: %s can be configured now", self.status.node_id)
            self.status.waiting = None
        return self._rendered

    def _push(self) -> list[Any]:
        """Every subscribed type whose resources differ from what was last sent, in ORDER.
        All types, whatever asked: a request answered from a newer state than the last push
        (a write between its mark and this request) may need clusters or listeners too, and
        the write's own mark then finds its generation rendered already."""
        rendered = self._render()
        if rendered is None:
            return []
        found = []
        for type_url in ORDER:
            subscription = self._subscriptions.get(type_url)
            if subscription is None:
                continue
            payload = _of_type(rendered, type_url)
            if subscription.names is not None:
                payload = [r for r in payload if r["name"] in subscription.names]
            if payload == subscription.sent:
                continue
            version, nonce = str(next(_VERSIONS)), str(next(_NONCES))
            try:
                found.append(protos.response(type_url, version, nonce, payload))
            except Exception as error:  # a rendering bug: say so, keep serving the rest
                self._wait(f"its {SHORT[type_url]} do not convert to Envoy's types: {error}")
                continue
            subscription.sent, subscription.nonce, subscription.version = payload, nonce, version
            self.status.version_sent = version
        return found


def _of_type(rendered: Resources, type_url: str) -> list[dict[str, Any]]:
    if type_url == protos.CLUSTER:
        return rendered.clusters
    return rendered.listeners if type_url == protos.LISTENER else rendered.routes
