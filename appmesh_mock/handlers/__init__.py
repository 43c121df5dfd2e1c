"""One module per resource kind; importing them registers every operation's handler."""

from . import (  # noqa: F401
    gateway_route,
    mesh,
    route,
    tagging,
    tags,
    virtual_gateway,
    virtual_node,
    virtual_router,
    virtual_service,
)
