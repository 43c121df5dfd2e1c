"""Runs the in-process tests against each supported botocore (or aiobotocore) release.

Usage:
    .venv/bin/python tools/compat_matrix.py                      # every botocore minor
    .venv/bin/python tools/compat_matrix.py --versions oldest,newest
    .venv/bin/python tools/compat_matrix.py --async --versions oldest,2.19.0,newest
    .venv/bin/python tools/compat_matrix.py --python python3.10 --out table.md

A sync row pins botocore to the version and boto3 to the newest release of that minor that
botocore satisfies (the two release lists differ by a patch here and there). An async row pins
aiobotocore, with aioboto3 where a release of it fits (none does for aiobotocore 3.x), and
boto3 and botocore to the botocore that pip picked within aiobotocore's pins. "oldest" is the
floor that pyproject.toml declares, "newest" the newest release on the index; without
--versions, the floor and the newest patch of every minor from it on.

Each row gets a venv of its own under --cache (default .compat/), kept between runs and rebuilt
only when its pins or pyproject.toml change; the project is installed editable, so a kept venv
tests the current code. Venvs are built with uv where it is installed (the test extra brings
it), else with pip: uv keeps every wheel in its cache, while pip's HTTP cache keeps nothing
when the index answers without caching headers (as it does behind this project's proxy), and
pip's resolver is slower (an async row's venv: about 35 s against 8 s).
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The in-process entry points and the behaviour that leans on botocore's internals. Tests of the
# server, the CLI and the semantics do not depend on botocore's version and stay out.
TESTS = (
    "tests/test_entry_points.py",
    "tests/test_answer_in_place.py",
    "tests/test_smoke.py",
    "tests/test_no_leak.py",  # runs tests/leak_probe.py: no DNS look-up or connect, ever
    "tests/test_async_clients.py",  # skipped where aiobotocore is not installed
    "tests/test_pytest_plugin.py",
    "tests/test_faults.py",
    "tests/test_interception_fallback.py",  # botocore's private names, each renamed in turn
    "tests/test_calls.py",
    "tests/test_requests_intercept.py",
    "tests/test_mesh.py",
    "tests/test_pagination.py",
)
TEST_TOOLS = ("pytest>=8", "pytest-asyncio>=0.23")
SHOWN = ("python", "boto3", "botocore", "aiobotocore", "aioboto3")
NONE = "\N{EN DASH}"  # a cell with nothing in it
Version = tuple[int, ...]


def parse(text: str) -> Version:
    return tuple(int(part) for part in text.split("."))


def show(version: Version) -> str:
    return ".".join(map(str, version))


@functools.cache
def released(package: str) -> list[Version]:
    """Every final release on the index, oldest first."""
    out = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", package],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = re.search(r"Available versions: (.*)", out)
    if listed is None:
        raise SystemExit(f"pip index versions {package}: no list of versions in {out!r}")
    names = [name.strip() for name in listed.group(1).split(",")]
    return sorted(parse(name) for name in names if re.fullmatch(r"\d+(\.\d+)*", name))


def floor(package: str) -> Version:
    """The lower bound that pyproject.toml declares for `package`, as three numbers."""
    found = re.search(rf'"{package}>=([\d.]+)', (ROOT / "pyproject.toml").read_text())
    if found is None:
        raise SystemExit(f"pyproject.toml declares no floor for {package}")
    return (*parse(found.group(1)), 0, 0)[:3]


def pick(wanted: str, available: list[Version], lowest: Version) -> list[Version]:
    if not wanted:
        newest_of_minor = {v[:2]: v for v in available if v >= lowest}  # sorted: last wins
        return sorted({lowest, *newest_of_minor.values()})
    chosen = []
    for name in wanted.split(","):
        version = {"oldest": lowest, "newest": available[-1]}.get(name) or parse(name)
        if version not in available:
            raise SystemExit(f"{show(version)} is not on the index")
        chosen.append(version)
    return chosen


def boto3_for(botocore: Version) -> Version:
    """boto3 X.Y.Z needs a botocore >= X.Y.Z of the same minor: the newest such boto3."""
    return max(v for v in released("boto3") if v[:2] == botocore[:2] and v <= botocore)


@dataclass
class Row:
    label: str
    pins: list[str]
    # Async rows: installed first, the first of these that resolves. boto3 is then pinned to
    # the botocore picked: left to the resolver, it would search back through boto3's releases.
    first: list[list[str]] = field(default_factory=list)
    installed: dict[str, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    verdict: str = "not run"


def sync_rows(wanted: str) -> list[Row]:
    return [
        Row(f"botocore-{show(v)}", [f"botocore=={show(v)}", f"boto3=={show(boto3_for(v))}"])
        for v in pick(wanted, released("botocore"), floor("botocore"))
    ]


def async_rows(wanted: str) -> list[Row]:
    rows = []
    for version in pick(wanted, released("aiobotocore"), floor("aiobotocore")):
        pin = f"aiobotocore=={show(version)}"
        with_aioboto3 = [pin, f"aioboto3>={show(floor('aioboto3'))}"]
        rows.append(Row(f"aiobotocore-{show(version)}", [], first=[with_aioboto3, [pin]]))
    return rows


def clean_env() -> dict[str, str]:
    """None of the caller's AWS settings: real credentials would hide the no-credentials cases,
    and a look-up of instance metadata would try the network."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return env | {"AWS_EC2_METADATA_DISABLED": "true", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}


