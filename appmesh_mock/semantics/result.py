"""What `resolve` answers: the hops a request takes and where its traffic lands."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class Step(NamedTuple):
    """One hop: the kind and name of the resource, and the rule or route that decided it."""

    kind: str
    name: str
    rule: str


class Target(NamedTuple):
    """A virtual node that receives traffic, with its weight and its share of the total."""

    virtual_node: str
    weight: int
    share: float
    port: int | None


@dataclass
class Resolution:
    """Where a request goes. `matched` is False when it goes nowhere; `reason` says why."""

    matched: bool = False
    reason: str | None = None
    steps: list[Step] = field(default_factory=list)
    gateway_route: str | None = None
    virtual_service: str | None = None
    virtual_router: str | None = None
    route: str | None = None
    path: str | None = None
    host: str | None = None
    targets: list[Target] = field(default_factory=list)
    # False when only where the request goes is read (the equivalence check): the rule of
    # each step is then not explained against the runner-up.
    explain: bool = field(default=True, repr=False, compare=False)

    def step(self, kind: str, name: str, rule: str) -> None:
        self.steps.append(Step(kind, name, rule))

    def refuse(self, reason: str) -> Resolution:
        self.matched = False
        self.reason = reason
        self.targets = []
        return self

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form (what `appmesh-mock resolve --json` prints)."""
        return {
            "matched": self.matched,
            "reason": self.reason,
            "steps": [step._asdict() for step in self.steps],
            "gateway_route": self.gateway_route,
            "virtual_service": self.virtual_service,
            "virtual_router": self.virtual_router,
            "route": self.route,
            "path": self.path,
            "host": self.host,
            "targets": [target._asdict() for target in self.targets],
        }

    def __str__(self) -> str:
        hops = " ".join(
            f"{_KIND_WORDS.get(s.kind, s.kind)} {s.name}: {s.rule}." for s in self.steps
        )
        if not self.matched:
            return f"{hops} Not matched: {self.reason}".strip()
        split = ", ".join(
            f"{t.virtual_node}{'' if t.port is None else f':{t.port}'} {t.share:.0%}"
            f" (weight {t.weight})"
            for t in self.targets
        )
        where = f" for {self.host}{self.path}" if self.host is not None else ""
        return f"{hops} Traffic{where} goes to {split}.".strip()


_KIND_WORDS = {
    "virtualGateway": "Virtual gateway",
    "gatewayRoute": "Gateway route",
    "virtualService": "Virtual service",
    "virtualRouter": "Virtual router",
    "route": "Route",
    "virtualNode": "Virtual node",
}
