"""Domain errors a user can cause. Each maps to one 4xx answer in ``fileshare.api.http``."""

from __future__ import annotations


class DomainError(Exception):
    """Base class: carries a machine code, a status and a message for humans."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after  # seconds, sent as Retry-After (429s that end at a known time)
        if code is not None:
            self.code = code


class InvalidRequest(DomainError):
    status = 400
    code = "invalid_request"


class UploadTooLarge(DomainError):
    status = 400
    code = "upload_too_large"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"


class InvalidUploadKey(ValueError):
    """An object key that the uploads API never issued (a workflow input error, not a user one)."""


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class TooManyAttempts(DomainError):
    status = 429
    code = "too_many_attempts"


class QuotaExceeded(DomainError):
    status = 413
    code = "quota_exceeded"


class UploadRateExceeded(DomainError):
    status = 429
    code = "upload_rate_exceeded"


class EmailRateExceeded(DomainError):
    status = 429
    code = "email_rate_exceeded"
