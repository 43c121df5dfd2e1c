"""Documented service rules that the model's shapes cannot express.

The model already enforces types, ranges, lengths, enums, unions and required members (see
protocol/validation.py). The rules in this package come from other sources, each tagged where
it is used:
[M] a documentation string of the botocore model, [UG] the App Mesh user guide, [O] a real error
message someone recorded, [K8S]/[CDK] AWS's own client-side validators (the App Mesh controller
for Kubernetes, the CDK), which hint at what the service checks, and [I] inferred. Where the
sources disagree or are unsure, the rule accepts. Every rule raises BadRequestException naming
the member, and handlers call them before any state changes.

Specs arrive in the current API version's form (appmesh_mock/versions translates legacy ones).

Accepted on purpose, for want of a source that says the service refuses them: `scheme` on an
httpRoute (the model calls it "Applicable only for HTTP2 routes", not invalid elsewhere), a
health-check `path` for tcp or grpc ("ignored"), route weights totalling less than 100, an
http/http2 route match with neither `prefix` nor `path`, a match (route or gateway route) with
both, an empty gRPC route match, a gateway route's type against its gateway's listener
protocol, a match or target port naming no listener, wildcard TLS subject alternative names,
and outlier detection and TLS settings beyond their shapes (the model already requires and
bounds every member the documentation mentions). docs/fidelity.md lists the sources and the
open questions.
"""

from .gateway_routes import check_gateway_route_context, check_gateway_route_spec
from .listeners import check_virtual_gateway_spec, check_virtual_node_spec
from .names import check_name
from .routes import check_route_spec, check_route_targets, check_virtual_router_spec

__all__ = [
    "check_gateway_route_context",
    "check_gateway_route_spec",
    "check_name",
    "check_route_spec",
    "check_route_targets",
    "check_virtual_gateway_spec",
    "check_virtual_node_spec",
    "check_virtual_router_spec",
]
