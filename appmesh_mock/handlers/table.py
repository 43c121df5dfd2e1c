"""The `@operation` decorator and the table of handlers it fills."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from botocore import xform_name

from ..errors import NotImplementedException
from .context import RequestContext

Handler = Callable[..., dict[str, Any]]

HANDLERS: dict[str, Handler] = {}


def operation(name: str) -> Callable[[Handler], Handler]:
    """Registers the business logic of one operation, shared by every API version that has it.

    The handler receives the request context and the input members as snake_case keywords,
    already parsed, validated and in the current version's form, and returns a dict in the
    current version's output shape.
    """

    def register(handler: Handler) -> Handler:
        if name in HANDLERS:
            raise ValueError(f"two handlers for {name}")
        HANDLERS[name] = handler
        return handler

    return register


keyword = cache(xform_name)  # `virtualNodeName` -> `virtual_node_name`, once per member name


def call(ctx: RequestContext, params: dict[str, Any]) -> dict[str, Any]:
    handler = HANDLERS.get(ctx.operation)
    if handler is None:
        raise NotImplementedException(f"appmesh-mock does not implement {ctx.operation} yet")
    return handler(ctx, **{keyword(k): v for k, v in params.items()})
