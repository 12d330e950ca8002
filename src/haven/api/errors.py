"""One shape for every API error, in the language the client asked for.

    {"error": {"code": "not_found", "message": "…", "fields": {"full_name": ["…"]}}}

`code` is stable and meant for programs; `message` and the field messages are for people,
in the language of the `Accept-Language` header (Vietnamese by default, or English).
Anything the caller may not see is `404 not_found`, so a reference does not reveal that a
case exists.
"""

import logging

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from haven.errors import ActionRefused

logger = logging.getLogger(__name__)


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]] = {}


class ErrorOut(Schema):
    error: ErrorDetail


class ApiError(Exception):
    """Raised by routers for a refusal that is not an `ActionRefused` from an action."""

    def __init__(self, status: int, code: str, message, fields: dict | None = None):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def body(code: str, message, fields: dict | None = None) -> dict:
    return {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {name: [str(m) for m in msgs] for name, msgs in (fields or {}).items()},
        }
    }


def use_requested_language(request) -> None:
    """Answer in the language of `Accept-Language` (vi or en); without it, keep what the
    locale middleware chose (the browser's language cookie, else Vietnamese)."""
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    if not header:
        return
    from django.utils.translation.trans_real import parse_accept_lang_header

    chosen = settings.LANGUAGE_CODE
    for code, _quality in parse_accept_lang_header(header):
        if code == "*":
            break
        try:
            chosen = translation.get_supported_language_variant(code)
            break
        except LookupError:
            continue
    translation.activate(chosen)
    request.LANGUAGE_CODE = chosen


# Pydantic's error types, as messages people can read (Django's own wording, so the
# Vietnamese comes from Django's catalogue where it exists).
def _pydantic_message(error: dict) -> str:
    kind = error.get("type", "")
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind in {"string_too_long", "too_long"}:
        return _("Ensure this value has at most %(limit_value)d characters.") % {
            "limit_value": context.get("max_length", 0)
        }
    if kind in {"greater_than_equal", "greater_than", "less_than_equal", "less_than"}:
        return _("Enter a value in the allowed range.")
    if kind in {"enum", "literal_error"}:
        return _("Select a valid choice. That choice is not one of the available choices.")
    if kind == "json_invalid":
        return _("The request body is not valid JSON.")
    if kind == "model_attributes_type" or kind == "dict_type":
        return _("Send a JSON object.")
    return _("Enter a valid value.")


def _field_name(loc) -> str:
    # loc is ("body", "payload", "full_name", …) or ("query", "page"): drop the source and
    # the name of the body parameter.
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["__all__"]
    elif parts:
        parts = parts[1:] or ["__all__"]
    return ".".join(parts) or "__all__"


def validation_fields(errors) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(_field_name(error.get("loc", ())), []).append(_pydantic_message(error))
    return fields


def form_fields(form) -> dict[str, list[str]]:
    """A Django form's errors in the API's shape (non-field errors under "__all__")."""
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


def install(api) -> None:
    """Route every exception the API can meet to a JSON error body."""

    def respond(request, status, code, message, fields=None):
        use_requested_language(request)
        return api.create_response(request, body(code, message, fields), status=status)

    @api.exception_handler(ApiError)
    def api_error(request, exc: ApiError):
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ActionRefused)
    def refused(request, exc: ActionRefused):
        fields = {exc.field: [exc.message]} if exc.field else {}
        return respond(request, 422, "refused", exc.message, fields)

    @api.exception_handler(ValidationError)
    def invalid(request, exc: ValidationError):
        use_requested_language(request)
        return respond(
            request,
            422,
            "invalid",
            _("The request was not accepted: correct the fields listed."),
            validation_fields(exc.errors),
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request, exc):
        return respond(
            request,
            401,
            "not_authenticated",
            _("Sign in, or send a valid API token in the Authorization header."),
        )

    @api.exception_handler(HttpError)
    def http_error(request, exc: HttpError):
        if exc.status_code == 403:
            return respond(
                request, 403, "csrf_failed", _("The CSRF check failed: reload the page.")
            )
        return respond(request, exc.status_code, "error", _("The request was not accepted."))

    @api.exception_handler(Http404)
    def not_found(request, exc):
        return respond(request, 404, "not_found", _("Not found."))

    @api.exception_handler(Exception)
    def server_error(request, exc):
        logger.exception("API request failed: %s %s", request.method, request.path)
        return respond(
            request, 500, "server_error", _("Something went wrong on the server; try again.")
        )
