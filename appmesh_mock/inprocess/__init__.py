"""How in-process calls arrive: the botocore hook and class guards, and `requests` interception."""
