from django.utils import timezone

from .services import close_due_interviews


class CloseExpiredInterviewsMiddleware:
    """An interview past its deadline is finished on its candidate's next request, whatever page it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            close_due_interviews(now=timezone.now(), user=request.user)
        return self.get_response(request)
