"""Sample inputs and outputs generated from botocore's App Mesh models, never written by hand.

Two generators walk the same shapes:

- `Samples` builds deterministic values (for the conformance tests): every member of every
  structure is set, each union member and each enum value is chosen in turn across successive
  samples, and strings, numbers and lists respect min, max, enum and pattern.
- `strategy_for` builds hypothesis strategies (for the property tests): valid values drawn at
  random, optionally with resource names drawn from a small pool so that references between
  resources resolve often enough to reach deep states.

`wire_request` turns an input dict into the bytes botocore would send, using botocore's own
rest-json serializer, so the mock is always fed real client output.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from botocore.awsrequest import create_request_object, prepare_request_dict
from botocore.model import ListShape, MapShape, OperationModel, Shape, StructureShape
from botocore.serialize import create_serializer
from hypothesis import strategies as st

ENDPOINT = "https://appmesh.us-east-1.amazonaws.com"

# Candidate strings tried, in order, against a shape's pattern and length bounds. Labels in URIs
# get a space, a non-ASCII letter and a slash so that percent-encoding is exercised too.
_PLAIN = ("sample", "abc", "a", "x1", "0")


def member_paths(shape: Shape, path: str = "") -> Iterator[tuple[str, Shape]]:
    """Every (dotted path, shape) reachable from `shape` (lists as `[]`)."""
    yield path, shape
    if isinstance(shape, StructureShape):
        for name, member in shape.members.items():
            yield from member_paths(member, f"{path}.{name}" if path else name)
    elif isinstance(shape, ListShape):
        yield from member_paths(shape.member, f"{path}[]")
    elif isinstance(shape, MapShape):
        yield from member_paths(shape.value, f"{path}{{}}")


def _bounded(text: str, shape: Shape) -> str:
    low = shape.metadata.get("min", 0)
    high = shape.metadata.get("max")
    if len(text) < low:
        text = text + "x" * (low - len(text))
    if high is not None and len(text) > high:
        text = text[:high]
    return text


def _pattern_ok(text: str, shape: Shape) -> bool:
    pattern = shape.metadata.get("pattern")
    return pattern is None or re.search(pattern, text) is not None


@dataclass
class Samples:
    """Deterministic samples. `chosen` remembers, per union or enum shape, what was used, so
    each new sample prefers what earlier ones left out."""

    chosen: dict[str, set[str]] = field(default_factory=dict)
    counter: int = 0

    def _pick(self, shape_name: str, options: list[str]) -> str:
        used = self.chosen.setdefault(shape_name, set())
        for option in options:
            if option not in used:
                used.add(option)
                return option
        option = options[self.counter % len(options)]
        return option

    def _pick_member(self, union: StructureShape) -> str:
        """A union member no sample chose yet, else the one leading to the most uncovered."""
        used = self.chosen.setdefault(union.name, set())
        fresh = [name for name in union.members if name not in used]
        if fresh:
            used.add(fresh[0])
            return fresh[0]
        best = max(union.members, key=lambda name: self.uncovered(union.members[name]))
        if self.uncovered(union.members[best]):
            return best
        return list(union.members)[self.counter % len(union.members)]

    def uncovered(self, shape: Shape) -> int:
        """How many union members and enum values reachable from `shape` no sample used yet."""
        missing = 0
        seen: set[str] = set()
        for _, sub in member_paths(shape):
            if sub.name in seen:
                continue
            seen.add(sub.name)
            options: list[str] = []
            if isinstance(sub, StructureShape) and sub.metadata.get("union"):
                options = list(sub.members)
            elif sub.type_name == "string" and sub.enum:
                options = list(sub.enum)
            missing += len(set(options) - self.chosen.get(sub.name, set()))
        return missing

    def value(self, shape: Shape, *, minimal: bool = False, in_uri: bool = False) -> Any:
        self.counter += 1
        n = self.counter
        if isinstance(shape, StructureShape):
            if shape.metadata.get("union"):
                name = self._pick_member(shape)
                return {name: self.value(shape.members[name], minimal=minimal)}
            required = set(shape.required_members)
            out: dict[str, Any] = {}
            for name, member in shape.members.items():
                if minimal and name not in required:
                    continue
                location = member.serialization.get("location")
                out[name] = self.value(member, minimal=minimal, in_uri=location == "uri")
            return out
        if isinstance(shape, ListShape):
            low = shape.metadata.get("min", 0)
            high = shape.metadata.get("max", 2)
            length = max(low, 0 if minimal and low == 0 else 1, min(2, high))
            return [self.value(shape.member, minimal=minimal) for _ in range(length)]
        if isinstance(shape, MapShape):
            return {f"k{n}": self.value(shape.value, minimal=minimal)}
        kind = shape.type_name
        if kind == "string":
            if shape.enum:
                return self._pick(shape.name, list(shape.enum))
            return self._string(shape, n, in_uri)
        if kind in ("integer", "long"):
            low = shape.metadata.get("min", 0)
            high = shape.metadata.get("max", low + 1000)
            return (low, high, (low + high) // 2)[n % 3]
        if kind in ("double", "float"):
            return 1.5 + n
        if kind == "boolean":
            return n % 2 == 0
        if kind == "timestamp":
            # Epoch seconds with millisecond precision, as the service writes them.
            return round(1_700_000_000.123 + n, 3)
        raise AssertionError(f"no sample for shape type {kind}")

    def _string(self, shape: Shape, n: int, in_uri: bool) -> str:
        candidates = [f"{c}{n}" for c in _PLAIN] + list(_PLAIN)
        if in_uri:
            candidates.insert(0, f"n é {n}/x")
        for candidate in candidates:
            text = _bounded(candidate, shape)
            if _pattern_ok(text, shape):
                return text
        raise AssertionError(f"no sample string fits {shape.name} {shape.metadata}")


def input_samples(operation: OperationModel) -> list[dict[str, Any]]:
    """Samples for one operation: full ones until every union member and enum value reachable
    from its input was used, then one with required members only."""
    shape = operation.input_shape
    if shape is None:
        return [{}]
    samples = Samples()
    out = [samples.value(shape)]
    while samples.uncovered(shape):
        before = samples.uncovered(shape)
        out.append(samples.value(shape))
        if samples.uncovered(shape) == before:
            raise AssertionError(f"{operation.name}: samples stopped covering new members")
    out.append(samples.value(shape, minimal=True))
    return out


def output_samples(operation: OperationModel) -> list[dict[str, Any]]:
    shape = operation.output_shape
    if shape is None:
        return [{}]
    samples = Samples()
    out = [samples.value(shape)]
    while samples.uncovered(shape):
        out.append(samples.value(shape))
    minimal = samples.value(shape, minimal=True)
    payload = shape.serialization.get("payload")
    if payload and payload not in minimal:
        # The body *is* the payload member; an output without it has no wire form.
        minimal[payload] = samples.value(shape.members[payload], minimal=True)
    out.append(minimal)
    return out


def with_datetimes(value: Any, shape: Shape | None) -> Any:
    """`value` with its timestamps as the datetimes botocore's parser yields."""
    if shape is None:
        return value
    if isinstance(shape, StructureShape):
        return {k: with_datetimes(v, shape.members[k]) for k, v in value.items()}
    if isinstance(shape, ListShape):
        return [with_datetimes(v, shape.member) for v in value]
    if isinstance(shape, MapShape):
        return {k: with_datetimes(v, shape.value) for k, v in value.items()}
    if shape.type_name == "timestamp":
        return datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    return value


