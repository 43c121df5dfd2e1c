"""Process-wide mock state: the shared store and dispatcher, and which mocks are active.

The botocore hook, the `requests` interception and the in-process server all answer from
`RUNTIME.dispatcher`, so every entry point sees the same store. The stack of active settings
is the one nesting counter: the first activation sets everything up, the last one out undoes it.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from typing import Any

from .backend.store import Store
from .inprocess import botocore_hook, requests_hook
from .protocol.serializer import HttpResponse
from .service.calls import CallLog
from .service.dispatch import Dispatcher
from .service.faults import Faults
from .service.identity import Scope
from .service.settings import Settings

# Fake credentials so that signing works with none configured and real ones are never used.
FAKE_CREDENTIALS = botocore_hook.FAKE_CREDENTIALS
_HIDDEN_VARIABLES = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN")


@dataclass
class Runtime:
    store: Store = field(default_factory=Store)
    lock: threading.RLock = field(default_factory=threading.RLock)
    stack: list[Settings] = field(default_factory=list)
    saved_env: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.dispatcher = Dispatcher(self.store)

    @property
    def active(self) -> bool:
        return bool(self.stack)

    @property
    def delaying(self) -> bool:
        return self.dispatcher.faults.delaying

    def answer(
        self,
        method: str,
        path: str,
        query: str,
        headers: Any,
        body: bytes,
        host: str,
        scope: Scope | None = None,
    ) -> HttpResponse:
        return self.dispatcher.handle(method, path, query, headers, body, host=host, scope=scope)

    def push(self, settings: Settings) -> None:
        """Activates a mock; the outermost one starts from empty state."""
        with self.lock:
            if not self.stack:
                botocore_hook.start(self)
                self.store.reset()
                # A new log per outermost activation: a mock's `calls` stays readable after it
                # stops, and the next activation starts with none.
                self.dispatcher.calls = CallLog(settings.call_log_limit)
                self.dispatcher.faults = Faults()
                self._set_fake_credentials()
                requests_hook.start(self.dispatcher)
            self.stack.append(settings)
            self._apply()

    def pop(self, settings: Settings) -> None:
        with self.lock:
            # Remove this mock's own entry (by identity) even if mocks stop out of order.
            for index in range(len(self.stack) - 1, -1, -1):
                if self.stack[index] is settings:
                    del self.stack[index]
                    break
            if self.stack:
                self._apply()
            else:
                requests_hook.stop()
                botocore_hook.stop()
                self.store.reset()
                self.dispatcher.faults.clear()
                self._restore_env()
                self.dispatcher.configure(Settings())

    def _apply(self) -> None:
        """The innermost mock's settings apply; what it leaves unset comes from outer ones."""
        self.dispatcher.configure(self.settings_of(self.stack[-1]))

    def settings_of(self, activation: Settings) -> Settings:
        """What applies while `activation` is the innermost one: its settings over outer ones."""
        effective = Settings()
        for settings in self.stack:
            effective = settings.under(effective)
            if settings is activation:
                break
        return effective

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
