"""Writes docs/operations.md: every App Mesh operation of both API versions, from botocore's models.

Usage: .venv/bin/python tools/operations_table.py > docs/operations.md

Everything in the table is read from the installed botocore service models (HTTP method, path,
the errors each operation declares and their status codes) plus the mock's handler table, so the
page cannot drift from what the mock serves: tests/test_docs.py regenerates it and compares.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from botocore.model import OperationModel, StructureShape

from appmesh_mock.handlers.table import HANDLERS
from appmesh_mock.protocol.models import API_VERSIONS, CURRENT_VERSION, LEGACY_VERSION, get_api

NONE = "\u2013"  # an en dash: "not in this version" / "nothing beyond the common set"

HEADER = """\
# Operations

Every operation of the two App Mesh API versions that botocore ships, as the mock serves them.
Generated from botocore's service models by `tools/operations_table.py`; do not edit by hand:

    .venv/bin/python tools/operations_table.py > docs/operations.md

Use the 2018-10-01 API with
`boto3.client("appmesh", region_name="us-east-1", api_version="2018-10-01")`; the default client
speaks 2019-01-25. Both versions use the same host and read and write one store; 2019 paths start
with `/v20190125`, 2018 paths have no prefix. Every operation answers HTTP 200 on success.
"""


def _path(operation: OperationModel) -> str:
    """Method and request URI; a required query-string member is shown as `?name=…`."""
    uri = operation.http["requestUri"]
    shape = operation.input_shape
    if isinstance(shape, StructureShape):
        query = [
            member.serialization.get("name", name)
            for name, member in shape.members.items()
            if member.serialization.get("location") == "querystring"
            and name in shape.required_members
        ]
        if query:
            uri += "?" + "&".join(f"{name}=…" for name in query)
    return f"`{operation.http['method']} {uri}`"


def _errors(operation: OperationModel) -> list[str]:
    return sorted(shape.name for shape in operation.error_shapes)


def _short(name: str) -> str:
    return name.removesuffix("Exception")


def _common_errors() -> set[str]:
    """The errors every operation of both versions declares."""
    sets = [
        set(_errors(op)) for version in API_VERSIONS for op in get_api(version).operations.values()
    ]
    return set.intersection(*sets)


def _error_cell(names: Iterable[str], common: set[str]) -> str:
    extra = [_short(name) for name in names if name not in common]
    return ", ".join(extra) if extra else NONE


def operations_table() -> str:
    legacy = get_api(LEGACY_VERSION).operations
    current = get_api(CURRENT_VERSION).operations
    common = _common_errors()
    lines = [
        HEADER,
        "## Operations",
        "",
        f"Every operation also declares the common errors: "
        f"{', '.join(sorted(_short(name) for name in common))}. "
        "The last column lists the errors it declares beyond those.",
        "",
        "| operation | 2019-01-25 | 2018-10-01 | in 2019? | in 2018? | mock | "
        "errors beyond the common set |",
        "|---|---|---|---|---|---|---|",
    ]
    for name in sorted(set(legacy) | set(current)):
        new, old = current.get(name), legacy.get(name)
        either = new or old
        assert either is not None
        errors = _error_cell(_errors(either), common)
        if new is not None and old is not None and _errors(new) != _errors(old):
            errors = (
                f"2019: {_error_cell(_errors(new), common)}; "
                f"2018: {_error_cell(_errors(old), common)}"
            )
        lines.append(
            f"| {name} "
            f"| {_path(new) if new else NONE} "
            f"| {_path(old) if old else NONE} "
            f"| {'yes' if new else 'no'} "
            f"| {'yes' if old else 'no'} "
            f"| {'yes' if name in HANDLERS else 'no'} "
            f"| {errors} |"
        )
    lines += [
        "",
        f"{len(current)} operations in 2019-01-25, {len(legacy)} in 2018-10-01.",
        "",
        "## Errors",
        "",
        "Each error answers its HTTP status with the header `x-amzn-ErrorType: <code>` and a "
        'JSON body `{"message": "..."}`; boto3 raises it as `client.exceptions.<code>`.',
        "",
        "| code | HTTP status | fault | in 2018-10-01? |",
        "|---|---|---|---|",
    ]
    current_model = get_api(CURRENT_VERSION).model
    legacy_errors = {shape.name for shape in get_api(LEGACY_VERSION).model.error_shapes}
    for shape in sorted(current_model.error_shapes, key=lambda s: s.name):
        error = shape.metadata.get("error", {})
        # botocore keeps `fault` only in the raw shape definition.
        fault = "server" if getattr(shape, "_shape_model", {}).get("fault") else "client"
        lines.append(
            f"| {shape.name} | {error.get('httpStatusCode', '')} | {fault} "
            f"| {'yes' if shape.name in legacy_errors else 'no'} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.stdout.write(operations_table())


if __name__ == "__main__":
    main()
