from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from .forms import PasswordConfirmForm, ProfileForm, SignupForm


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="accounts.backends.UsernameOrEmailBackend")
        messages.success(request, f"Welcome to InterviewPrep, {user.username}! Start with a quiz or a mock interview.")
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
