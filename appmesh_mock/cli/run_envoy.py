"""`appmesh-mock envoy`: the real Envoy as one virtual gateway or node of a running server's
mesh, configured live over the server's xDS port (`serve --xds-port`), until Ctrl-C.

    appmesh-mock envoy MESH (--gateway NAME | --node NAME) [--endpoint NODE=HOST:PORT]...
        [--url URL]

Prints each listener's address once Envoy has its configuration; exits 0 when stopped,
2 with one line on stderr for a bad argument (an unknown gateway or node, a bad endpoint, a
server without xDS), 1 if Envoy fails.
"""

from __future__ import annotations

import argparse
import sys
import urllib.parse
from typing import Any

from ..dataplane.common import EnvoyConfigError
from ..semantics.document import load_document
from ..xds.envoy import EnvoyNotFound, EnvoyProcess
from ..xds.run import ListenerUrls, listener_count, node_id
from .client import ControlError, call, url_option
from .envoy import endpoints_of, proxy_arguments
from .serve import stop_on_signals

COMMANDS = ("envoy",)


def add_commands(commands: Any) -> None:
    run_it = commands.add_parser(
        "envoy", help="run Envoy as a virtual gateway or node, configured live over xDS"
    )
    proxy_arguments(run_it)
    url_option(run_it)


def run(args: argparse.Namespace) -> int:
    try:
        endpoints = endpoints_of(args.endpoint)
        ports = call(args.url, "GET", "xds").get("ports") or []
        if not ports:
            raise ValueError(
                f"the server at {args.url} serves no xDS: start it with "
                "`appmesh-mock serve --xds-port PORT`"
            )
        document = load_document(call(args.url, "GET", "export"))
        expected = listener_count(document, args.mesh, gateway=args.gateway, node=args.node,
                                  endpoints=endpoints)  # fmt: skip
        envoy = EnvoyProcess(
            node_id(args.mesh, args.gateway, args.node), int(ports[0]),
            xds_host=urllib.parse.urlsplit(args.url).hostname or "127.0.0.1",
            endpoints=endpoints, listeners=expected,
        )  # fmt: skip
    except (ControlError, EnvoyConfigError, ValueError, AttributeError) as error:
        print(f"appmesh-mock: {error}", file=sys.stderr)
        return 2
    stopping = stop_on_signals()
    try:
        envoy.start()
    except EnvoyNotFound as error:
        print(f"appmesh-mock: {error}", file=sys.stderr)
        return 2
    except RuntimeError as error:
        print(f"appmesh-mock: {error}", file=sys.stderr)
        return 1
    try:
        who = f"virtual gateway {args.gateway}" if args.gateway else f"virtual node {args.node}"
        for port, url in ListenerUrls(envoy).items():
            print(f"{who}: listener {port} on {url}", flush=True)
        print(f"envoy admin on {envoy.admin_url} (Ctrl-C stops it)", flush=True)
        while not stopping.wait(0.5):
            if envoy.exited():
                print(f"appmesh-mock: envoy exited: {envoy.log_tail()}", file=sys.stderr)
                return 1
        return 0
    finally:
        envoy.stop()
