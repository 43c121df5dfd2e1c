"""examples/live_gateway.py runs: real requests through the Envoy gateway split as the canary
route says, the header route sends beta testers to v2, and after a weight change made with
boto3 against the server every request follows it."""

from __future__ import annotations

import ast
import runpy
from pathlib import Path

import pytest
from xds_support import requires_xds

ROOT = Path(__file__).resolve().parent.parent


@requires_xds
@pytest.mark.slow
def test_live_gateway_example(capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(ROOT / "examples" / "live_gateway.py"), run_name="__main__")
    lines = capsys.readouterr().out.splitlines()

    def answered(title: str) -> dict[str, int]:
        (line,) = [line for line in lines if line.startswith(title)]
        found: dict[str, int] = ast.literal_eval(line.split(": ", 1)[1])
        return found

    assert any("virtual gateway ingress: listener 8443 on http://127.0.0.1:" in x for x in lines)
    canary = answered("canary split (90:10), 200 requests")
    # Both targets (a 10% share never reaching v2 in 200 requests: about 1 in 10^9) and
    # mostly v1.
    assert set(canary) == {"catalog-v1", "catalog-v2"} and sum(canary.values()) == 200
    assert canary["catalog-v1"] > canary["catalog-v2"]
    assert answered("beta testers' header route, 50 requests") == {"catalog-v2": 50}
    assert any(line.startswith("UpdateRoute canary to 0:100; traffic followed") for line in lines)
    assert answered("after the change, 200 requests") == {"catalog-v2": 200}
