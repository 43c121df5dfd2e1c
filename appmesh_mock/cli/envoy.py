"""`appmesh-mock envoy-config`: the Envoy bootstrap App Mesh gave one virtual gateway or
virtual node (appmesh_mock.dataplane), over a running server's state (`--url`) or a saved
state document (`--state FILE`), printed as YAML or JSON for `envoy -c`.

    appmesh-mock envoy-config MESH (--gateway NAME | --node NAME)
        [--endpoint NODE=HOST:PORT]... [--url URL | --state FILE] [--format yaml|json]

Exits 0 with the configuration on stdout, or 2 with one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from ..dataplane import envoy_config
from .client import ControlError
from .semantics import document_of, source_options, where_of

COMMANDS = ("envoy-config",)


def add_commands(commands: Any) -> None:
    render = commands.add_parser(
        "envoy-config", help="print the Envoy configuration of a virtual gateway or node"
    )
    proxy_arguments(render)
    render.add_argument("--format", choices=("yaml", "json"), default="yaml")
    source_options(render)


def proxy_arguments(parser: argparse.ArgumentParser) -> None:
    """MESH (--gateway NAME | --node NAME) [--endpoint NODE=HOST:PORT]...: which proxy."""
    parser.add_argument("mesh", help="the mesh name")
    proxy = parser.add_mutually_exclusive_group(required=True)
    proxy.add_argument("--gateway", help="the virtual gateway whose Envoy it is")
    proxy.add_argument("--node", help="the virtual node whose sidecar it is")
    parser.add_argument(
        "--endpoint",
        action="append",
        default=[],
        metavar="NODE=HOST:PORT",
        help="where a virtual node is reached (NODE or NODE:LISTENER_PORT); repeat for more",
    )


def endpoints_of(given: list[str]) -> dict[str, str]:
    found = {}
    for item in given:
        name, equals, address = item.partition("=")
        if not equals or not name.strip() or not address.strip():
            raise ValueError(f"an endpoint is NODE=HOST:PORT, not {item!r}")
        found[name.strip()] = address.strip()
    return found


def run(args: argparse.Namespace) -> int:
    try:
        config = envoy_config(
            document_of(args),
            args.mesh,
            gateway=args.gateway,
            node=args.node,
            endpoints=endpoints_of(args.endpoint),
            **where_of(args),
        )
    except (OSError, ControlError, ValueError) as error:
        print(f"appmesh-mock: {error}", file=sys.stderr)
        return 2
    print(json.dumps(config, indent=2) if args.format == "json" else to_yaml(config))
    return 0


def to_yaml(value: Any, indent: int = 0) -> str:
    """YAML for JSON-shaped data: block mappings and sequences, every string and key in
    double quotes (JSON's escapes are YAML's), so that no value is read back as another type."""
    pad = "  " * indent
    if isinstance(value, dict) and value:
        lines = []
        for key, item in value.items():
            head = f"{pad}{json.dumps(str(key))}:"
            if isinstance(item, dict | list) and item:
                lines.append(f"{head}\n{to_yaml(item, indent + 1)}")
            else:
                lines.append(f"{head} {_scalar(item)}")
        return "\n".join(lines)
    if isinstance(value, list) and value:
        lines = []
        for item in value:
            if isinstance(item, dict | list) and item:
                nested = to_yaml(item, indent + 1).lstrip()
                lines.append(f"{pad}- {nested}")
            else:
                lines.append(f"{pad}- {_scalar(item)}")
        return "\n".join(lines)
    return f"{pad}{_scalar(value)}"


def _scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return json.dumps(value)
