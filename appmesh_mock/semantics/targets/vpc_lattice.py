"""How Amazon VPC Lattice routes a request, by the listener-rules guide and the `vpc-lattice`
API model (botocore; [VL] below): the service the client calls, its listener on the port,
then the rule with the lowest priority number whose match accepts the request, else the
listener's default action.

The configuration is the list of API calls that make it, each `{"operation": "CreateRule",
"params": {...}}` with botocore's member names. A call names what an earlier call makes by
`${CreateService.NAME}`, `${CreateListener.SERVICE.NAME}` or `${CreateTargetGroup.NAME}` (the
identifiers AWS gives are not known before the calls run); a plain name works too."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..request import Request
from .common import Destination, Entry, Outcome, backend_key, split

Call = Mapping[str, Any]
NAME = "vpc-lattice"
# [VL quotas] "Rules per listener: 5" and "Header matches per rule: 5" by default; a call
# beyond the first is refused (ServiceQuotaExceededException), the model caps the second.
RULES_PER_LISTENER = 5
# [VL] whether a path prefix matches by character or by whole segment: the guide does not say.
SEGMENT_PREFIXES: bool | None = None


def _ref(value: Any) -> str:
    """The name a reference stands for: `${CreateService.catalog}` -> "catalog"."""
    text = str(value)
    if text.startswith("${") and text.endswith("}"):
        return text[2:-1].split(".", 1)[1]
    return text


def _params(call: Call) -> Mapping[str, Any]:
    return call.get("params") or {}


@dataclass
class Prepared:
    entry: Entry
    listener: Mapping[str, Any] | None = None
    rules: list[Mapping[str, Any]] = field(default_factory=list)
    refused: list[Mapping[str, Any]] = field(default_factory=list)
    tests: dict[int, Callable[[Request], bool]] = field(default_factory=dict)  # by id(rule)
    groups: dict[str, Mapping[str, Any]] = field(default_factory=dict)


def prepare(calls: Sequence[Call], entry: Entry, names: Mapping[str, str]) -> Prepared:
    service = names.get(entry.name, entry.name)
    prepared = Prepared(entry)
    listener_name = None
    for call in calls:
        operation, params = call.get("operation"), _params(call)
        if operation == "CreateTargetGroup":
            prepared.groups[str(params.get("name"))] = params
        elif (operation == "CreateListener" and _ref(params.get("serviceIdentifier")) == service
              and params.get("port") in (None, entry.port) and prepared.listener is None):
            prepared.listener = params
            listener_name = f"{service}.{params.get('name')}"
    for call in calls:
        params = _params(call)
        if call.get("operation") != "CreateRule" or listener_name is None:
            continue
        if _ref(params.get("listenerIdentifier")) not in (listener_name,
                                                          listener_name.split(".", 1)[1]):
            continue
        kept = prepared.rules if len(prepared.rules) < RULES_PER_LISTENER else prepared.refused
        kept.append(params)
    prepared.rules.sort(key=lambda rule: int(rule.get("priority", 0)))
    prepared.tests = {id(r): compile_rule(r) for r in [*prepared.rules, *prepared.refused]}
    return prepared


_TESTS: dict[str, Callable[[str, str], bool]] = {
    "exact": str.__eq__,
    "prefix": str.startswith,
    "contains": lambda v, w: w in v,
}
Test = Callable[[str], bool]


def _string(rule: Mapping[str, Any], case: bool) -> Test:
    """[VL HeaderMatchType] exact, prefix or contains, as a test of one value."""
    for kind, check in _TESTS.items():
        if kind in rule:
            wanted = str(rule[kind]) if case else str(rule[kind]).lower()
            if case:
                return lambda value: check(value, wanted)
            return lambda value: check(value.lower(), wanted)
    return lambda value: False


def compile_rule(rule: Mapping[str, Any]) -> Callable[[Request], bool]:
    """[VL HttpMatch] the method, the path (case-sensitive unless said otherwise [VL
    PathMatch.caseSensitive: "Defaults to true"]) and every header match must hold. A
    prefix is compared by character here; see SEGMENT_PREFIXES. Read once per rule: the
    check runs for every request against every rule."""
    match = (rule.get("match") or {}).get("httpMatch") or {}
    method = match.get("method")
    path = match.get("pathMatch")
    path_test = (_string(path.get("match") or {}, bool(path.get("caseSensitive", True)))
                 if path else None)  # fmt: skip
    # [VL HeaderMatch.caseSensitive] its default is not documented: read as sensitive.
    headers = [(str(h["name"]).lower(), _string(h.get("match") or {},
                                                bool(h.get("caseSensitive", True))))
               for h in match.get("headerMatches") or []]  # fmt: skip

    def test(request: Request) -> bool:
        if method is not None and method != request.method:
            return False
        if path_test is not None and not path_test(request.path):
            return False
        for name, check in headers:
            value = request.headers.get(name)
            if value is None or not check(value):
                return False
        return True

    return test


def _destination(action: Mapping[str, Any], prepared: Prepared, request: Request,
                 label: str) -> Destination | None:
    """[VL ForwardAction] weighted target groups (weight 0..999); a fixed response (404 or
    500) forwards nothing. Lattice rewrites neither path nor Host; the API has no retry
    setting, and what Lattice retries is not documented (None: not compared)."""
    forward = action.get("forward")
    if not forward:
        return None
    weighted = []
    for item in forward.get("targetGroups") or []:
        group = prepared.groups.get(_ref(item.get("targetGroupIdentifier")), {})
        name = str(group.get("name", _ref(item.get("targetGroupIdentifier"))))
        port = (group.get("config") or {}).get("port")
        # A target group NAME-PORT (as `migrate` names them) is the backend NAME on PORT.
        name = name.removesuffix(f"-{port}") if port is not None else name
        weighted.append((backend_key(name, port), int(item.get("weight", 1))))
    shares = split(weighted)
    if not shares:
        return None
    return Destination(shares, request.path, request.host, None, label)


def resolve(prepared: Prepared, request: Request, every: bool = False) -> Outcome:
    """[VL listener rules] "rules are evaluated in priority order, from the lowest value to
    the highest"; the default action when none matches."""
    if prepared.listener is None:
        return Outcome(None)
    found: list[Destination | None] = []
    winner_priority = None
    for rule in prepared.rules:
        if prepared.tests[id(rule)](request):
            if winner_priority is None:
                winner_priority = int(rule.get("priority", 0))
            found.append(_destination(rule.get("action") or {}, prepared, request,
                                      f"rule {rule.get('name')} (priority {rule.get('priority')})"))
            if not every:
                break
    default = _destination(prepared.listener.get("defaultAction") or {}, prepared, request,
                           "the listener's default action")
    outcome = Outcome(found[0] if found else default,
                      [d for d in [*found, default] if d is not None])
    # The first refused rule that would have won (its priority checked first: it is cheaper).
    lost = next((r for r in prepared.refused
                 if (winner_priority is None or int(r.get("priority", 0)) < winner_priority)
                 and prepared.tests[id(r)](request)), None)  # fmt: skip
    if lost is not None:
        outcome.cause = "QUOTA"
        outcome.why = (f"rule {lost.get('name')} is past the {RULES_PER_LISTENER} rules a "
                       "listener holds by default, so its CreateRule was refused")
    elif _prefix_open(prepared, request):
        outcome.unspecified = ("Lattice's docs do not say whether a path prefix matches by "
                               "character or by segment")
    return outcome


