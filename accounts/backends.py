from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or, case-insensitively, the email address."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = get_user_model().objects.filter(email__iexact=username).only("username").first()
            if user is not None:
                username = user.username
        return super().authenticate(request, username=username, password=password, **kwargs)
