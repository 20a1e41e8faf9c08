from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from interviewprep import request_cache

USER_CACHE_TIMEOUT = 5 * 60
# Bump when a release changes the User model, so no process unpickles a user stored by the old code.
USER_CACHE_FORMAT = 1


def user_cache_key(user_id) -> str:
    return f"auth:user:f{USER_CACHE_FORMAT}:{user_id}"


class UsernameOrEmailBackend(ModelBackend):
    """Log in with the username or, case-insensitively, the email address.

    With a fast shared cache (settings.FAST_CACHE) the signed-in user of each request is read from the cache
    instead of the database; every save or delete of a user drops the entry (forget_cached_user), and entries
    expire after USER_CACHE_TIMEOUT whatever happens.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and "@" in username:
            user = get_user_model().objects.filter(email__iexact=username).only("username").first()
            if user is not None:
                username = user.username
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        if not settings.FAST_CACHE:
            return super().get_user(user_id)
        key = user_cache_key(user_id)
        user = request_cache.get(key)
        if user is None:
            user = super().get_user(user_id)
            if user is None:
                return None
            request_cache.set(key, user, USER_CACHE_TIMEOUT)
        return user if self.user_can_authenticate(user) else None


def forget_cached_user(sender, instance, **kwargs) -> None:
    """post_save/post_delete of a user: drop the cached copy now and again once the transaction commits."""
    if settings.FAST_CACHE:
        request_cache.drop(user_cache_key(instance.pk))
