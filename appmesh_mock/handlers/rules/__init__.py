"""Documented service rules that the model's shapes cannot express.

The model already enforces types, ranges, lengths, enums, unions and required members (see
protocol/validation.py). A rule here refuses a call only when the service is known to refuse
it: [M] a documentation string of the botocore model, [O] the service observed refusing it (a
recorded error message) or [UG] the App Mesh user guide stating it of the API. What only a
client-side tool checks ([K8S] the App Mesh controller for Kubernetes, [TF] the Terraform
provider, [CDK]), what only the console's walkthrough asks, and what we inferred [I] refuses
nothing: configurations AWS accepted (../shared/realworld-meshes) showed two such rules wrong.
Every rule raises BadRequestException naming the member, and handlers call them before any
state changes. docs/fidelity.md lists each rule, and each accepted case, with its source.

Specs arrive in the current API version's form (appmesh_mock/versions translates legacy ones).
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
