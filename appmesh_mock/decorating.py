"""How `mock_appmesh` wraps functions, coroutines, test classes and unittest cases: each call
(each test) runs inside a fresh activation that `fresh()` makes.

With `pass_mock`, the active mock goes to one parameter, found by name when decorating:
`appmesh_mock` (`pass_mock=True`) or the one named (`pass_mock="m"`). The wrapper's
`__signature__` leaves that parameter out, so pytest neither resolves it as a fixture nor
passes it; whatever the caller passes (fixtures by keyword, arguments by hand, `self`) is
bound to the other parameters by that signature, and the mock to its own.

`MockOptions` is the one definition of `mock_appmesh`'s options: both signatures read it
(`**options: Unpack[MockOptions]`), and so do the check of option names and the marker.
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import os
import sys
import unittest
import warnings
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypedDict, TypeVar

F = TypeVar("F", bound=Callable[..., Any])
P = ParamSpec("P")
R = TypeVar("R")
Fresh = Callable[[], Any]  # a new, unstarted MockAppMesh with the template's options
Activation = Callable[[tuple[Any, ...]], AbstractContextManager[Any]]  # args -> the mock

MOCK_PARAMETER = "appmesh_mock"  # where pass_mock=True hands the mock
_TEST_CASE_MOCK = "_appmesh_mock_activation"  # a unittest case's mock, started in setUp
_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_VARIADIC = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)


class MockOptions(TypedDict, total=False):
    """All keyword, all optional; the pytest marker takes them all but `pass_mock`."""

    account_id: str | None  # every request's account (else: env, access key ID, default)
    quotas: Mapping[str, int] | None  # service quotas by key (see DEFAULT_QUOTAS)
    strict: bool | None  # check every response against the model (default: env)
    call_log_limit: int | None  # calls `m.calls` keeps, the latest (default 10,000; None: all)
    pass_mock: bool | str  # hand the mock to a decorated function: see _Injection
    state: Any  # seeds each activation: see MockAppMesh.load
    sleep: Callable[[float], object] | None  # waits out fault delays (default: time.sleep)


NAMES = tuple(MockOptions.__annotations__)


def check_names(options: Mapping[str, Any]) -> None:
    unknown = sorted(set(options) - set(NAMES))  # TypedDict checks nothing at run time
    if unknown:
        raise TypeError(
            f"mock_appmesh got unknown option(s) {', '.join(unknown)}; "
            f"the options are {', '.join(NAMES)}"
        )


def check_pass_mock(pass_mock: object) -> bool | str:
    if isinstance(pass_mock, bool) or (isinstance(pass_mock, str) and pass_mock.isidentifier()):
        return pass_mock
    raise TypeError(f"pass_mock is True, False or a parameter name, not {pass_mock!r}")


@dataclass(frozen=True)
class _Injection:
    """Where the mock goes in one function's parameters."""

    name: str
    signature: inspect.Signature  # the function's own
    public: inspect.Signature  # without `name`: what callers (and pytest) see

    @classmethod
    def of(cls, func: Callable[..., Any], pass_mock: bool | str) -> _Injection:
        signature = inspect.signature(func)
        parameters = signature.parameters
        wanted = MOCK_PARAMETER if pass_mock is True else str(pass_mock)
        found = parameters.get(wanted)
        if found is None or found.kind in _VARIADIC:
            positional = [
                p for p in parameters.values() if p.kind in _POSITIONAL and p.name != "self"
            ]
            if pass_mock is not True or not positional:
                raise TypeError(
                    f"{func.__qualname__}({', '.join(parameters)}) has no parameter {wanted!r} for "
                    f"pass_mock={pass_mock!r} to hand the mock to"
                    + ("" if pass_mock is not True else " (or pass_mock='its name')")
                )
            found = positional[-1]
            warnings.warn(
                f"pass_mock=True hands the mock to the parameter named {MOCK_PARAMETER!r}; "
                f"{func.__qualname__} has none, so it goes to its last positional parameter "
                f"{found.name!r}, which is deprecated: rename that parameter "
                f"{MOCK_PARAMETER} or write pass_mock={found.name!r}",
                DeprecationWarning,
                stacklevel=_caller_level(),
            )
        others = [p for p in parameters.values() if p is not found]
        return cls(found.name, signature, signature.replace(parameters=others))

    def arguments(
        self, args: tuple[Any, ...], kwargs: dict[str, Any], mock: Any
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        """The call's arguments bound by the public signature, plus the mock by name."""
        bound = self.public.bind(*args, **kwargs)
        bound.apply_defaults()  # every parameter has a value: no gap before the mock's
        given = bound.arguments
        positional: list[Any] = []
        keywords: dict[str, Any] = {}
        for parameter in self.signature.parameters.values():
            value = mock if parameter.name == self.name else given[parameter.name]
            if parameter.kind is parameter.VAR_POSITIONAL:
                positional.extend(value)
            elif parameter.kind is parameter.VAR_KEYWORD:
                keywords.update(value)
            elif parameter.kind is parameter.KEYWORD_ONLY:
                keywords[parameter.name] = value
            else:
                positional.append(value)
        return tuple(positional), keywords


def decorate_function(fresh: Fresh, func: F, pass_mock: bool | str) -> F:
    return _wrap(func, pass_mock, lambda args: fresh())


def decorate_class(
    fresh: Fresh, cls: type, decorate: Callable[[Any], Any], pass_mock: bool | str = False
) -> type:
    if issubclass(cls, unittest.TestCase):
        # Each test, with its setUp and cleanups, runs inside one fresh activation.
        original_setup = cls.setUp

        def setUp(test: unittest.TestCase) -> None:
            activation = fresh().start()
            test.addCleanup(activation.stop)
            setattr(test, _TEST_CASE_MOCK, activation)
            original_setup(test)

        cls.setUp = setUp  # type: ignore[method-assign,assignment]
        if pass_mock:  # each test method gets the mock its setUp started

            def started(args: tuple[Any, ...]) -> AbstractContextManager[Any]:
                return contextlib.nullcontext(getattr(args[0], _TEST_CASE_MOCK))

            decorate = functools.partial(_wrap, pass_mock=pass_mock, activation=started)
        else:
            return cls
    for name, value in list(vars(cls).items()):
        if name.startswith("test") and callable(value):
            setattr(cls, name, decorate(value))
    return cls


def _wrap(func: F, pass_mock: bool | str, activation: Activation) -> F:
    injection = _Injection.of(func, pass_mock) if pass_mock else None

    def call(args: tuple[Any, ...], kwargs: dict[str, Any], mock: Any) -> Any:
        if injection is not None:
            args, kwargs = injection.arguments(args, kwargs, mock)
        return func(*args, **kwargs)

    wrapper: Any
    if inspect.iscoroutinefunction(func):

        @functools.wraps(func)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with activation(args) as mock:
                return await call(args, kwargs, mock)

        wrapper = run_async
    else:

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with activation(args) as mock:
                return call(args, kwargs, mock)

        wrapper = run
    if injection is not None:
        wrapper.__signature__ = injection.public  # what inspect.signature (and pytest) reads
    return wrapper  # type: ignore[no-any-return]


def _caller_level() -> int:
    """The stacklevel of the first frame outside this package: the decorated code."""
    package = os.path.dirname(__file__) + os.sep
    frame, level = sys._getframe(1), 1
    while frame.f_back is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


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
