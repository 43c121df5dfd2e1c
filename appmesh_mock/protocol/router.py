"""Maps an HTTP method and path to (API version, operation), compiled from the models' URIs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import unquote

from .models import API_VERSIONS, Api, get_api

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

    def __init__(self, apis: list[Api]) -> None:
        self._routes: dict[str, list[Route]] = {}
        # A label matches no "/", so a path's slash count picks the few routes it can match;
        # `_slashes` holds that count per route (None for a greedy label, which can match any).
        self._slashes: dict[str, list[int | None]] = {}
        self._buckets: dict[tuple[str, int], tuple[Route, ...]] = {}
        for api in apis:
            for name, op in api.operations.items():
                http = op.http
                uri = http["requestUri"].split("?", 1)[0]
                route = Route(api, name, _compile(uri))
                self._routes.setdefault(http["method"], []).append(route)
                slashes = None if "+}" in uri else uri.count("/")
                self._slashes.setdefault(http["method"], []).append(slashes)

    def _candidates(self, method: str, slashes: int) -> tuple[Route, ...]:
        """The routes a path with `slashes` slashes may match, in declaration order."""
        key = (method, slashes)
        found = self._buckets.get(key)
        if found is None:
            routes = zip(self._routes.get(method, ()), self._slashes.get(method, ()), strict=True)
            found = tuple(route for route, count in routes if count in (None, slashes))
            if slashes <= 32:  # odd paths from fuzzers need not fill the cache
                self._buckets[key] = found
        return found

    def match(self, method: str, raw_path: str) -> Match | None:
        for route in self._candidates(method.upper(), raw_path.count("/")):
            found = route.pattern.fullmatch(raw_path)
            if found:
                params = {k: unquote(v, errors="strict") for k, v in found.groupdict().items()}
                return Match(route.api, route.operation, params)
        return None

    def allowed_methods(self, raw_path: str) -> list[str]:
        return [
            method
            for method, routes in self._routes.items()
            if any(r.pattern.fullmatch(raw_path) for r in routes)
        ]


def default_router() -> Router:
    return Router([get_api(v) for v in API_VERSIONS])
