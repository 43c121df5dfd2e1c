"""What every target's resolver answers, in the same shape as App Mesh's answer, so that the
two can be compared: where a request lands (backends and shares), the path and Host the
backend sees, and the retries the route applies (None where the target leaves it
unspecified)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..request import Request

_CLUSTER_SUFFIXES = (".svc.cluster.local", ".svc")


class Entry(NamedTuple):
    """Where a request enters: a virtual gateway (`gateway`) or a virtual service called from
    inside the mesh (`service`), by its App Mesh name, and the listener port if any."""

    kind: str
    name: str
    port: int | None


@dataclass(frozen=True)
class Destination:
    """Where a request is sent: `targets` as sorted (backend, share) pairs with share > 0."""

    targets: tuple[tuple[str, float], ...]
    path: str
    host: str | None
    retries: int | None = None
    rule: str = ""
    grpc: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "targets": [{"backend": b, "share": round(s, 4)} for b, s in self.targets],
            "path": self.path,
            "host": self.host,
            "retries": self.retries,
            "rule": self.rule,
        }


@dataclass
class Outcome:
    """A target's answer: the destination (None when nothing takes the request) and every
    rule that matched, in the target's precedence order (the first won), each with where it
    would send the request; `unspecified` names a rule the target's docs leave open."""

    destination: Destination | None
    candidates: list[Destination] = field(default_factory=list)
    unspecified: str | None = None
    # The cause, where the target's rules name it themselves (a refused rule: QUOTA), and why.
    cause: str | None = None
    why: str = ""


def backend_key(host: str, port: Any = None, subset: str | None = None) -> str:
    """A backend as `name[:port][/subset]`: a Kubernetes Service named in full
    (`catalog.shop.svc.cluster.local`) and by its short name are the same backend."""
    name = str(host).lower()
    for suffix in _CLUSTER_SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)].split(".")[0]
    key = name if port in (None, "") else f"{name}:{port}"
    return f"{key}/{subset}" if subset else key


def same_backend(left: str, right: str) -> bool:
    """Equal keys, or equal names where one side does not say the port."""
    if left == right:
        return True
    (lname, _, lsub), (rname, _, rsub) = left.partition("/"), right.partition("/")
    lhost, _, lport = lname.partition(":")
    rhost, _, rport = rname.partition(":")
    return lhost == rhost and lsub == rsub and (not lport or not rport or lport == rport)


def split(weighted: list[tuple[str, int]]) -> tuple[tuple[str, float], ...] | None:
    """(backend, share) from (backend, weight); None when every weight is 0 (no traffic)."""
    total = sum(w for _, w in weighted)
    if total <= 0:
        return None
    shares: dict[str, float] = {}
    for backend, weight in weighted:
        if weight > 0:
            shares[backend] = shares.get(backend, 0.0) + weight / total
    return tuple(sorted(shares.items()))


def full_match(pattern: str, text: str) -> bool:
    """A RE2 pattern against the whole text (Envoy's and Istio's reading); a pattern Python
    cannot compile matches nothing."""
    try:
        return re.fullmatch(pattern, text) is not None
    except re.error:
        return False


def host_matches(pattern: str, host: str | None) -> bool:
    """A Kubernetes-style host pattern: exact, `*` or `*.suffix` (one or more labels)."""
    if host is None:
        return pattern == "*"
    name = host.rsplit(":", 1)[0].lower() if host.count(":") == 1 else host.lower()
    pattern = pattern.lower()
    if pattern == "*":
        return True
    if pattern.startswith("*."):
        return name.endswith(pattern[1:]) and len(name) > len(pattern) - 1
    return name == pattern or backend_key(name) == backend_key(pattern)


def is_grpc(request: Request) -> bool:
    return request.headers.get("content-type", "").startswith("application/grpc")
