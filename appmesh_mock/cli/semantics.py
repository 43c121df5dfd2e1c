"""`appmesh-mock resolve` and `appmesh-mock graph`: route resolution and topology pictures
(appmesh_mock.semantics) over a running server's state (`--url`, read from its
`GET /_appmesh_mock/export`) or a state document saved to a file (`--state FILE`).

    appmesh-mock resolve MESH (--service NAME | --gateway NAME) [--source NODE] [--path /p]
        [--method GET] [--header 'name: value']... [--query 'a=1&b=2'] [--port N] [--host H]
        [--scheme http] [--account-id ID] [--region R] [--mesh-owner ID]
        [--url URL | --state FILE] [--json]
    appmesh-mock graph MESH [--format text|mermaid|dot] [--url URL | --state FILE] [...]

`resolve` exits 0 when the request reaches a target, 1 when it goes nowhere, 2 on an error.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..semantics import resolve, topology
from ..semantics.document import load_document
from ..semantics.topology import FORMATS
from .client import DEFAULT_URL, ControlError, call


def source_options(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", help=f"a running appmesh-mock server (default {DEFAULT_URL})")
    where.add_argument("--state", metavar="FILE", help="a saved state document instead")
    parser.add_argument("--account-id", help="the mesh's account, if several hold the name")
    parser.add_argument("--region", help="the mesh's region, if several hold the name")
    parser.add_argument("--mesh-owner", help="the owner of a shared mesh")


def add_commands(commands: Any) -> None:
    """Adds both subcommands to the console command's subparsers."""
    ask = commands.add_parser("resolve", help="explain where the mesh sends a request")
    ask.add_argument("mesh", help="the mesh name")
    entry = ask.add_mutually_exclusive_group(required=True)
    entry.add_argument("--service", help="the virtual service called inside the mesh")
    entry.add_argument("--gateway", help="the virtual gateway the request enters through")
    ask.add_argument("--source", help="the calling virtual node (with --service)")
    ask.add_argument("--path", default="/", help="the path, query string allowed (default /)")
    ask.add_argument("--method", default="GET")
    ask.add_argument(
        "--header",
        action="append",
        default=[],
        metavar="'NAME: VALUE'",
        help="a header or gRPC metadata item; repeat for more",
    )
    ask.add_argument("--query", help="query parameters, as a query string")
    ask.add_argument("--port", type=int, help="the listener port")
    ask.add_argument("--host", help="the Host header (gateway requests)")
    ask.add_argument("--scheme", default="http")
    ask.add_argument("--json", action="store_true", help="print the resolution as JSON")
    source_options(ask)

    draw = commands.add_parser("graph", help="draw a mesh's topology")
    draw.add_argument("mesh", help="the mesh name")
    draw.add_argument("--format", choices=FORMATS, default="text")
    source_options(draw)


def document_of(args: argparse.Namespace) -> Any:
    if args.state:
        return load_document(args.state)
    return load_document(call(args.url or DEFAULT_URL, "GET", "export"))


def where_of(args: argparse.Namespace) -> dict[str, Any]:
    return {"account_id": args.account_id, "region": args.region, "mesh_owner": args.mesh_owner}


def run(args: argparse.Namespace) -> int:
    try:
        document = document_of(args)
        if args.command == "graph":
            print(topology(document, args.mesh, args.format, **where_of(args)))
            return 0
        headers = {}
        for header in args.header:
            name, colon, value = header.partition(":")
            if not colon or not name.strip():
                raise ValueError(f"a header is 'name: value', not {header!r}")
            headers[name.strip()] = value.strip()
        result = resolve(
            document,
            args.mesh,
            service=args.service,
            gateway=args.gateway,
            source=args.source,
            path=args.path,
            method=args.method,
            headers=headers,
            query=args.query,
            port=args.port,
            host=args.host,
            scheme=args.scheme,
            **where_of(args),
        )
    except (OSError, ControlError, ValueError) as error:
        print(f"appmesh-mock: {error}", file=sys.stderr)
        return 2
    print(json.dumps(result.to_dict(), indent=2) if args.json else result)
    return 0 if result.matched else 1
