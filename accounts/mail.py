"""Mail sent after the response is out, so a page takes as long whether it sends one or not.

Password reset and sign-up would otherwise answer a known address more slowly than an unknown one (rendering
and the SMTP round trip), which tells an attacker which addresses have accounts. Django's `request_finished`
signal fires when the server closes the response, after the body was sent.
"""

import logging
from collections.abc import Callable
from contextvars import ContextVar

from django.core.signals import request_finished

logger = logging.getLogger(__name__)
_pending: ContextVar[list[Callable[[], object]] | None] = ContextVar("accounts_pending_mail", default=None)


def send_after_response(send: Callable[[], object]) -> None:
    """Call `send` once the current response is closed (call it only while a request is being answered)."""
    pending = _pending.get()
    if pending is None:
        pending = []
        _pending.set(pending)
    pending.append(send)


def _send_pending(**kwargs) -> None:
    pending = _pending.get()
    _pending.set(None)
    for send in pending or ():
        try:
            send()
        except Exception:  # the response is gone: log the failure, keep sending the others
            logger.exception("A mail queued for after the response could not be sent")


request_finished.connect(_send_pending, dispatch_uid="accounts-send-mail-after-response")
