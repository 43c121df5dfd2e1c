"""A pytest plugin (named in `pytest_plugins` by the server test modules) holding one
`appmesh-mock serve` process for the whole session: starting one takes about half a second.
Its users reset it before each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server_process import ServerProcess, running_server


@pytest.fixture(scope="session")
def session_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with running_server(tmp_path_factory.mktemp("session-server")) as server:
        yield server
