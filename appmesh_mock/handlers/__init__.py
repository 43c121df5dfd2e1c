"""One module per resource kind; importing them registers every operation's handler."""

from . import mesh  # noqa: F401
