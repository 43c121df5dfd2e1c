"""One request, end to end: identity, the dispatcher, idempotency and the mock's settings."""
