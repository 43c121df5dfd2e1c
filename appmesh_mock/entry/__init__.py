"""How requests arrive: the botocore hook, `requests` interception, the HTTP server, the CLI."""
