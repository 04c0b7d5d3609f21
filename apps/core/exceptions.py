"""One business-error class. Services raise it; the API and the UI render it the same way."""

from collections.abc import Mapping

from django.http import Http404


class ApplicationError(Exception):
    """A business rule refused the request.

    code: stable machine code (snake_case, English) for integrators;
    message: the Chinese sentence a caseworker reads;
    fields: {field: [message, …]} when the problem belongs to specific inputs;
    data: optional machine-readable facts a client needs to act on the refusal (a conflict's server side), sent as
    the API body's `data` key (absent when None).
    """

    status_code = 400
    data: dict | None = None

    def __init__(self, code: str, message: str, fields: Mapping[str, list[str]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.fields = {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()}


class ConflictError(ApplicationError):
    """The request clashes with the current state (a second run, a stale edit)."""

    status_code = 409


class NotFoundError(ApplicationError, Http404):
    """The record does not exist, or is outside the user's region (the same answer: no existence oracle).

    It is also an Http404, so a view never converts it: Django renders the 404 page, the API handler
    renders the one error shape (ApplicationError is checked first there).
    """

    status_code = 404

    def __init__(self, code: str = "not_found", message: str = "记录不存在或无权访问。",
                 fields: Mapping[str, list[str]] | None = None):
        super().__init__(code, message, fields)
