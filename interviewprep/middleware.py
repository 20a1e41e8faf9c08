import re
import uuid

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django_redis import get_redis_connection

from .logging import request_id_var

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
    """Gives every request an id (the proxy's X-Request-ID if sane), logged with every line and returned."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response["X-Request-ID"] = request_id
        return response


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
