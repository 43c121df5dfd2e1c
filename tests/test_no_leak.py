"""No App Mesh request leaves the process while a mock is active, however and whenever its
client was made. The probe (tests/leak_probe.py) runs in a fresh interpreter behind an audit
hook that refuses and records every DNS look-up and connect; the control call made after the
mock stops shows that the hook does see a client that goes to the network."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

PROBE = Path(__file__).with_name("leak_probe.py")


def run_probe(tmp_path: Path) -> dict[str, Any]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("AWS_") and key != "APPMESH_MOCK_ACCOUNT_ID"
    }
    env.update(
        # Credentials that look real: the leak the issue found sent them to AWS.
        AWS_ACCESS_KEY_ID="AKIAREALLOOKINGKEY01",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
        AWS_CONFIG_FILE=str(tmp_path / "none"),
        AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"),
        AWS_EC2_METADATA_DISABLED="true",
    )
    completed = subprocess.run(
        [sys.executable, str(PROBE)], env=env, capture_output=True, text=True, timeout=60
    )
    assert completed.returncode == 0, completed.stderr
    return dict(json.loads(completed.stdout))


def test_no_client_reaches_the_network(tmp_path: Path) -> None:
    report = run_probe(tmp_path)
    assert report["attempts"] == []
    not_answered = {name: got for name, got in report["results"].items() if got != "answered"}
    assert not_answered == {}
    expected = {
        "default session, before import",
        "custom session, before import",
        "botocore session, before import",
        "closed loopback endpoint, before import",
        "AWS endpoint URL, before import",
        "tagging API, before import",
        "default session, before start",
        "custom session, before start",
        "custom endpoint, while active",
    }
    try:
        import aiobotocore  # noqa: F401

        expected |= {"aiobotocore, before import", "aiobotocore"}
    except ImportError:
        pass
    assert set(report["results"]) == expected
    # The control: with the mock stopped, the same client tries the network and is refused.
    assert report["control"].startswith("EndpointConnectionError")
    assert report["control_attempts"], report
