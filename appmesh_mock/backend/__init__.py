"""In-memory state: resources keyed by account and region, with their relationships."""