@dataclass(frozen=True)
class WireRequest:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes
    host: str


_SERIALIZER = create_serializer("rest-json", include_validation=False)


def wire_request(operation: OperationModel, params: dict[str, Any]) -> WireRequest:
    """The request botocore would put on the wire for `params` (unsigned)."""
    request = _SERIALIZER.serialize_to_request(params, operation)
    prepare_request_dict(request, endpoint_url=ENDPOINT)
    prepared = create_request_object(request).prepare()
    url = urlsplit(prepared.url)
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    return WireRequest(
        prepared.method, url.path, url.query, dict(prepared.headers), body, url.hostname or ""
    )


# Hypothesis strategies ------------------------------------------------------------------------

RESOURCE_NAME_MEMBERS = frozenset(
    {
        "meshName",
        "virtualNodeName",
        "virtualRouterName",
        "virtualServiceName",
        "virtualGatewayName",
        "routeName",
        "gatewayRouteName",
        "virtualNode",  # a route's weighted target names a virtual node
    }
)

# Documented rules the model cannot express: these specs need exactly one of the listed members
# (see handlers/rules.py). Drawing them that way lets random specs succeed often enough to
# build deep states; the plain model strategy still draws the rest.
EXACTLY_ONE_OF: dict[str, tuple[str, ...]] = {
    "RouteSpec": ("httpRoute", "http2Route", "grpcRoute", "tcpRoute"),
    "GatewayRouteSpec": ("httpRoute", "http2Route", "grpcRoute"),
}


