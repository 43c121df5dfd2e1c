"""`appmesh-mock migrate` and `appmesh-mock equivalence`: leaving App Mesh (docs/migration.md)
over a running server's state (`--url`) or a saved state document (`--state FILE`).

    appmesh-mock migrate MESH --to TARGET [-o DIR] [--backend NAME=TARGET]...
        [--url URL | --state FILE] [--json]
    appmesh-mock equivalence MESH --to TARGET FILE_OR_DIR... [--backend NAME=TARGET]...
        [--url URL | --state FILE] [--json]

`migrate` prints the target configuration as YAML (or writes one file per document into DIR)
and the ledger and equivalence report on stderr (on stdout with -o); it exits 0 when every
difference is one the ledger declares, 1 otherwise. `equivalence` prints the report as a
table and exits 0 when the configuration routes as the mesh does, 1 when it does not; both
exit 2 on an error, with one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from ..semantics.migration import TARGETS, check_equivalence, load_target, migrate
from .client import ControlError
from .semantics import document_of, source_options, where_of

COMMANDS = ("migrate", "equivalence")


def add_commands(commands: Any) -> None:
    move = commands.add_parser("migrate", help="write the configuration of another routing "
                               "layer that routes as the mesh does")
    check = commands.add_parser("equivalence", help="check that a configuration of another "
                                "routing layer routes as the mesh does")
    for parser in (move, check):
        parser.add_argument("mesh", help="the mesh name")
        parser.add_argument("--to", required=True, choices=sorted(TARGETS))
        parser.add_argument("--backend", action="append", default=[], metavar="NAME=TARGET",
                            help="the target's name for an App Mesh virtual node, service or "
                            "gateway (e.g. catalog-v1=catalog-v1.shop.svc.cluster.local:8080)")
        parser.add_argument("--json", action="store_true", help="print JSON")
        source_options(parser)
    move.add_argument("-o", "--output", metavar="DIR", help="write one file per document here")
    check.add_argument("target", nargs="+", metavar="FILE_OR_DIR",
                       help="the configuration: YAML or JSON files, or folders of them")


def _backends(pairs: list[str]) -> dict[str, str]:
    found = {}
    for pair in pairs:
        name, equals, target = pair.partition("=")
        if not equals or not name or not target:
            raise ValueError(f"a backend is NAME=TARGET, not {pair!r}")
        found[name] = target
    return found


def run(args: argparse.Namespace) -> int:
    try:
        document = document_of(args)
        backends = _backends(args.backend)
        if args.command == "equivalence":
            documents = [d for path in args.target for d in load_target(Path(path))]
            report = check_equivalence(document, args.mesh, documents, to=args.to,
                                       backends=backends, **where_of(args))
            print(json.dumps(report.to_dict(), indent=2) if args.json else report.table())
            return 0 if report else 1
        migration = migrate(document, args.mesh, to=args.to, backends=backends, **where_of(args))
        if args.output:
            folder = Path(args.output)
            folder.mkdir(parents=True, exist_ok=True)
            migration.to_yaml(folder)
    except (OSError, ControlError, ValueError) as error:
        print(f"appmesh-mock: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(migration.to_dict(), indent=2))
    else:
        out = sys.stdout if args.output else sys.stderr
        if not args.output:
            print(migration.to_yaml(), end="")
        counted: dict[str, int] = {}
        for entry in migration.ledger:
            counted[entry.status] = counted.get(entry.status, 0) + 1
        print("ledger: " + ", ".join(f"{n} {s}" for s, n in counted.items()), file=out)
        for entry in migration.ledger:
            if entry.status != "mapped":
                print(f"  {entry.status:<12} {entry.resource}: {entry.field}: {entry.note}"
                      + (f" [{entry.cause}]" if entry.cause else ""), file=out)
        print(migration.differences.table(), file=out)
    return 0 if all(d.declared for d in migration.differences.differences) else 1
