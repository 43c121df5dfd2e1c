"""Reading a request body over HTTP/1.1: Content-Length or chunked, within the size limit."""

from __future__ import annotations

import io

from ..errors import BadRequestException
from ..protocol.http_checks import MAX_BODY_BYTES, error_response, too_large
from ..protocol.serializer import HttpResponse

# How much of a too-large body is still read, so that the client (which sends its whole body
# before reading the answer) sees the 413 instead of a reset connection.
DRAIN_LIMIT = 16 * MAX_BODY_BYTES


class BodyError(Exception):
    def __init__(self, response: HttpResponse) -> None:
        super().__init__(response.status)
        self.response = response


def bad_request(message: str) -> BodyError:
    return BodyError(error_response(BadRequestException(message)))


def read_chunked(stream: io.BufferedIOBase, limit: int) -> bytes:
    """A `Transfer-Encoding: chunked` body; past `limit` it is read on (up to the drain limit)
    but dropped, and refused at the end."""
    body = bytearray()
    total = 0
    while True:
        line = stream.readline(1026)
        try:
            size = int(line.split(b";", 1)[0].strip(), 16)
        except ValueError:
            raise bad_request("malformed chunked body") from None
        if size < 0:
            raise bad_request("malformed chunked body")
        if size == 0:
            while stream.readline(1026).strip():  # trailers, up to the blank line
                pass
            if total > limit:
                raise BodyError(too_large(total))
            return bytes(body)
        total += size
        if total > DRAIN_LIMIT:
            raise BodyError(too_large())
        chunk = stream.read(size)
        if len(chunk) != size:
            raise bad_request("the chunked body ended early")
        if total <= limit:
            body += chunk
        stream.readline(3)  # the CRLF after each chunk
