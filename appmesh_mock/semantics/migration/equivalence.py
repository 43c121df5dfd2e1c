"""Whether a target configuration routes like the mesh: the same requests resolved on both
sides (App Mesh by `resolve`'s rules, the target by its own documented rules), and for each
request that lands elsewhere, why."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..describe import route_body
from ..document import MeshView
from ..gateways import through_gateway
from ..matching import compile_http
from ..request import Request
from ..result import Resolution
from ..routers import through_service
from ..targets.common import Destination, Entry, Outcome, same_backend
from . import requests
from .flat import DEFAULT_RETRIES, entries, rules_for
from .ledger import Ledger
from .naming import node_key
from .report import Difference, Equivalence
from .rules import FlatRule


def appmesh_side(view: MeshView, entry: Entry, request: Request,
                 names: Mapping[str, str]) -> tuple[Destination | None, Resolution]:
    """App Mesh's answer, by `resolve`'s own steps over the mesh view read once."""
    result = Resolution(explain=False)
    service = entry.name
    if entry.kind == "gateway":
        entered = through_gateway(view, entry.name, request, result)
        if entered is None:
            return None, result
        service, request = entered
    else:
        result.host = request.host
    through_service(view, service, request, result)
    result.path = request.path
    if not result.matched:
        return None, result
    shares: dict[str, float] = {}
    for target in result.targets:
        if target.share > 0:
            key = node_key(names, target.virtual_node, target.port)
            shares[key] = shares.get(key, 0.0) + target.share
    retries: int | None = DEFAULT_RETRIES
    if result.route is not None and result.virtual_router is not None:
        route = view.get("route", (result.virtual_router, result.route)) or {}
        kind, body = route_body(route.get("spec") or {})
        policy = body.get("retryPolicy")
        retries = None if kind == "tcpRoute" else (
            DEFAULT_RETRIES if policy is None else int(policy.get("maxRetries", 0)))
    label = " -> ".join(x for x in (result.gateway_route and f"gatewayRoute {result.gateway_route}",
                                    result.route and f"route {result.route}") if x)
    return Destination(tuple(sorted(shares.items())), result.path or request.path, result.host,
                       retries, label or f"virtualService {service}"), result


def same_place(left: Destination | None, right: Destination | None) -> bool:
    if left is None or right is None:
        return left is right
    if len(left.targets) != len(right.targets):
        return False
    return all(same_backend(a, b) and abs(x - y) < 1e-6
               for (a, x), (b, y) in zip(left.targets, right.targets, strict=True))


def _prefix_differs(path: str, prefix: str) -> bool:
    by_character = path.startswith(prefix)
    trimmed = prefix.rstrip("/")
    by_segment = not trimmed or path == trimmed or path.startswith(trimmed + "/")
    return by_character != by_segment


def cause(am: Destination | None, outcome: Outcome, request: Request, rules: list[FlatRule],
          matched: list[FlatRule], sending: list[FlatRule], target: Any) -> tuple[str, str]:
    """The cause of one difference, tried from the most to the least specific reading.
    `matched`: the rules whose App Mesh match accepts the request, in App Mesh's order;
    `sending`: the rules that send where the target sent it."""
    tg = outcome.destination
    if am is not None and tg is not None and same_place(am, tg):
        if am.path != tg.path or am.host != tg.host:
            return "REWRITE_DEFAULT", (f"App Mesh sends {am.host}{am.path}, the target "
                                       f"{tg.host}{tg.path}")
        return "POLICY_DEFAULT", f"retries: App Mesh {am.retries}, the target {tg.retries}"
    if outcome.cause is not None:
        return outcome.cause, outcome.why
    chosen = [r for r in matched if r.targets][:1]
    # The rule App Mesh chose, and the rules that send where the target did and would have
    # taken the request had the criteria the target lacks been dropped.
    suspects = chosen + [r for r in sending if _relaxed(r, target)(request)]
    for rule in suspects:
        missing = target.unsupported(rule.match)
        if missing:
            return "MATCHER_UNSUPPORTED", f"{rule.sources[-1]} matches on {missing}"
    if am is not None and any(same_place(am, c) for c in outcome.candidates[1:]):
        return "PRECEDENCE", (f"a rule of the target that sends where App Mesh does also "
                              f"matches, but {tg.rule if tg else 'another'} is ranked first")
    if target.SEGMENT_PREFIXES is not False:
        for rule in rules:
            prefix = rule.match.get("prefix")
            if prefix is not None and _prefix_differs(request.path, str(prefix)):
                word = "unspecified by the target's docs" if target.SEGMENT_PREFIXES is None \
                    else "whole segments"
                return "PREFIX_SEMANTICS", (f"App Mesh matches prefix {prefix} by character; "
                                            f"the target by {word}")
    return "NOT_REPRESENTABLE", "no rule of the target sends this request where App Mesh does"


def _sends(rule: FlatRule, destination: Destination, names: Mapping[str, str]) -> bool:
    if rule.shares is None:
        total = sum(w for _, w, _ in rule.targets)
        rule.shares = Destination(tuple(sorted(
            (node_key(names, n, p), w / total) for n, w, p in rule.targets if w)), "", None
        ) if total else False
    return rule.shares is not False and same_place(rule.shares, destination)


def check(view: MeshView, to: str, target: Any, documents: Sequence[Mapping[str, Any]],
          names: Mapping[str, str], ledger: Ledger | None = None,
          generated: int = 100) -> Equivalence:
    """Every boundary request (and `generated` more from Hypothesis) of every entry point."""
    report = Equivalence(view.name, to)
    scratch = ledger or Ledger()
    relied: dict[str, int] = {}
    for entry, protocol in entries(view):
        rules = rules_for(view, entry, Ledger())
        try:
            prepared = target.prepare(documents, entry, names)
        except (AttributeError, TypeError, KeyError, ValueError) as error:
            raise _malformed(to, error) from None
        grpc = protocol == "grpc"
        if protocol == "tcp":
            probes = [requests.Probe("/", "TCP")]
        else:
            pieces = requests.from_target(list(documents), requests.from_appmesh(
                rules, requests.Pieces()))
            if entry.kind == "gateway":
                pieces.hosts.update(h for h in [names.get(entry.name)] if h)
            probes, thin = requests.thinned(requests.boundary(rules, pieces, grpc))
            if thin:
                report.notes.append(f"{entry.kind} {entry.name}: boundary requests thinned to "
                                    f"{len(probes)}")
            extra = requests.generated(pieces, grpc, generated) if generated else []
            report.generated += len(extra)
            probes = list(dict.fromkeys(probes + extra))
        for probe in probes:
            report.requests += 1
            request = Request.build(probe.path, probe.method, "http", probe.host, entry.port,
                                    dict(probe.headers), dict(probe.query) or None)
            am, _ = appmesh_side(view, entry, request, names)
            try:
                outcome = target.resolve(prepared, request)
                if not _same(am, outcome.destination, entry):
                    outcome = target.resolve(prepared, request, every=True)
            except (AttributeError, TypeError, KeyError, ValueError) as error:
                raise _malformed(to, error) from None
            if outcome.unspecified:
                relied[outcome.unspecified] = relied.get(outcome.unspecified, 0) + 1
            tg = outcome.destination
            if _same(am, tg, entry):
                continue
            matched = [r for r in rules if accepts(r, request)]
            sending = [r for r in rules if tg is not None and _sends(r, tg, names)]
            why, explanation = cause(am, outcome, request, rules, matched, sending, target)
            if outcome.unspecified:
                explanation += f" ({outcome.unspecified})"
            # The App Mesh resources that decided the request (all of them when none did),
            # and those that send where the target did: the ledger entries that may declare it.
            sources = [s for r in matched + sending for s in r.sources]
            if am is None:
                sources += [s for r in rules for s in r.sources]
            report.differences.append(Difference(
                entry=entry, request=probe, appmesh=am, target=tg, cause=why,
                explanation=explanation,
                declared=scratch.declared(why, sources) if ledger is not None else False))
    report.notes += [f"{count} request(s) decided where the target's docs are silent: {what}"
                     for what, count in relied.items()]
    if not report.requests:
        report.notes.append("the mesh has no virtual service or gateway listener to check")
    if generated and not requests.HYPOTHESIS:
        report.notes.append("Hypothesis is not installed: boundary requests only "
                            "(pip install 'appmesh-mock[migrate]')")
    return report


def _same(am: Destination | None, tg: Destination | None, entry: Entry) -> bool:
    """Same backends and shares, path, Host (through a gateway) and retries (where both say)."""
    return same_place(am, tg) and (am is None or tg is None or (
        am.path == tg.path and (entry.kind == "service" or am.host == tg.host)
        and (am.retries is None or tg.retries is None or am.retries == tg.retries)))


def _malformed(to: str, error: Exception) -> ValueError:
    return ValueError(f"the {to} configuration is malformed ({type(error).__name__}: {error}); "
                      "it does not follow the target's schema")


def _relaxed(rule: FlatRule, target: Any) -> Any:
    """The rule's match without what the target lacks, compiled once per rule (the rules are
    made for one check, so for one target)."""
    if rule.relaxed is None:
        rule.relaxed = compile_http(target.relax(rule.match)).accepts
    return rule.relaxed


def accepts(rule: FlatRule, request: Request) -> bool:
    """Whether App Mesh's match of a rule accepts the request (compiled once per rule)."""
    if rule.check is None:
        rule.check = compile_http(rule.match).accepts
    return bool(rule.check(request))
