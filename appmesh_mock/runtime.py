"""Process-wide mock state: the shared registry and dispatcher, and which mocks are active.

The botocore hook, the `requests` interception and the in-process server all answer from
`RUNTIME.dispatcher`, so every entry point sees the same backends.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field

from .backend.store import Registry
from .dispatch import Dispatcher, Settings

STRICT_ENV = "APPMESH_MOCK_STRICT"

# Fake credentials so that signing works with none configured and real ones are never used.
FAKE_CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "AKIAAPPMESHMOCKTESTS",
    "AWS_SECRET_ACCESS_KEY": "appmesh-mock-secret-access-key",
}
_HIDDEN_VARIABLES = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


def strict_from_env() -> bool:
    return os.environ.get(STRICT_ENV, "").lower() in ("1", "true", "yes", "on")


@dataclass
class Options:
    account_id: str | None = None
    quotas: Mapping[str, int] | None = None
    strict: bool | None = None

    def settings(self) -> Settings:
        strict = self.strict if self.strict is not None else strict_from_env()
        return Settings(account_id=self.account_id, strict=strict)


@dataclass
class Runtime:
    registry: Registry = field(default_factory=Registry)
    lock: threading.RLock = field(default_factory=threading.RLock)
    stack: list[Options] = field(default_factory=list)
    saved_env: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.registry)

    @property
    def active(self) -> bool:
        return bool(self.stack)

    def push(self, options: Options) -> None:
        """Activates a mock; the outermost one starts from empty state."""
        with self.lock:
            if not self.stack:
                self.registry.reset(options.quotas)
                self._set_fake_credentials()
            self.stack.append(options)
            self._apply()

    def pop(self, options: Options) -> None:
        with self.lock:
            if options in self.stack:
                # Remove this mock's entry even if mocks are stopped out of order.
                index = len(self.stack) - 1 - self.stack[::-1].index(options)
                del self.stack[index]
            if self.stack:
                self._apply()
            else:
                self.registry.reset()
                self._restore_env()

    def _apply(self) -> None:
        """The innermost mock's options apply; what it leaves unset comes from outer ones."""
        effective = Options()
        for options in self.stack:
            effective = Options(
                account_id=options.account_id or effective.account_id,
                quotas=options.quotas if options.quotas is not None else effective.quotas,
                strict=options.strict if options.strict is not None else effective.strict,
            )
        self.dispatcher.settings = effective.settings()
        self.registry.reset_quotas(effective.quotas)

    def _set_fake_credentials(self) -> None:
        names = (*FAKE_CREDENTIALS, *_HIDDEN_VARIABLES)
        self.saved_env = {name: os.environ.get(name) for name in names}
        for name in _HIDDEN_VARIABLES:
            os.environ.pop(name, None)
        os.environ.update(FAKE_CREDENTIALS)

    def _restore_env(self) -> None:
        for name, value in self.saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self.saved_env = {}


RUNTIME = Runtime()
