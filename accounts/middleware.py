from django.utils import timezone


class TimezoneMiddleware:
    """Dates and times of every page in the signed-in candidate's own zone, as Django's time zone docs show."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            timezone.activate(user.zone)
        else:
            timezone.deactivate()
        return self.get_response(request)
