from django import forms
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, UserCreationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest

from interviewprep import ratelimit

from .mail import send_after_response
from .models import TIME_ZONE_CHOICES

User = get_user_model()
VALID_TIME_ZONES = {value for value, _ in TIME_ZONE_CHOICES}


class EmailUniqueMixin:
    """Email addresses are unique whatever their case."""

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        others = User.objects.filter(email__iexact=email)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


class SignupForm(UserCreationForm):
    """Sign-up. A username that is taken is said so (users choose it and must see it), an email never: the account
    is created without it, and the view tells the address's owner instead (see accounts.views.signup)."""

    email = forms.EmailField(label="Email", max_length=254, help_text="For password resets. Never shown to anyone.")
    # Filled from the browser by static/js/timezone.js; UTC when missing or unknown.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)
    field_order = ["username", "email", "password1", "password2"]

    class Meta(UserCreationForm.Meta):
        model = User
        # The email is a plain field, set by the view: the model's unique-email constraint is not checked here.
        fields = ("username",)
        labels = {"username": "Username"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["email"].widget.attrs.update(autocomplete="email")
        # Django 5.1+ adds an "enable password-based authentication" switch to this form; sign-up always does.
        self.fields.pop("usable_password", None)

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone", "")
        return value if value in VALID_TIME_ZONES else "UTC"

    def validate_password_for_user(self, user, password_field_name="password1"):  # noqa: S107 (a field name)
        """Every rule the chosen password breaks, under it, even when the confirmation does not match.

        Django checks the confirmation field, which a mismatch has already emptied, so a weak password was only
        reported once both fields agreed.
        """
        super().validate_password_for_user(user, password_field_name="password1")

    def email_taken(self) -> bool:
        return User.objects.filter(email__iexact=self.cleaned_data["email"]).exists()

    def save(self, commit=True):
        """The new account, with the email only when no other account has it."""
        user = super().save(commit=False)
        user.time_zone = self.cleaned_data["time_zone"]
        if not self.email_taken():
            user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class ProfileForm(EmailUniqueMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = (
            "email",
            "display_name",
            "time_zone",
            "quiz_length",
            "quiz_feedback",
            "interview_length",
            "interview_minutes_per_question",
            "desired_retention",
            "new_cards_per_day",
        )
        labels = {"email": "Email", "desired_retention": "Desired retention"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["quiz_length"].min_value = 1
        self.fields["quiz_length"].max_value = 50
        self.fields["quiz_length"].widget.attrs.update(min=1, max=50)
        self.fields["interview_length"].widget.attrs.update(min=3, max=15)
        self.fields["interview_minutes_per_question"].widget.attrs.update(min=1, max=24)
        self.fields["desired_retention"].widget.attrs.update(min=0.8, max=0.97, step=0.01)
        self.fields["new_cards_per_day"].widget.attrs.update(min=0, max=200)

    def clean_quiz_length(self) -> int:
        return _in_range(self.cleaned_data["quiz_length"], 1, 50)

    def clean_interview_length(self) -> int:
        return _in_range(self.cleaned_data["interview_length"], 3, 15)

    def clean_interview_minutes_per_question(self) -> int:
        return _in_range(self.cleaned_data["interview_minutes_per_question"], 1, 24)

    def clean_desired_retention(self) -> float:
        value = self.cleaned_data["desired_retention"]
        if not 0.8 <= value <= 0.97:
            raise forms.ValidationError("Choose a retention from 0.80 to 0.97.")
        return round(value, 2)

    def clean_new_cards_per_day(self) -> int:
        return _in_range(self.cleaned_data["new_cards_per_day"], 0, 200)


def _in_range(value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise forms.ValidationError(f"Choose a number from {low} to {high}.")
    return value


PASSWORD_FAILURES = "password-failures"  # the per-IP count of wrong passwords, whatever the account


def check_current_password(request: HttpRequest, user, password: str) -> bool:
    """Check the signed-in user's password as a log-in is checked, so guesses here are throttled alike.

    It goes through `authenticate`: django-axes refuses it while the account is locked for this address and
    counts a wrong password towards the lock (its 429 page then answers), and a wrong one counts towards the
    per-IP limit of failed password checks. Raises ValidationError when the address is over that limit.
    """
    if ratelimit.reached(request, scope=PASSWORD_FAILURES, limit=settings.LOGIN_FAILURES_PER_IP_PER_HOUR):
        minutes = ratelimit.minutes_to_next_window()
        raise forms.ValidationError(
            f"Too many wrong passwords from your network. "
            f"Please try again in {minutes} minute{'s' if minutes != 1 else ''}.",
            code="throttled",
        )
    authenticated = authenticate(request, username=user.get_username(), password=password)
    if authenticated is not None and authenticated.pk == user.pk:
        return True
    ratelimit.count(request, scope=PASSWORD_FAILURES)
    return False


class PasswordConfirmForm(forms.Form):
    """Asks for the current password before something irreversible."""

    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, request: HttpRequest, **kwargs):
        self.user = user
        self.request = request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not check_current_password(self.request, self.user, password):
            raise forms.ValidationError("That is not your password.")
        return password


class ThrottledPasswordChangeForm(PasswordChangeForm):
    """Django's password change, with the old password checked (and throttled) as a log-in."""

    def __init__(self, user, *args, request: HttpRequest, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if not check_current_password(self.request, self.user, old_password):
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class LoginForm(AuthenticationForm):
    """Django's login form, labelled for username or email, and with a length limit that is enforced."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.label = "Username"
        field.help_text = "Or the email address of your account."
        # AuthenticationForm sets max_length after the field is built, so it is not validated: add it here.
        field.max_length = 254
        field.validators.append(MaxLengthValidator(254))
        field.widget.attrs["maxlength"] = 254


class DeferredPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the mail rendered and sent after the response: a known address and an
    unknown one take the same time to answer."""

    def send_mail(self, *args, **kwargs) -> None:
        send = super().send_mail
        send_after_response(lambda: send(*args, **kwargs))
