"""Everything the wire protocol needs, derived from botocore's App Mesh service models."""