def run(command: list[str], log: Path) -> int:
    with log.open("a") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        try:
            done = subprocess.run(command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                  env=clean_env(), timeout=1800, check=False)  # fmt: skip
        except subprocess.TimeoutExpired:
            out.write("timed out after 1800 s\n")
            return -1
    return done.returncode


class Installer:
    def __init__(self, python: str, uv: str | None) -> None:
        self.python, self.uv = python, uv

    def venv(self, venv: Path, log: Path) -> bool:
        if self.uv:
            return run([self.uv, "venv", "-q", "--python", self.python, str(venv)], log) == 0
        return run([self.python, "-m", "venv", "--clear", str(venv)], log) == 0

    def install(self, venv: Path, requirements: list[str], log: Path) -> bool:
        python = str(venv / "bin" / "python")
        if self.uv:
            command = [self.uv, "pip", "install", "-q", "--python", python]
        else:
            command = [python, "-m", "pip", "install", "-q"]
        return run([*command, *requirements], log) == 0


def installed(venv: Path) -> dict[str, str]:
    script = f"""import importlib.metadata as m, json, sys
found = {{"python": "%d.%d" % sys.version_info[:2]}}
for name in {SHOWN[1:]!r}:
    try:
        found[name] = m.version(name)
    except m.PackageNotFoundError:
        pass
print(json.dumps(found))"""
    command = [str(venv / "bin" / "python"), "-c", script]
    return dict(json.loads(subprocess.run(command, capture_output=True, check=True).stdout))


def build(row: Row, venv: Path, installer: Installer, log: Path) -> bool:
    """Builds the venv, or keeps it when its pins and pyproject.toml are what it was built for."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    wanted = {"pins": row.pins, "first": row.first, "pyproject": digest}
    stamp = venv / "compat-stamp.json"
    if stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return True
    shutil.rmtree(venv, ignore_errors=True)
    if not installer.venv(venv, log):
        return False
    pins = list(row.pins)
    if row.first:
        if not any(installer.install(venv, requirements, log) for requirements in row.first):
            return False
        botocore = parse(installed(venv)["botocore"])
        pins += [f"botocore=={show(botocore)}", f"boto3=={show(boto3_for(botocore))}"]
    if not installer.install(venv, ["-e", str(ROOT), *TEST_TOOLS, *pins], log):
        return False
    stamp.write_text(json.dumps(wanted))
    return True


def junit_counts(report: Path) -> dict[str, int]:
    total = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    for suite in ElementTree.parse(report).getroot().iter("testsuite"):
        for key in total:
            total[key] += int(suite.get(key, "0"))
    failed = total["failures"] + total["errors"]
    passed = total["tests"] - failed - total["skipped"]
    return {"passed": passed, "failed": failed, "skipped": total["skipped"]}


def test_row(row: Row, where: Path, installer: Installer) -> None:
    started = time.monotonic()
    venv, log, report = where / "venv", where / "log.txt", where / "junit.xml"
    where.mkdir(parents=True, exist_ok=True)
    log.write_text("")
    report.unlink(missing_ok=True)
    if not build(row, venv, installer, log):
        row.verdict = f"install failed, see {log}"
    else:
        row.installed = installed(venv)
        pytest = [str(venv / "bin" / "python"), "-m", "pytest", "-q", f"--junitxml={report}"]
        run([*pytest, *TESTS], log)
        row.counts = junit_counts(report) if report.exists() else {}
        good = row.counts.get("passed", 0) > 0 and row.counts["failed"] == 0
        row.verdict = "pass" if good else f"FAIL, see {log}"
    row.seconds = time.monotonic() - started


def table(rows: list[Row]) -> str:
    lines = [
        "| python | boto3 | botocore | aiobotocore | aioboto3 | passed | failed | skipped "
        "| time | verdict |",
        "|---|---|---|---|---|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        cells = [row.installed.get(name, NONE) for name in SHOWN]
        cells += [str(row.counts.get(name, NONE)) for name in ("passed", "failed", "skipped")]
        lines.append("| " + " | ".join([*cells, f"{row.seconds:.0f} s", row.verdict]) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Runs the in-process tests per release.")
    parser.add_argument("--versions", default="", help="oldest, newest, exact ones; default all")
    parser.add_argument("--async", dest="is_async", action="store_true",
                        help="rows of aiobotocore releases instead of botocore ones")  # fmt: skip
    parser.add_argument("--python", default=sys.executable, help="interpreter of the venvs")
    parser.add_argument("--installer", choices=("uv", "pip"), help="default: uv if installed")
    parser.add_argument("--cache", type=Path, default=ROOT / ".compat")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    # uv beside this interpreter (the test extra installs it there) or on PATH.
    search = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    uv = shutil.which("uv", path=search) if args.installer != "pip" else None
    if args.installer == "uv" and uv is None:
        raise SystemExit("--installer uv: uv is not installed")
    python_tag = subprocess.run(
        [args.python, "-c", "import sys; print('py%d.%d' % sys.version_info[:2])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()  # fmt: skip
    rows = (async_rows if args.is_async else sync_rows)(args.versions)
    for row in rows:  # one at a time: pytest and the installs keep the two cores busy
        print(f"{row.label} ({python_tag})", file=sys.stderr, flush=True)
        where = args.cache.resolve() / f"{row.label}-{python_tag}"
        test_row(row, where, Installer(args.python, uv))
        print(f"  {row.verdict} {row.counts} {row.seconds:.0f} s", file=sys.stderr, flush=True)
    print(text := table(rows), end="")
    if args.out:
        args.out.write_text(text)
    return 0 if all(row.verdict == "pass" for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
