from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from interviewprep import ratelimit

from .forms import PasswordConfirmForm, ProfileForm, SignupForm


def too_many_requests(request: HttpRequest, what: str) -> HttpResponse:
    minutes = ratelimit.minutes_to_next_window()
    message = f"Too many {what} from your network. Please try again in {minutes} minute{'s' if minutes != 1 else ''}."
    return render(request, "429.html", {"message": message}, status=429)


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    if request.method == "POST" and ratelimit.over_limit(request, scope="signup", limit=settings.SIGNUP_RATE_PER_HOUR):
        return too_many_requests(request, "sign-ups")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        return redirect("home")
    return render(request, "accounts/signup.html", {"form": form})


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
        {"form": form, "delete_form": PasswordConfirmForm(request.user, prefix="delete")},
    )


@login_required
@require_POST
def delete_account(request: HttpRequest) -> HttpResponse:
    form = PasswordConfirmForm(request.user, request.POST, prefix="delete")
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
    success_url=reverse_lazy("accounts:password_reset_done"),
    email_template_name="registration/password_reset_email.txt",
    subject_template_name="registration/password_reset_subject.txt",
)


def password_reset(request: HttpRequest) -> HttpResponse:
    """Django's password reset, limited per IP so it cannot be used to flood mailboxes."""
    if request.method == "POST" and ratelimit.over_limit(
        request, scope="password-reset", limit=settings.PASSWORD_RESET_RATE_PER_HOUR
    ):
        return too_many_requests(request, "password reset requests")
    return _password_reset(request)
