"""Shared fixtures. The whole suite runs in strict mode: every response is checked against
the model's output shape before it leaves the mock."""

from __future__ import annotations

import os

os.environ["APPMESH_MOCK_STRICT"] = "1"
