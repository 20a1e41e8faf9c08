"""The client's address, resolved once per request and used by login throttling, rate limits and the logs.

With `PROXY_COUNT` = 0 (no proxy) it is the peer address (`REMOTE_ADDR`) and `X-Forwarded-For` is ignored, so a
forged header changes nothing. Behind N trusted proxies, each appending the address it received the request from
to `X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`, most load balancers), the client is the N-th entry
from the right: everything to its left was written by the client and can be forged. A request whose header is
shorter than that did not come through the proxies, and counts under its peer address.
"""

from django.conf import settings
from django.http import HttpRequest
from ipware import get_client_ip


def resolve(request: HttpRequest) -> str | None:
    count = settings.PROXY_COUNT
    if count <= 0:
        address, _ = get_client_ip(request, request_header_order=["REMOTE_ADDR"], strict=False)
    else:
        # django-ipware counts the proxies listed in the header before the last one, so N trusted proxies that
        # each append are N - 1 of its proxies; not strict, so entries forged on the left are skipped.
        address, _ = get_client_ip(
            request,
            proxy_order="left-most",
            proxy_count=count - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"],
            strict=False,
        )
    return address


def client_ip(request: HttpRequest) -> str | None:
    """The client's address (also `settings.AXES_CLIENT_IP_CALLABLE`), resolved once and kept on the request.

    None when the request has none (a request built in code, without REMOTE_ADDR).
    """
    if not hasattr(request, "client_ip"):
        request.client_ip = resolve(request)
    return request.client_ip