def _string_strategy(shape: Shape) -> st.SearchStrategy[str]:
    if shape.enum:
        return st.sampled_from(list(shape.enum))
    low = shape.metadata.get("min", 0)
    high = shape.metadata.get("max", low + 12)
    high = min(high, low + 40)
    pattern = shape.metadata.get("pattern")
    if pattern:
        return st.from_regex(pattern, fullmatch=True).filter(lambda s: low <= len(s) <= high)
    return st.text(
        alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="/"),
        min_size=low,
        max_size=high,
    )


class Strategies:
    """Hypothesis strategies for valid values of the model's shapes, built once per shape.

    `names` (optional) supplies every member that names a resource, so that references resolve.
    `lean` sets at most `lean` optional members per structure, so that specs stay small and pass
    the documented rules more often. `members` replaces the strategy of members by name.
    """

    def __init__(
        self,
        names: st.SearchStrategy[str] | None = None,
        lean: int | None = None,
        members: dict[str, st.SearchStrategy[Any]] | None = None,
    ):
        self.names = names
        self.lean = lean
        self.members = members or {}
        self._built: dict[tuple[int, str, str], st.SearchStrategy[Any]] = {}

    def __call__(self, shape: Shape, member: str = "") -> st.SearchStrategy[Any]:
        named = (
            self.names is not None and member in RESOURCE_NAME_MEMBERS
        ) or member in self.members
        # Both API versions reuse shape names for different shapes: key on the model too.
        key = (id(shape._shape_resolver), shape.name, member if named else "")
        found = self._built.get(key)
        if found is None:
            # Deferred, so that building a shape's strategy never recurses through its members.
            found = self._built[key] = st.deferred(lambda: self._build(shape, member))
        return found

    def _build(self, shape: Shape, member: str) -> st.SearchStrategy[Any]:
        if member in self.members:
            return self.members[member]
        if (
            self.names is not None
            and member in RESOURCE_NAME_MEMBERS
            and shape.type_name == "string"
        ):
            return self.names
        if isinstance(shape, StructureShape):
            return self._structure(shape)
        if isinstance(shape, ListShape):
            low = shape.metadata.get("min", 0)
            high = min(shape.metadata.get("max", low + 3), low + (1 if self.lean else 3))
            return st.lists(self(shape.member, member), min_size=low, max_size=high)
        if isinstance(shape, MapShape):
            return st.dictionaries(
                _string_strategy(shape.key), self(shape.value, member), max_size=3
            )
        kind = shape.type_name
        if kind == "string":
            return _string_strategy(shape)
        if kind in ("integer", "long"):
            return st.integers(shape.metadata.get("min"), shape.metadata.get("max"))
        if kind == "boolean":
            return st.booleans()
        if kind in ("double", "float"):
            return st.floats(allow_nan=False, allow_infinity=False)
        if kind == "timestamp":
            return st.floats(0, 4_000_000_000).map(lambda v: round(v, 3))
        raise AssertionError(f"no strategy for shape type {kind}")

    def _structure(self, shape: StructureShape) -> st.SearchStrategy[Any]:
        members = {name: self(sub, name) for name, sub in shape.members.items()}
        if shape.metadata.get("union"):
            return st.one_of(*(s.map(lambda v, n=name: {n: v}) for name, s in members.items()))
        one_of = tuple(m for m in EXACTLY_ONE_OF.get(shape.name, ()) if m in members)
        required = [k for k in members if k in shape.required_members]
        optional = [k for k in members if k not in shape.required_members and k not in one_of]
        lean = self.lean

        @st.composite
        def build(draw: st.DrawFn) -> dict[str, Any]:
            out = {name: draw(members[name]) for name in required}
            if one_of:
                chosen = draw(st.sampled_from(one_of))
                out[chosen] = draw(members[chosen])
            if optional:
                picked = draw(
                    st.lists(st.sampled_from(optional), unique=True, max_size=lean)
                    if lean is not None
                    else st.lists(st.sampled_from(optional), unique=True)
                )
                for name in picked:
                    out[name] = draw(members[name])
            return out

        return build()
