"""`appmesh-mock fault add|clear`, `calls`, `export` and `load`: the test-double controls of a
running server, over its /_appmesh_mock/ endpoints (entry/control_toolbox.py).

    appmesh-mock fault add [OPERATION] [--error CODE] [--times N] [--probability P] [--seed S]
                           [--delay SECONDS] [--message TEXT] [--api-version V]
                           [--account-id ID] [--region R] [--url URL]
    appmesh-mock fault clear [--id N] [--url URL]
    appmesh-mock calls [--operation NAME] [--clear] [--url URL]
    appmesh-mock export [--url URL] [-o FILE]
    appmesh-mock load FILE_OR_DIR [--url URL]

Each prints the server's JSON answer (export: the state document, to FILE with -o) and exits
0, or prints the server's error and exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import urllib.error
import urllib.request
from typing import Any

from ..service.state_input import StateError, read
from .server import DEFAULT_HOST, DEFAULT_PORT

COMMANDS = ("fault", "calls", "export", "load")
DEFAULT_URL = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}"


def _url_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--url", default=DEFAULT_URL, help=f"the server (default {DEFAULT_URL})")


def add_commands(commands: Any) -> None:
    fault = commands.add_parser("fault", help="make calls to a running server fail or wait")
    actions = fault.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add a fault (default: throttle every call)")
    add.add_argument("operation", nargs="?", default="*", help="e.g. CreateRoute (default *)")
    add.add_argument("--error", default="TooManyRequestsException",
                     help="an error the operation declares, or 'none' with --delay")  # fmt: skip
    add.add_argument("--message")
    add.add_argument("--times", type=int, help="fail the next N matching calls only")
    add.add_argument("--probability", type=float, default=1.0)
    add.add_argument("--seed", type=int, help="makes --probability reproducible")
    add.add_argument("--delay", type=float, default=0.0, help="seconds to wait first")
    add.add_argument("--api-version")
    add.add_argument("--account-id")
    add.add_argument("--region")
    _url_option(add)
    clear = actions.add_parser("clear", help="remove every fault (or one, with --id)")
    clear.add_argument("--id", type=int)
    _url_option(clear)

    calls = commands.add_parser("calls", help="print the calls a running server answered")
    calls.add_argument("--operation", help="only this operation's calls")
    calls.add_argument("--clear", action="store_true", help="forget them instead")
    _url_option(calls)

    export = commands.add_parser("export", help="print the API-shaped state document")
    export.add_argument("-o", "--output", metavar="FILE", help="write it to FILE instead")
    _url_option(export)

    load = commands.add_parser("load", help="add a state document or captured CLI output")
    load.add_argument("source", metavar="FILE_OR_DIR")
    _url_option(load)


def _call(url: str, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    # A JSON Content-Type: what the server asks of every state-changing control request.
    headers = {"Content-Type": "application/json"} if method != "GET" else {}
    request = urllib.request.Request(
        f"{url.rstrip('/')}/_appmesh_mock/{path}", data=data, method=method, headers=headers
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read() or b"null")


def _request(args: argparse.Namespace) -> tuple[str, str, Any]:
    if args.command == "fault" and args.action == "add":
        body = {
            "operation": args.operation,
            "error": None if args.error.lower() == "none" else args.error,
            "message": args.message,
            "times": args.times,
            "probability": args.probability,
            "seed": args.seed,
            "delay": args.delay,
            "apiVersion": args.api_version,
            "accountId": args.account_id,
            "region": args.region,
        }
        return "POST", "faults", body
    if args.command == "fault":
        return "DELETE", f"faults?id={args.id}" if args.id is not None else "faults", None
    if args.command == "calls":
        if args.clear:
            return "DELETE", "calls", None
        query = f"?operation={args.operation}" if args.operation else ""
        return "GET", f"calls{query}", None
    if args.command == "export":
        return "GET", "export", None
    items, shares = read(args.source)  # a folder is read here, the items checked there
    resources = [{item.kind: item.resource, "tags": item.tags} for item in items]
    return "POST", "load", {"resources": resources, "shares": shares}


def run(args: argparse.Namespace) -> int:
    try:
        method, path, body = _request(args)
        answer = _call(args.url, method, path, body)
    except StateError as exc:
        print(f"appmesh-mock: {exc}", file=sys.stderr)
        return 1
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")
        with contextlib.suppress(ValueError, AttributeError):
            detail = json.loads(detail).get("message", detail)
        print(f"appmesh-mock: {exc.code}: {detail}", file=sys.stderr)
        return 1
    except (urllib.error.URLError, OSError) as exc:
        print(f"appmesh-mock: cannot reach {args.url}: {exc}", file=sys.stderr)
        return 1
    text = json.dumps(answer, indent=2)
    if args.command == "export" and args.output:
        with open(args.output, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
    else:
        print(text)
    return 0
