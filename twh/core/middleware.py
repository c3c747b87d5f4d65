"""Request guards: a body that cannot be read is a 400, a lost database a truthful 503."""

import codecs
import logging

from django.core.exceptions import BadRequest
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from twh.core import submissions

logger = logging.getLogger(__name__)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _readable_charset(charset: str) -> bool:
    """A charset Django can parse a form in: known, and ASCII-compatible (not UTF-16/32)."""
    try:
        codec = codecs.lookup(charset)
    except LookupError:
        return False
    try:
        return "a=1&b".encode(codec.name) == b"a=1&b"
    except (UnicodeError, LookupError):
        return False


class UnreadableBodyMiddleware:
    """A form POST whose body is not valid in its charset answers 400, never 500.

    It runs before the CSRF check, which is the first to read request.POST.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in ("POST", "PUT", "PATCH") and request.content_type in FORM_TYPES:
            if not self._readable(request):
                return HttpResponseBadRequest(
                    gettext("The form could not be read. Please go back and send it again."),
                    content_type="text/plain; charset=utf-8",
                )
        return self.get_response(request)

    @staticmethod
    def _readable(request) -> bool:
        charset = request.content_params.get("charset")
        if charset and not _readable_charset(charset):
            return False
        try:
            if request.content_type == FORM_TYPES[0]:
                request.body.decode(request.encoding or "utf-8")
            request.POST  # noqa: B018 - parse now, where a failure can still be a 400
        except (UnicodeError, LookupError, ValueError, BadRequest):
            return False
        return True


class DatabaseUnavailableMiddleware:
    """A friendly 503 page when the database is unreachable, instead of a 500.

    When this request had already saved a submission before the connection dropped, the page
    says so, so nobody sends it again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        submissions.start_request()
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError | InterfaceError) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            logger.error("Database unavailable: %s", type(exception).__name__)
            response = TemplateResponse(
                request, "503.html", {"saved": submissions.saved_in_this_request()}, status=503
            )
            response["Retry-After"] = "30"
            return response.render()
        return None
