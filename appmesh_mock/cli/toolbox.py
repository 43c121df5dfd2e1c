"""`appmesh-mock fault add|clear`, `calls`, `export` and `load`: the test-double controls of a
running server, over its /_appmesh_mock/ endpoints (server/toolbox.py).

    appmesh-mock fault add [OPERATION] [--error CODE] [--times N] [--probability P] [--seed S]
                           [--delay SECONDS] [--message TEXT] [--api-version V]
                           [--account-id ID] [--region R] [--url URL]
    appmesh-mock fault clear [--id N] [--url URL]
    appmesh-mock calls [--operation NAME] [--clear] [--url URL]
    appmesh-mock export [--url URL] [-o FILE]
    appmesh-mock reset [--state-only] [--url URL]
    appmesh-mock load FILE_OR_DIR [--format F] [--parameter NAME=VALUE ...] [--url URL]

Each prints the server's JSON answer (export: the state document, to FILE with -o) and exits
0, or prints the server's error and exits 1.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..iac.documents import read as read_documents
from ..iac.loading import FORMATS
from ..service.fault_options import fault_options
from ..service.state_input import StateError, read
from .client import ControlError, call, url_option

COMMANDS = ("fault", "calls", "export", "load", "reset")


def add_commands(commands: Any) -> None:
    fault = commands.add_parser("fault", help="make calls to a running server fail or wait")
    actions = fault.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a fault (default: throttle every call)")
    add.add_argument("operation", nargs="?", default="*", help="e.g. CreateRoute (default *)")
    for option in fault_options():
        add.add_argument(option.flag, type=option.kind, default=option.default, help=option.help)
    url_option(add)
    clear = actions.add_parser("clear", help="remove every fault (or one, with --id)")
    clear.add_argument("--id", type=int)
    url_option(clear)

    calls = commands.add_parser("calls", help="print the calls a running server answered")
    calls.add_argument("--operation", help="only this operation's calls")
    calls.add_argument("--clear", action="store_true", help="forget them instead")
    url_option(calls)

    export = commands.add_parser("export", help="print the API-shaped state document")
    export.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")
    url_option(export)

    load = commands.add_parser(
        "load", help="add a state document, captured CLI output, or the mesh that CloudFormation, "
        "Terraform or App Mesh controller files describe",
    )
    load.add_argument("source", metavar="FILE_OR_DIR")
    load_options(load, "--")
    url_option(load)

    reset = commands.add_parser(
        "reset", help="clear the state, faults and call log of a running server"
    )
    reset.add_argument(
        "--state-only", action="store_true", help="clear the state only: keep faults and calls"
    )
    url_option(reset)


def load_options(parser: Any, prefix: str) -> None:
    """--format and --parameter (`serve` spells them --seed-format, --seed-parameter)."""
    parser.add_argument(f"{prefix}format", choices=FORMATS,
                        help="the files' format (default: read from their content)")
    parser.add_argument(
        f"{prefix}parameter", action="append", default=[], metavar="NAME=VALUE",
        help="a CloudFormation parameter, Terraform variable, manifest ${NAME} or a value "
        "only AWS knows (repeat for more; docs/state.md)",
    )


def parameters(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, equals, value = pair.partition("=")
        if not equals or not name:
            raise StateError(f"--parameter takes NAME=VALUE, not {pair!r}")
        found[name] = value
    return found


def _load(args: argparse.Namespace) -> dict[str, Any]:
    """The body of POST load: state items as they are (checked there), or configuration
    files read here and translated there, where the server's account is known."""
    given = parameters(args.parameter)
    if args.format in (None, "state"):
        documents = read_documents(args.source) if args.format is None else []
        if args.format == "state" or all(found == "state" for _, _, found in documents):
            items, shares = read(args.source)  # a folder is read here, the items checked there
            resources = [{item.kind: item.resource, "tags": item.tags} for item in items]
            return {"resources": resources, "shares": shares}
    else:
        documents = read_documents(args.source)
    return {"documents": documents, "format": args.format, "parameters": given}


def _fault(args: argparse.Namespace) -> dict[str, Any]:
    body: dict[str, Any] = {"operation": args.operation}
    for option in fault_options():
        value = getattr(args, option.keyword)
        if option.keyword == "error" and value is not None and value.lower() == "none":
            value = None  # the flag's spelling of a latency-only fault
        body[option.member] = value
    return body


def _request(args: argparse.Namespace) -> tuple[str, str, Any]:
    if args.command == "fault" and args.action == "add":
        return "POST", "faults", _fault(args)
    if args.command == "fault":
        return "DELETE", f"faults?id={args.id}" if args.id is not None else "faults", None
    if args.command == "calls":
        if args.clear:
            return "DELETE", "calls", None
        query = f"?operation={args.operation}" if args.operation else ""
        return "GET", f"calls{query}", None
    if args.command == "export":
        return "GET", "export", None
    if args.command == "reset":
        return "POST", "reset?state_only=1" if args.state_only else "reset", None
    return "POST", "load", _load(args)


def run(args: argparse.Namespace) -> int:
    try:
        method, path, body = _request(args)
        answer = call(args.url, method, path, body)
    except (StateError, ControlError) as exc:
        print(f"appmesh-mock: {exc}", file=sys.stderr)
        return 1
    if args.command == "reset":
        return 0
    text = json.dumps(answer, indent=2)
    if args.command == "export" and args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        print(text)
    return 0
