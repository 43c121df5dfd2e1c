"""`serve --state-file`: every acknowledged write survives `kill -9`, a torn log tail costs
nothing acknowledged, any ending signal leaves the state whole, and a state location that
cannot work is refused at start-up with exit 2 and one line, before listening."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from server_process import COMMAND, ServerProcess, running_server

from appmesh_mock.backend.persistence import save_file
from appmesh_mock.backend.store import Store
from appmesh_mock.service.dispatch import Dispatcher

ACCOUNT = "111111111111"
MESH = "durable"


def hostnames(server: ServerProcess) -> dict[str, str]:
    """Every virtual node in the mesh, by name, with its DNS hostname."""
    found: dict[str, str] = {}
    for backend in server.state()["backends"]:
        for mesh in backend["meshes"]:
            for resource in mesh["resources"]:
                spec = resource["spec"] or {}
                found[resource["name"]] = spec["serviceDiscovery"]["dns"]["hostname"]
    return found


class Writer(threading.Thread):
    """Creates, updates and deletes virtual nodes until the server dies; `expected` holds
    what each acknowledged write left (None: deleted), `unsure` what was in flight. `ready`
    is set once `count` writes were acknowledged (the writer goes on writing after that), or
    when the writer stops."""

    def __init__(
        self, server: ServerProcess, expected: dict[str, str | None], round_: int, count: int
    ) -> None:
        super().__init__(daemon=True)
        self.client = server.client(ACCOUNT)
        self.expected = expected
        self.round = round_
        self.unsure: dict[str, tuple[str | None, str | None]] = {}  # name: (before, after)
        self.count = count
        self.acknowledged = 0
        self.ready = threading.Event()

    def run(self) -> None:
        rng = random.Random(self.round)
        n = 0
        while True:
            live = [name for name, host in self.expected.items() if host is not None]
            choice = rng.random()
            if live and choice < 0.2:
                name, after, method = rng.choice(live), None, self.client.delete_virtual_node
            elif live and choice < 0.45:
                name, after = rng.choice(live), f"u{self.round}-{n}.local"
                method = self.client.update_virtual_node
            else:
                name, after = f"r{self.round}-n{n}", f"c{self.round}-{n}.local"
                method = self.client.create_virtual_node
            arguments: dict[str, Any] = {"meshName": MESH, "virtualNodeName": name}
            if after is not None:
                arguments["spec"] = spec(after)
            n += 1
            self.unsure[name] = (self.expected.get(name), after)
            try:
                method(**arguments)
            except (ClientError, OSError, Exception):
                self.ready.set()  # (also if it failed early: the round then says so)
                return  # the server is gone: this write was never acknowledged
            self.expected[name] = after
            del self.unsure[name]
            self.acknowledged += 1
            if self.acknowledged >= self.count:
                self.ready.set()


def spec(hostname: str | None) -> dict[str, Any]:
    return {"serviceDiscovery": {"dns": {"hostname": hostname}}}


@pytest.mark.slow
def test_every_acknowledged_write_survives_kill_9_at_random_points(tmp_path: Path) -> None:
    """Each round kills the server while a writer is busy, after a random number of
    acknowledged writes (counted, not timed: a slow machine kills no earlier)."""
    state_file = tmp_path / "state.db"
    expected: dict[str, str | None] = {}
    unsure: dict[str, tuple[str | None, str | None]] = {}
    rng = random.Random(10)
    rounds = 5
    for round_ in range(rounds + 1):
        with running_server(tmp_path, "--state-file", str(state_file), "--quiet") as server:
            found = hostnames(server)
            for name, host in expected.items():
                if name in unsure:
                    before, after = unsure[name]
                    assert found.get(name) in (before, after), name
                else:
                    assert found.get(name) == host, name
            # What was in flight is settled now: the restart shows which way it went.
            expected = {name: found.get(name) for name in {*expected, *unsure}}
            if round_ == rounds:
                break
            if round_ == 0:
                server.client(ACCOUNT).create_mesh(meshName=MESH)
            writer = Writer(server, expected, round_, count=rng.randint(5, 30))
            writer.start()
            writer.ready.wait(timeout=120)
            assert writer.acknowledged >= writer.count, "the writer stopped early"
            server.process.send_signal(signal.SIGKILL)
            server.process.wait(timeout=10)
            writer.join(timeout=30)
            unsure = writer.unsure


def test_a_torn_log_tail_costs_no_acknowledged_write(tmp_path: Path) -> None:
    state_file = tmp_path / "state.db"
    with running_server(tmp_path, "--state-file", str(state_file), "--quiet") as server:
        client = server.client(ACCOUNT)
        client.create_mesh(meshName=MESH)
        for n in range(20):
            client.create_virtual_node(
                meshName=MESH, virtualNodeName=f"n{n}", spec=spec(f"h{n}.local"))
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
    log = state_file.with_name("state.db-wal")
    with open(log, "ab") as stream:  # half a frame of a commit the kill cut short
        stream.write(os.urandom(3000))
    with running_server(tmp_path, "--state-file", str(state_file), "--quiet") as server:
        assert hostnames(server) == {f"n{n}": f"h{n}.local" for n in range(20)}


@pytest.mark.parametrize("ending", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_any_ending_signal_leaves_the_state_complete(tmp_path: Path, ending: int) -> None:
    state_file = tmp_path / "state.db"
    with running_server(tmp_path, "--state-file", str(state_file), "--quiet") as server:
        server.client(ACCOUNT).create_mesh(meshName="kept")
        assert server.stop(ending) == 0
    with running_server(tmp_path, "--state-file", str(state_file), "--quiet") as server:
        names = [m["meshName"] for m in server.client(ACCOUNT).list_meshes()["meshes"]]
        assert names == ["kept"]


def refused(path: Path | str) -> str:
    """Starts the server on `path`; asserts exit 2 before listening; returns stderr."""
    result = subprocess.run(
        [str(COMMAND), "serve", "--port", "0", "--state-file", str(path)],
        capture_output=True, timeout=30, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2, result.stderr
    assert b"listening" not in result.stdout
    lines = result.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("appmesh-mock: "), lines
    return lines[0]


def test_a_missing_folder_is_refused_at_start(tmp_path: Path) -> None:
    assert "does not exist" in refused(tmp_path / "absent" / "state.db")


def test_a_folder_under_a_file_is_refused_at_start(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    assert "does not exist" in refused(tmp_path / "plain" / "state.db")


def test_a_directory_is_refused_at_start(tmp_path: Path) -> None:
    assert "is a directory" in refused(tmp_path)


def test_another_programs_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE accounts (id INTEGER)")
    db.close()
    before = path.read_bytes()
    assert "another program" in refused(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [
        b"SQLite format 3\x00" + os.urandom(5000),  # a damaged header and pages
        os.urandom(4096),
        b'{"format": "appmesh-mock-state", "formatVersion": 2, "backends": [' * 3,
        b'{"format": "appmesh-mock-state", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    ],
)
def test_a_damaged_file_is_refused_and_left_alone(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(content)
    refused(path)
    assert path.read_bytes() == content


@pytest.mark.slow
def test_a_damaged_page_in_the_middle_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with running_server(tmp_path, "--state-file", str(path), "--quiet") as server:
        client = server.client(ACCOUNT)
        client.create_mesh(meshName=MESH)
        for n in range(200):
            client.create_virtual_node(
                meshName=MESH, virtualNodeName=f"n{n}", spec=spec("x" * 200 + ".local"))
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[4096 * 2 : 4096 * 2 + 512] = os.urandom(512)
    path.write_bytes(bytes(data))
    assert "damaged" in refused(path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the mode says")
def test_an_unreadable_file_or_unwritable_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    path.write_bytes(b"")
    path.chmod(0)
    assert "cannot be read" in refused(path)
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    assert "not writable" in refused(folder / "state.db")


def test_an_older_json_state_file_is_converted_and_kept_beside(tmp_path: Path) -> None:
    store = Store()
    dispatcher = Dispatcher(store)
    body = json.dumps({"meshName": "from-json"}).encode()
    assert dispatcher.handle("PUT", "/v20190125/meshes", "", {}, body).status == 200
    path = tmp_path / "state.json"
    save_file(store, path)
    old = path.read_bytes()
    with running_server(tmp_path, "--state-file", str(path), "--quiet") as server:
        names = [m["meshName"] for m in server.client("123456789012").list_meshes()["meshes"]]
        assert names == ["from-json"]
    assert (tmp_path / "state.json.json-backup").read_bytes() == old
    assert path.read_bytes().startswith(b"SQLite format 3\x00")
    with running_server(tmp_path, "--state-file", str(path), "--quiet") as server:
        names = [m["meshName"] for m in server.client("123456789012").list_meshes()["meshes"]]
        assert names == ["from-json"]
