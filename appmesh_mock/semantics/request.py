"""The request being resolved, normalised once: path without its query string, query
parameters as lists, header names in lower case (HTTP header names are case-insensitive,
RFC 9110 5.1), and the pseudo-headers Envoy matches on (`:method`, `:scheme`, `:path`,
`:authority`; the App Mesh header-routing walkthrough matches `:method` and `:scheme`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qs

QueryInput = Mapping[str, str | Sequence[str]] | str | None


@dataclass(frozen=True)
class Request:
    path: str
    method: str
    scheme: str
    host: str | None
    port: int | None
    headers: Mapping[str, str]
    query: Mapping[str, tuple[str, ...]]

    @classmethod
    def build(
        cls,
        path: str,
        method: str,
        scheme: str,
        host: str | None,
        port: int | None,
        headers: Mapping[str, str] | None,
        query: QueryInput,
    ) -> Request:
        path, _, query_string = path.partition("?")
        merged: dict[str, list[str]] = {}
        if query_string:  # parse_qs costs more than the rest of a resolution's set-up
            merged = {k: list(v) for k, v in parse_qs(query_string, keep_blank_values=True).items()}
        extra = parse_qs(query, keep_blank_values=True) if isinstance(query, str) else query or {}
        for name, value in extra.items():
            values = [value] if isinstance(value, str) else list(value)
            merged.setdefault(name, []).extend(values)
        return cls(
            path=path or "/",
            method=method.upper(),
            scheme=scheme.lower(),
            host=host,
            port=port,
            headers={k.lower(): str(v) for k, v in (headers or {}).items()},
            query={k: tuple(v) for k, v in merged.items()},
        )

    @property
    def hostname(self) -> str | None:
        """The Host header without a port, lower-cased (DNS names are case-insensitive)."""
        if self.host is None:
            return None
        name = self.host.rsplit(":", 1)[0] if self.host.count(":") == 1 else self.host
        return name.lower()

    def header(self, name: str) -> str | None:
        pseudo = {
            ":method": self.method,
            ":scheme": self.scheme,
            ":path": self.path,
            ":authority": self.host,
        }
        lowered = name.lower()
        return pseudo[lowered] if lowered in pseudo else self.headers.get(lowered)

    @property
    def grpc_parts(self) -> tuple[str, str] | None:
        """(service, method) of a gRPC call, which puts `/package.Service/Method` in :path."""
        parts = self.path.split("/")
        if len(parts) == 3 and parts[0] == "" and parts[1] and parts[2]:
            return parts[1], parts[2]
        return None

    def moved(
        self, *, path: str | None = None, host: str | None = None, port: int | None = None
    ) -> Request:
        # The constructor, not dataclasses.replace: this runs on every hop of every request.
        return Request(
            self.path if path is None else path,
            self.method,
            self.scheme,
            self.host if host is None else host,
            port,
            self.headers,
            self.query,
        )
