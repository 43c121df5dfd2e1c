"""The service errors the App Mesh models declare, as Python exceptions.

Handlers raise them; the serializer turns them into the wire form. The HTTP status of each is
read from the model (see `Api.error_status`), so only the names live here, and a test checks that
they are exactly the model's error shapes.
"""

from __future__ import annotations


class ServiceError(Exception):
    """An error the App Mesh API declares. `code` is the model's error shape name; `status`,
    where set, overrides the model's HTTP status (only for errors the model does not declare)."""

    code = "ServiceError"
    status: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestException(ServiceError):
    code = "BadRequestException"


class ConflictException(ServiceError):
    code = "ConflictException"


class ForbiddenException(ServiceError):
    code = "ForbiddenException"


class InternalServerErrorException(ServiceError):
    code = "InternalServerErrorException"


class LimitExceededException(ServiceError):
    code = "LimitExceededException"


class NotFoundException(ServiceError):
    code = "NotFoundException"


class ResourceInUseException(ServiceError):
    code = "ResourceInUseException"


class ServiceUnavailableException(ServiceError):
    code = "ServiceUnavailableException"


class TooManyRequestsException(ServiceError):
    code = "TooManyRequestsException"


class TooManyTagsException(ServiceError):
    code = "TooManyTagsException"


ALL_ERRORS: tuple[type[ServiceError], ...] = (
    BadRequestException,
    ConflictException,
    ForbiddenException,
    InternalServerErrorException,
    LimitExceededException,
    NotFoundException,
    ResourceInUseException,
    ServiceUnavailableException,
    TooManyRequestsException,
    TooManyTagsException,
)


class NotImplementedException(ServiceError):
    """An operation the model has but the mock does not answer (not a model error: the 501
    that LocalStack also answers, so that a client sees what is missing, not a bad request)."""

    code = "NotImplemented"
    status = 501


# The Resource Groups Tagging API's errors (its model declares no HTTP status: JSON-1.1 services
# answer client errors with 400 and their own failures with 500).
class InvalidParameterException(ServiceError):
    code = "InvalidParameterException"
    status = 400


class InternalServiceException(ServiceError):
    code = "InternalServiceException"
    status = 500


class ConcurrentModificationException(ServiceError):
    code = "ConcurrentModificationException"
    status = 400


class ConstraintViolationException(ServiceError):
    code = "ConstraintViolationException"
    status = 400


class PaginationTokenExpiredException(ServiceError):
    code = "PaginationTokenExpiredException"
    status = 400


class ThrottledException(ServiceError):
    """400, as JSON-1.1 services answer throttling; botocore retries it by its code."""

    code = "ThrottledException"
    status = 400


TAGGING_ERRORS: tuple[type[ServiceError], ...] = (
    ConcurrentModificationException,
    ConstraintViolationException,
    InternalServiceException,
    InvalidParameterException,
    PaginationTokenExpiredException,
    ThrottledException,
)


class StrictModeViolation(AssertionError):
    """A response the mock was about to send does not match the model's output shape."""


class AppMeshMockFallbackWarning(UserWarning):
    """botocore (or aiobotocore, moto) lacks a private name the in-process path reads, or it
    no longer behaves as expected: appmesh-mock takes a slower path that still answers App
    Mesh calls in-process, and says once which piece is missing (docs/interception.md)."""
