from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.validators import MaxLengthValidator

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


class SignupForm(EmailUniqueMixin, UserCreationForm):
    email = forms.EmailField(label="Email", max_length=254, help_text="For password resets. Never shown to anyone.")
    # Filled from the browser by static/js/timezone.js; UTC when missing or unknown.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        labels = {"username": "Username"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].widget.attrs.update(autocomplete="username", autofocus=True)
        self.fields["email"].widget.attrs.update(autocomplete="email")
        # Django 5.1+ adds an "enable password-based authentication" switch to this form; sign-up always does.
        self.fields.pop("usable_password", None)

    def clean_time_zone(self) -> str:
        value = self.cleaned_data.get("time_zone", "")
        return value if value in VALID_TIME_ZONES else "UTC"

    def validate_password_for_user(self, user, password_field_name="password1"):  # noqa: S107 (a field name)
        """Every rule the chosen password breaks, under it, even when the confirmation does not match.

        Django checks the confirmation field, which a mismatch has already emptied, so a weak password was only
        reported once both fields agreed.
        """
        super().validate_password_for_user(user, password_field_name="password1")

    def save(self, commit=True):
        user = super().save(commit=False)
        user.time_zone = self.cleaned_data["time_zone"]
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
        )
        labels = {"email": "Email"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True
        self.fields["quiz_length"].min_value = 1
        self.fields["quiz_length"].max_value = 50
        self.fields["quiz_length"].widget.attrs.update(min=1, max=50)
        self.fields["interview_length"].widget.attrs.update(min=3, max=15)
        self.fields["interview_minutes_per_question"].widget.attrs.update(min=1, max=24)

    def clean_quiz_length(self) -> int:
        return _in_range(self.cleaned_data["quiz_length"], 1, 50)

    def clean_interview_length(self) -> int:
        return _in_range(self.cleaned_data["interview_length"], 3, 15)

    def clean_interview_minutes_per_question(self) -> int:
        return _in_range(self.cleaned_data["interview_minutes_per_question"], 1, 24)


def _in_range(value: int, low: int, high: int) -> int:
    if not low <= value <= high:
        raise forms.ValidationError(f"Choose a number from {low} to {high}.")
    return value


class PasswordConfirmForm(forms.Form):
    """Asks for the current password before something irreversible."""

    password = forms.CharField(
        label="Password", strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password


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
