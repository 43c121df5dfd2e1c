"""What becomes of each App Mesh field in each target, for the fields a generator does not
record itself (docs/migration.md has the same table for readers). Keys are field paths of a
spec, a route's type (`httpRoute.`, ...) left out; the first key a field starts with counts."""

from __future__ import annotations

Row = tuple[str, str, "str | None"]

DEFAULT: Row = ("dropped", "not part of routing: configure it in the target's own way", None)

_COMMON: dict[str, Row] = {
    "priority": ("mapped", "App Mesh's order is kept in the target's order", None),
    "match.prefix": ("mapped", "path prefix", None),
    "match.path": ("mapped", "path match", None),
    "match.method": ("mapped", "method match", None),
    "match.headers": ("mapped", "header match", None),
    "match.queryParameters": ("mapped", "query parameter match", None),
    "match.hostname": ("mapped", "hostname match", None),
    "match.port": ("mapped", "the listener (port) the rule is attached to", None),
    "match.serviceName": ("mapped", "the /service/ path of the gRPC call", None),
    "match.methodName": ("mapped", "the /service/method path of the gRPC call", None),
    "match.metadata": ("mapped", "header match (gRPC metadata are headers)", None),
    "match.scheme": ("mapped", "scheme match", None),
    "action.weightedTargets": ("mapped", "weighted backends (virtual node -> Service)", None),
    "action.target": ("mapped", "the gateway rule is joined with the service's rules", None),
    "action.rewrite": ("mapped", "a rewrite on the joined rule", None),
    "retryPolicy": ("mapped", "retries", None),
    "timeout": ("dropped", "timeouts are not compared; set them on the target's route", None),
    "listeners[].portMapping": ("mapped", "the listener or Service port", None),
    "provider": ("mapped", "the service's rules, or its node as the only backend", None),
    "serviceDiscovery": ("approximated", "the virtual node becomes the Kubernetes Service of "
                         "its name (or the name `backends=` gives)", None),
    "backends": ("dropped", "a node's allowed backends: authorisation, not routing", None),
    "backendDefaults": ("dropped", "client policy (TLS): configure it in the target", None),
    "egressFilter": ("dropped", "egress policy: configure it in the target", None),
    "serviceDiscovery.ipPreference": ("dropped", "IP preference: not in the target", None),
}

FIELDS: dict[str, dict[str, Row]] = {
    "gateway-api": {
        **_COMMON,
        "match.scheme": ("dropped", "HTTPRouteMatch has no scheme", "MATCHER_UNSUPPORTED"),
        "retryPolicy": ("dropped", "HTTPRoute retries are experimental and otherwise "
                        "implementation-specific", "POLICY_DEFAULT"),
        "match.prefix": ("approximated", "PathPrefix matches whole segments",
                         "PREFIX_SEMANTICS"),
    },
    "istio": {**_COMMON},
    "service-connect": {
        **_COMMON,
        **{key: ("dropped", "Service Connect does not route on the request",
                 "MATCHER_UNSUPPORTED") for key in _COMMON if key.startswith("match.")},
        "priority": ("dropped", "no routes in Service Connect", "NOT_REPRESENTABLE"),
        "retryPolicy": ("dropped", "Service Connect's retries are not configurable here",
                        "POLICY_DEFAULT"),
        "action.rewrite": ("dropped", "no rewrite in Service Connect", "REWRITE_DEFAULT"),
        "serviceDiscovery": ("approximated", "the virtual node becomes the ECS service of its "
                             "name, publishing its virtual services as client aliases", None),
    },
    "vpc-lattice": {
        **_COMMON,
        "match.queryParameters": ("dropped", "Lattice's HttpMatch has no query parameters",
                                  "MATCHER_UNSUPPORTED"),
        "match.scheme": ("dropped", "no scheme match in Lattice", "MATCHER_UNSUPPORTED"),
        "match.hostname": ("dropped", "no hostname match in a Lattice rule", "MATCHER_UNSUPPORTED"),
        "retryPolicy": ("dropped", "the vpc-lattice API has no retry setting", "POLICY_DEFAULT"),
        "action.rewrite": ("dropped", "Lattice rewrites neither path nor Host", "REWRITE_DEFAULT"),
        "serviceDiscovery": ("approximated", "the virtual node becomes a target group of its "
                             "name (register its targets; `${vpc}` is its VPC)", None),
    },
}
