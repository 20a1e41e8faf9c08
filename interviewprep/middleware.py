import re
import uuid

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.defaults import page_not_found
from django_redis import get_redis_connection

from .client_ip import client_ip
from .logging import client_ip_var, request_id_var

_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class HealthCheckMiddleware:
    """GET /healthz, with no session and no redirect in the way.

    200 when the database answers `SELECT 1`, 503 otherwise. Redis (REDIS_URL) is reported in the body: the app
    works without it (degraded), so it fails the check only with `?strict=1`, for a load balancer that wants that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path != "/healthz":
            return self.get_response(request)
        checks = {"database": _database_up()}
        if settings.REDIS_URL:
            checks["redis"] = _redis_up()
        required = checks if request.GET.get("strict") == "1" else {"database": checks["database"]}
        if not all(required.values()):
            status, summary = 503, "unavailable"
        else:
            status, summary = 200, "ok" if all(checks.values()) else "degraded"
        lines = [summary, *(f"{name}: {'up' if up else 'down'}" for name, up in checks.items())]
        response = HttpResponse("\n".join(lines) + "\n", status=status, content_type="text/plain")
        response["Cache-Control"] = "no-store"
        return response


def _database_up() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return False
    return True


def _redis_up() -> bool:
    try:
        return bool(get_redis_connection("strict").ping())
    except Exception:  # any Redis failure (refused, timeout, auth) means down
        return False


class RequestIdMiddleware:
    """Gives every request an id (the proxy's X-Request-ID if sane), logged with every line and returned.

    It also resolves the client's address once (interviewprep.client_ip), for the logs and everything else.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        ip_token = client_ip_var.set(client_ip(request) or "-")
        try:
            response = self.get_response(request)
        finally:
            client_ip_var.reset(ip_token)
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PermissionsPolicyMiddleware:
    """Adds Permissions-Policy, and keeps signed-in pages out of every cache (`Cache-Control: private, no-store`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)  # for /healthz, answered before Django's
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        return response


# Django's session keys are 32 characters of [a-z0-9]; anything else (NUL bytes, 10 kB) is no session.
_VALID_SESSION_KEY = re.compile(r"[a-z0-9]{8,40}")


class SessionCookieCheckMiddleware:
    """Drops a session cookie that cannot be a session key before anything looks it up (it would be a 500)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        if key is not None and not _VALID_SESSION_KEY.fullmatch(key):
            del request.COOKIES[settings.SESSION_COOKIE_NAME]
        return self.get_response(request)


class DebugNotFoundMiddleware:
    """With debug on, an Http404 raised by a view renders the product's 404 page, as in production.

    A newcomer running `make run` then sees "Page not found" for a missing question or someone else's attempt.
    An address that matches no URL pattern (Resolver404, raised before any view) keeps Django's debug page,
    which lists the patterns for the developer. With debug off Django renders 404.html itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if settings.DEBUG and isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None