def _prefix_open(prepared: Prepared, request: Request) -> bool:
    for rule in prepared.rules:
        path = ((rule.get("match") or {}).get("httpMatch") or {}).get("pathMatch") or {}
        prefix = (path.get("match") or {}).get("prefix")
        if prefix and prefix != "/" and request.path.startswith(prefix):
            rest = request.path[len(prefix):]
            if not prefix.endswith("/") and rest and not rest.startswith("/"):
                return True
    return False


def unsupported(match: Mapping[str, Any]) -> str:
    """What an App Mesh match sets that Lattice's HttpMatch cannot say: query parameters,
    regular expressions, header suffix, range and invert, scheme, hostname, port."""
    found = [key for key in ("queryParameters", "scheme", "hostname") if match.get(key)]
    if "regex" in (match.get("path") or {}):
        found.append("regex path")
    for rule in match.get("headers") or []:
        method = rule.get("match") or {}
        if rule.get("invert") or not method or set(method) - {"exact", "prefix"}:
            found.append(f"header {rule['name']} ({', '.join(method) or 'presence'}"
                         f"{', inverted' if rule.get('invert') else ''})")
    if len(match.get("headers") or []) > 5:
        found.append("more than 5 header matches")
    return ", ".join(found)


def relax(match: Mapping[str, Any]) -> dict[str, Any]:
    headers = [r for r in match.get("headers") or [] if not r.get("invert")
               and set(r.get("match") or {}) <= {"exact", "prefix"} and r.get("match")]
    out = {k: v for k, v in match.items() if k not in ("queryParameters", "scheme", "hostname")}
    if "regex" in (match.get("path") or {}):
        out.pop("path")
    return {**out, "headers": headers[:5]}
