"""`appmesh-mock serve`: the App Mesh API over HTTP from a process of its own.

It prints the URL it listens on to stdout (useful with `--port 0`) and one log line per
request to stderr. SIGTERM, SIGINT or SIGHUP stops it. With `--state-file` every write is
committed to the state file (SQLite, backend/journal.py) before it is answered, so the state
is complete whenever the process ends, `kill -9` included.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Any

from ..backend.journal import StateDatabase, open_state
from ..backend.persistence import StateFileError
from ..backend.store import Store
from ..iac import loading as iac_loading
from ..server import DEFAULT_HOST, DEFAULT_PORT, MockServer
from ..service.calls import DEFAULT_LIMIT, CallLog
from ..service.dispatch import Dispatcher
from ..service.settings import Settings
from ..xds.server import XdsPortError
from .toolbox import load_options, parameters

LOG = logging.getLogger("appmesh_mock.cli")
CALL_LOG_LIMIT = DEFAULT_LIMIT  # the latest calls only, as in-process


def add_command(commands: Any) -> None:
    serve = commands.add_parser("serve", help="serve the App Mesh API over HTTP")
    serve.add_argument("--host", default=DEFAULT_HOST, help="address to bind (default: loopback)")
    serve.add_argument(
        "--port", type=int, default=DEFAULT_PORT, help="port (default 4566; 0 picks a free one)"
    )
    serve.add_argument(
        "--state-file",
        metavar="PATH",
        help="keep the state in PATH (SQLite): loaded at start, every write committed",
    )
    serve.add_argument(
        "--reset", action="store_true", help="start empty, replacing what --state-file holds"
    )
    serve.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="another Host name the /_appmesh_mock/ endpoints answer (e.g. a container's "
        "service name); loopback names and the bound address always are",
    )
    serve.add_argument("--quiet", action="store_true", help="no per-request log lines")
    serve.add_argument(
        "--strict",
        action="store_true",
        default=None,
        help="check every response against the model (default: env APPMESH_MOCK_STRICT)",
    )
    serve.add_argument(
        "--account-id",
        help="answer every request as this account (default: env APPMESH_MOCK_ACCOUNT_ID, "
        "else the access key ID if it is 12 digits, else 123456789012)",
    )

    serve.add_argument(
        "--xds-port",
        type=int,
        metavar="PORT",
        help="also serve Envoy's xDS (gRPC ADS) on PORT (0 picks a free one): Envoys whose node "
        "id names a virtual gateway or node get their configuration live (the envoy extra)",
    )
    serve.add_argument(
        "--seed",
        metavar="FILE_OR_DIR",
        help="start with this state (an exported document, Describe* outputs, a folder of "
        "captured `aws appmesh describe-*` JSON, or CloudFormation, Terraform or App Mesh "
        "controller files); with --state-file, only when it is empty",
    )
    load_options(serve, "--seed-")


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(stream=sys.stderr, format="%(message)s")
    logging.getLogger("appmesh_mock").setLevel(logging.WARNING if args.quiet else logging.INFO)

    store = Store()
    dispatcher = Dispatcher(store, Settings(account_id=args.account_id, strict=args.strict))
    database: StateDatabase | None = None
    if args.state_file:
        try:
            database = open_state(args.state_file, store, reset=args.reset)
        except StateFileError as exc:
            # Refuse rather than start empty and overwrite the user's file.
            print(f"appmesh-mock: {exc} (use --reset to start empty)", file=sys.stderr)
            return 2
        LOG.info("state in %s", args.state_file)
    dispatcher.calls = CallLog(limit=CALL_LOG_LIMIT)
    if args.seed and not store.backends():
        try:
            loaded = iac_loading.load(
                store, args.seed, dispatcher.quotas, format=args.seed_format,
                parameters=parameters(args.seed_parameter), account_id=args.account_id,
            )
        except ValueError as exc:
            print(f"appmesh-mock: cannot seed from {args.seed}: {exc}", file=sys.stderr)
            _close(store, database)
            return 2
        LOG.info("seeded %d resources from %s", loaded, args.seed)
        for line in loaded.not_loaded:
            LOG.info("not loaded: %s", line)

    stopping = stop_on_signals()
    try:
        server = MockServer(
            args.port, args.host, dispatcher=dispatcher, allowed_hosts=args.allow_host,
            xds_port=args.xds_port,
        ).start()  # fmt: skip
    except XdsPortError as exc:
        print(f"appmesh-mock: cannot serve xDS on {args.host}:{args.xds_port}: {exc}",
              file=sys.stderr)  # fmt: skip
        _close(store, database)
        return 1
    except OSError as exc:
        print(f"appmesh-mock: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        _close(store, database)
        return 1
    except RuntimeError as exc:  # the xDS server without its extra installed
        print(f"appmesh-mock: {exc}", file=sys.stderr)
        _close(store, database)
        return 2
    if args.xds_port is not None:
        print(f"appmesh-mock xDS (ADS) on {args.host}:{server.xds_port}", flush=True)
    print(f"appmesh-mock listening on {server.url}", flush=True)  # the URL last: tools read it
    try:
        while not stopping.wait(1.0):  # a timeout keeps the main thread responsive to signals
            pass
    finally:
        server.stop()
        _close(store, database)
    return 0


def stop_on_signals() -> threading.Event:
    """An event that SIGTERM, SIGINT (Ctrl-C) or SIGHUP sets."""
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    for ending in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(ending, request_stop)
    return stopping


def _close(store: Store, database: StateDatabase | None) -> None:
    """Detaches the journal (every write is already in it) and closes the file."""
    if database is not None:
        with store.lock:
            store.journal = None
            database.close()
