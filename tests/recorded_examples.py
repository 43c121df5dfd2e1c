"""The recorded AWS CLI examples (../shared/aws-cli-examples/*.rst, from aws/aws-cli
`awscli/examples/appmesh/`): reading them, and comparing a recorded output with ours.

An example is a command line, the JSON input files it names and the output the real service
gave. Comparing checks structure (every recorded key is present, lists have the recorded
length, scalars have the recorded type) and every value except those that depend on time or
on the uid; members added to the model since the recording may appear in ours.
"""

from __future__ import annotations

import json
import re
import shlex
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TIME_KEYS = frozenset({"createdAt", "lastUpdatedAt"})
ARN_PLACE = re.compile(r"arn:aws:appmesh:([a-z0-9-]+):(\d{12}):")


@dataclass
class Example:
    name: str  # "<file>#<n>"
    argv: list[str]  # the words after `aws appmesh`
    files: dict[str, str] = field(default_factory=dict)
    output: Any = None  # None: "This command produces no output."

    @property
    def operation(self) -> str:
        return self.argv[0]

    def option(self, name: str) -> str | None:
        """The value of `--name` on the command line."""
        flag = f"--{name}"
        return self.argv[self.argv.index(flag) + 1] if flag in self.argv else None

    def request(self) -> dict[str, Any]:
        """What the command sends: its --cli-input-json file merged with its options."""
        found: dict[str, Any] = {}
        source = self.option("cli-input-json")
        if source is not None:
            found.update(json.loads(self.files[source.removeprefix("file://")]))
        for word, value in zip(self.argv, self.argv[1:], strict=False):
            if word.startswith("--") and word != "--cli-input-json":
                head, *rest = word[2:].split("-")
                found.setdefault(head + "".join(part.title() for part in rest), value)
        return found

    def place(self) -> tuple[str, str]:
        """(region, account) of the recording, from the first App Mesh ARN it shows."""
        found = ARN_PLACE.search(json.dumps(self.output) + " ".join(self.argv))
        assert found is not None, f"{self.name}: no ARN to take the region from"
        return found.group(1), found.group(2)


def read_examples(folder: Path) -> list[Example]:
    examples: list[Example] = []
    for path in sorted(folder.glob("*.rst")):
        examples.extend(_examples_in(path.name, path.read_text("utf-8")))
    return examples


def _examples_in(file_name: str, text: str) -> list[Example]:
    found: list[Example] = []
    for intro, block in _literal_blocks(text.splitlines()):
        if block.startswith("aws appmesh"):
            words = shlex.split(block.replace("\\\n", " "))
            found.append(Example(f"{file_name}#{len(found) + 1}", words[2:]))
        elif "Contents of" in intro:
            named = re.search(r"Contents of `*([\w.-]+?)`*::", intro)
            assert named is not None, intro
            found[-1].files[named.group(1)] = block
        elif intro.startswith("Output"):
            found[-1].output = json.loads(block)
    return found


def _literal_blocks(lines: list[str]) -> list[tuple[str, str]]:
    """(introducing line, dedented text) of each reStructuredText literal block (`::`)."""
    blocks: list[tuple[str, str]] = []
    index = 0
    while index < len(lines):
        intro = lines[index].strip()
        index += 1
        if not intro.endswith("::"):
            continue
        body: list[str] = []
        while index < len(lines) and (not lines[index].strip() or lines[index][0].isspace()):
            body.append(lines[index])
            index += 1
        blocks.append((intro, textwrap.dedent("\n".join(body)).strip()))
    return blocks


def differences(recorded: Any, ours: Any, path: str = "") -> list[str]:
    """Where `ours` departs from `recorded`, as "path: what" lines."""
    key = path.rsplit(".", 1)[-1]
    if key in TIME_KEYS:
        return [] if ours is not None else [f"{path}: missing"]
    if key == "uid":
        return [] if isinstance(ours, str) and ours else [f"{path}: no uid"]
    if isinstance(recorded, dict):
        if not isinstance(ours, dict):
            return [f"{path}: {type(ours).__name__} instead of an object"]
        found: list[str] = []
        for name, value in recorded.items():
            where = f"{path}.{name}" if path else name
            found += differences(value, ours[name], where) if name in ours else [
                f"{where}: missing"]
        return found
    if isinstance(recorded, list):
        if not isinstance(ours, list) or len(ours) != len(recorded):
            return [f"{path}: {ours!r} instead of {len(recorded)} items"]
        return [d for i, (r, o) in enumerate(zip(recorded, ours, strict=True))
                for d in differences(r, o, f"{path}[{i}]")]
    if _kind(recorded) != _kind(ours) or recorded != ours:
        return [f"{path}: {ours!r} instead of {recorded!r}"]
    return []


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else type(value).__name__
