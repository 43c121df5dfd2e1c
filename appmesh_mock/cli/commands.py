"""The `appmesh-mock` console command.

    appmesh-mock serve [--host 127.0.0.1] [--port 4566] [--state-file PATH] [--reset]
                       [--allow-host NAME] [--quiet] [--strict] [--account-id ID]
                       [--seed FILE_OR_DIR] [--xds-port PORT]             (cli/serve.py)
    appmesh-mock reset, fault add|clear, calls, export, load [--url URL]  (cli/toolbox.py)
    appmesh-mock resolve MESH (--service S | --gateway G) [...]           (cli/semantics.py)
    appmesh-mock graph MESH [--format text|mermaid|dot] [...]
    appmesh-mock envoy-config MESH (--gateway G | --node N) [...]         (cli/envoy.py)
    appmesh-mock envoy MESH (--gateway G | --node N) [--endpoint ...]     (cli/run_envoy.py)
    appmesh-mock migrate MESH --to T [-o DIR], equivalence MESH --to T F   (cli/migrate.py)
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import envoy, migrate, run_envoy, semantics, serve, toolbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="appmesh-mock", description="An in-memory AWS App Mesh API for tests."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve.add_command(commands)
    toolbox.add_commands(commands)
    semantics.add_commands(commands)
    envoy.add_commands(commands)
    run_envoy.add_commands(commands)
    migrate.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return serve.run(args)
    if args.command in toolbox.COMMANDS:
        return toolbox.run(args)
    if args.command in envoy.COMMANDS:
        return envoy.run(args)
    if args.command in run_envoy.COMMANDS:
        return run_envoy.run(args)
    if args.command in migrate.COMMANDS:
        return migrate.run(args)
    return semantics.run(args)


if __name__ == "__main__":
    sys.exit(main())
