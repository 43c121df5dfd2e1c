"""How `mock_appmesh` wraps functions, coroutines, test classes and unittest cases: each call
(each test) runs inside a fresh activation that `fresh()` makes."""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")
Fresh = Callable[[], Any]  # a new, unstarted MockAppMesh with the template's options


def decorate_function(fresh: Fresh, func: F, pass_mock: bool) -> F:
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with fresh() as mock:
                return await func(*args, *((mock,) if pass_mock else ()), **kwargs)

        return _without_last_parameter(run_async, func) if pass_mock else run_async  # type: ignore[return-value]

    @functools.wraps(func)
    def run(*args: Any, **kwargs: Any) -> Any:
        with fresh() as mock:
            return func(*args, *((mock,) if pass_mock else ()), **kwargs)

    return _without_last_parameter(run, func) if pass_mock else run  # type: ignore[return-value]


def decorate_class(fresh: Fresh, cls: type, decorate: Callable[[Any], Any]) -> type:
    if issubclass(cls, unittest.TestCase):
        # Each test, with its setUp and cleanups, runs inside one fresh activation.
        original_setup = cls.setUp

        def setUp(test: unittest.TestCase) -> None:
            activation = fresh().start()
            test.addCleanup(activation.stop)
            original_setup(test)

        cls.setUp = setUp  # type: ignore[method-assign,assignment]
        return cls
    for name, value in list(vars(cls).items()):
        if name.startswith("test") and callable(value):
            setattr(cls, name, decorate(value))
    return cls


def _without_last_parameter(wrapper: Any, func: Callable[..., Any]) -> Any:
    """With `pass_mock`, the decorator supplies the last positional parameter: the wrapper's
    signature leaves it out, so pytest does not look for a fixture of that name."""
    signature = inspect.signature(func)
    positional = [
        p
        for p in signature.parameters.values()
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    if not positional:
        raise TypeError(f"{func.__qualname__} takes no positional parameter for pass_mock")
    parameters = [p for p in signature.parameters.values() if p is not positional[-1]]
    wrapper.__signature__ = signature.replace(parameters=parameters)
    return wrapper


def options_of(
    source: Callable[Concatenate[Any, P], R], doc: str | None = None
) -> Callable[[Callable[..., R]], Callable[Concatenate[Any, P], R]]:
    """Gives a method `source`'s parameters and doc, for mypy and for `help()`: options
    defined once (e.g. the fault options, on `Faults.add`) and offered in two places."""

    def adopt(method: Callable[..., R]) -> Callable[Concatenate[Any, P], R]:
        method.__signature__ = inspect.signature(source)  # type: ignore[attr-defined]
        method.__doc__ = doc or source.__doc__
        return method

    return adopt
