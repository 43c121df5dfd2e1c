"""One AWS CLI v1 process that runs many commands: `python aws_cli_session.py URL` reads one
JSON list of words per line (what follows `aws` on a command line), runs it through the CLI's
own driver with `--endpoint-url URL --output json`, and answers one JSON line
{"rc", "stdout", "stderr"}. Starting the CLI costs most of a second; a command after that
costs milliseconds, so a test can run dozens of recorded commands quickly.

`AwsCli` starts and talks to that process. The CLI's credentials come from the environment it
is given; nothing is read from the user's own AWS configuration.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any


class AwsCli:
    def __init__(self, url: str, home: Path, account: str) -> None:
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(home),
            "AWS_ACCESS_KEY_ID": account,  # the server takes a 12-digit key ID as the account
            "AWS_SECRET_ACCESS_KEY": "recorded-examples-secret",
            "AWS_DEFAULT_REGION": "us-east-1",
            "AWS_CONFIG_FILE": str(home / "no-config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / "no-credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_MAX_ATTEMPTS": "1",
        }
        self._process = subprocess.Popen(
            [sys.executable, __file__, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            text=True,
        )

    def run(self, *words: str) -> dict[str, Any]:
        assert self._process.stdin is not None and self._process.stdout is not None
        self._process.stdin.write(json.dumps(list(words)) + "\n")
        self._process.stdin.flush()
        line = self._process.stdout.readline()
        assert line, "the AWS CLI session ended"
        answer: dict[str, Any] = json.loads(line)
        return answer

    def close(self) -> None:
        if self._process.stdin is not None:
            self._process.stdin.close()
        try:
            self._process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()


def _serve(url: str) -> None:
    from awscli.clidriver import create_clidriver  # only this process needs the CLI

    driver = create_clidriver()
    replies = sys.stdout
    for line in sys.stdin:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            try:
                rc = driver.main(["--endpoint-url", url, "--output", "json", *json.loads(line)])
            except SystemExit as stop:  # argument errors end in sys.exit
                rc = stop.code if isinstance(stop.code, int) else 2
        replies.write(json.dumps({"rc": rc, "stdout": out.getvalue(), "stderr": err.getvalue()}))
        replies.write("\n")
        replies.flush()


if __name__ == "__main__":
    _serve(sys.argv[1])
