"""Maps an HTTP method and path to (API version, operation), compiled from the models' URIs."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote

from .models import API_VERSIONS, CURRENT_VERSION, Api, get_api

_REMEMBERED = 4096  # paths whose match is remembered
_LABEL = re.compile(r"\{([A-Za-z0-9_]+)(\+?)\}")


@dataclass(frozen=True)
class Route:
    api: Api
    operation: str
    pattern: re.Pattern[str]


class Match(NamedTuple):
    api: Api
    operation: str
    path_params: dict[str, str]


def _compile(uri: str) -> re.Pattern[str]:
    path = uri.split("?", 1)[0]
    out, pos = [], 0
    for label in _LABEL.finditer(path):
        out.append(re.escape(path[pos : label.start()]))
        segment = ".+" if label.group(2) else "[^/]+"
        out.append(f"(?P<{label.group(1)}>{segment})")
        pos = label.end()
    out.append(re.escape(path[pos:]))
    return re.compile("".join(out))


class Router:
    """Routes are grouped by method; the 2019 paths carry a `/v20190125` prefix, 2018 ones none."""

    def __init__(self, apis: list[Api], deferred: Callable[[], list[Api]] | None = None) -> None:
        """`deferred` yields more APIs, loaded the first time a path matches none of `apis`
        (loading a botocore model takes milliseconds that most test suites never need)."""
        self._routes: dict[str, list[Route]] = {}
        # A label matches no "/", so a path's slash count picks the few routes it can match;
        # `_slashes` holds that count per route (None for a greedy label, which can match any).
        self._slashes: dict[str, list[int | None]] = {}
        self._buckets: dict[tuple[str, int], tuple[Route, ...]] = {}
        self._seen: dict[tuple[str, str], Match] = {}
        self._deferred = deferred
        self._lock = threading.Lock()
        self._add(apis)

    def _add(self, apis: list[Api]) -> None:
        # Built aside and swapped in whole: other threads may be matching meanwhile.
        routes = {method: list(found) for method, found in self._routes.items()}
        slashes = {method: list(found) for method, found in self._slashes.items()}
        for api in apis:
            for name, op in api.operations.items():
                http = op.http
                uri = http["requestUri"].split("?", 1)[0]
                routes.setdefault(http["method"], []).append(Route(api, name, _compile(uri)))
                count = None if "+}" in uri else uri.count("/")
                slashes.setdefault(http["method"], []).append(count)
        self._routes, self._slashes, self._buckets = routes, slashes, {}

    def _candidates(self, method: str, slashes: int) -> tuple[Route, ...]:
        """The routes a path with `slashes` slashes may match, in declaration order."""
        key = (method, slashes)
        buckets = self._buckets
        found = buckets.get(key)
        if found is None:
            routes, counts = self._routes, self._slashes
            pairs = zip(routes.get(method, ()), counts.get(method, ()), strict=True)
            found = tuple(route for route, count in pairs if count in (None, slashes))
            if slashes <= 32:  # odd paths from fuzzers need not fill the cache
                buckets[key] = found
        return found

    def _load_deferred(self) -> None:
        with self._lock:
            deferred = self._deferred
            if deferred is not None:
                self._add(deferred())
                self._deferred = None

    def match(self, method: str, raw_path: str) -> Match | None:
        """The operation for `method` and `raw_path`. Answers are remembered per path (a test
        calls the same few paths over and over): a look-up is much cheaper than the regex
        match. The Match and its params are shared, so callers only read them."""
        key = (method, raw_path)
        seen = self._seen.get(key)
        if seen is not None:
            return seen
        found = self._match(method, raw_path)
        if found is not None:
            if len(self._seen) >= _REMEMBERED:
                self._seen.clear()  # a crude bound: a suite's working set refills it at once
            self._seen[key] = found
        return found

    def _match(self, method: str, raw_path: str) -> Match | None:
        for route in self._candidates(method.upper(), raw_path.count("/")):
            found = route.pattern.fullmatch(raw_path)
            if found:
                params = {k: unquote(v, errors="strict") for k, v in found.groupdict().items()}
                return Match(route.api, route.operation, params)
        if self._deferred is not None:
            self._load_deferred()  # once loaded (here or by another thread), try again
            return self._match(method, raw_path)
        return None


def default_router() -> Router:
    """Both versions; the older version's routes are compiled on the first path the current API's
    routes do not match (its paths share no prefix with the current ones, so the order in
    which the two are tried changes no answer)."""
    return Router(
        [get_api(CURRENT_VERSION)],
        deferred=lambda: [get_api(v) for v in API_VERSIONS if v != CURRENT_VERSION],
    )
