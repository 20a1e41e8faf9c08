from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from interviewprep import ratelimit

from .forms import (
    PASSWORD_FAILURES,
    DeferredPasswordResetForm,
    LoginForm,
    PasswordConfirmForm,
    ProfileForm,
    SignupForm,
    ThrottledPasswordChangeForm,
)
from .mail import send_after_response


def too_many_requests(request: HttpRequest, what: str) -> HttpResponse:
    minutes = ratelimit.minutes_to_next_window()
    message = f"Too many {what} from your network. Please try again in {minutes} minute{'s' if minutes != 1 else ''}."
    return render(request, "429.html", {"message": message}, status=429)


def limited(request: HttpRequest, *, scope: str, limit: int, what: str, service: str) -> HttpResponse | None:
    """The refusal page when this IP is over its hourly limit, or when the limits cannot be checked: they fail
    closed, so an outage of the shared cache never leaves sign-up or password reset unlimited. None: go ahead."""
    try:
        if not ratelimit.over_limit(request, scope=scope, limit=limit):
            return None
    except ratelimit.RateLimitUnavailableError:
        message = (
            f"{service} is unavailable for a few minutes because of a technical problem on our side. "
            "Nothing was saved or sent. Please try again shortly."
        )
        return render(request, "429.html", {"title": "Temporarily unavailable", "message": message}, status=503)
    return too_many_requests(request, what)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and (
        refusal := limited(
            request, scope="signup", limit=settings.SIGNUP_RATE_PER_HOUR, what="sign-ups", service="Sign-up"
        )
    ):
        return refusal
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        if not user.email:
            # The address has an account already. The page answers exactly as for a new address (no account
            # enumeration); the account is created without it, and the address's owner is told.
            address = form.cleaned_data["email"]
            send_after_response(lambda: _tell_owner_of_signup_attempt(request, address))
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


def _tell_owner_of_signup_attempt(request: HttpRequest, address: str) -> None:
    owner = get_user_model().objects.filter(email__iexact=address).first()
    if owner is None:
        return
    context = {
        "owner": owner,
        "login_url": request.build_absolute_uri(reverse("accounts:login")),
        "reset_url": request.build_absolute_uri(reverse("accounts:password_reset")),
    }
    send_mail(
        render_to_string("registration/signup_attempt_subject.txt", context).strip(),
        render_to_string("registration/signup_attempt_email.txt", context),
        None,
        [owner.email],
    )


_login = auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm)


def login_view(request: HttpRequest) -> HttpResponse:
    """Django's log-in, with a per-IP limit of failures across usernames (password spraying).

    django-axes locks one account for one address after five failures; this stops one address from trying a
    few passwords on each of many accounts. Wrong current passwords (password change, account deletion) count too.
    """
    if request.method != "POST":
        return _login(request)
    if ratelimit.reached(request, scope=PASSWORD_FAILURES, limit=settings.LOGIN_FAILURES_PER_IP_PER_HOUR):
        return too_many_requests(request, "failed log-ins")
    response = _login(request)
    if not request.user.is_authenticated:
        ratelimit.count(request, scope=PASSWORD_FAILURES)
    return response


class PasswordChangeView(auth_views.PasswordChangeView):
    form_class = ThrottledPasswordChangeForm
    success_url = reverse_lazy("accounts:password_change_done")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("accounts:profile")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "delete_form": PasswordConfirmForm(request.user, prefix="delete", request=request)},
    )


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.user, request.POST, prefix="delete", request=request)
    if not form.is_valid():
        messages.error(request, "Your account was not deleted: the password was wrong.")
        return render(
            request,
            "accounts/profile.html",
            {"form": ProfileForm(instance=request.user), "delete_form": form},
            status=400,
        )
    user = request.user
    logout(request)
    # Attempts, answers and every other row owned by the user go with it (on_delete=CASCADE).
    user.delete()
    messages.success(request, "Your account and all your data have been deleted.")
    return redirect("home")


_password_reset = auth_views.PasswordResetView.as_view(
    form_class=DeferredPasswordResetForm,
    success_url=reverse_lazy("accounts:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)


def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's password reset, limited per IP so it cannot be used to flood mailboxes."""
    if request.method == "POST" and (
        refusal := limited(
            request,
            scope="password-reset",
            limit=settings.PASSWORD_RESET_RATE_PER_HOUR,
            what="password reset requests",
            service="Password reset",
        )
    ):
        return refusal
    return _password_reset(request)
