from __future__ import annotations

from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from awareness.people.accounts import MAX_LABEL_LENGTH, MAX_PASSWORD_LENGTH, password_problem
from awareness.reminders.digests import eligible_for_digest


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)]
    )
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class PasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired()])
    new_password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("new_password", message=_l("The two new passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Change password"))

    def validate_new_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class EndSessionsForm(FlaskForm):
    """Sign out every other browser (the form is only its CSRF token and button)."""

    submit = SubmitField(_l("Sign out everywhere else"))

    def __init__(self, **kwargs) -> None:
        super().__init__(prefix="sessions", **kwargs)


class LanguageForm(FlaskForm):
    """The person's language, from the configured ones; empty means the browser's."""

    language = SelectField(_l("Language"), validate_choice=True, default="")
    submit = SubmitField(_l("Save language"))

    def __init__(self, languages: list[str], **kwargs) -> None:
        super().__init__(prefix="language", **kwargs)
        self.language.choices = [("", _l("The browser's language"))] + [
            (code, Locale.parse(code).get_display_name(code) or code) for code in languages
        ]


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    submit = SubmitField(_l("Email me a link"))


class ChoosePasswordForm(FlaskForm):
    """A new password through a reset or invitation link."""

    password = PasswordField(_l("New password"), validators=[DataRequired()])
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords differ.")),
        ],
    )
    submit = SubmitField(_l("Set password and sign in"))

    def validate_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class DigestForm(FlaskForm):
    """A manager's weekly digest: on or off."""

    wants_digest = BooleanField(_l("Email me a weekly summary of my departments' training"))
    submit = SubmitField(_l("Save email settings"))

    def __init__(self, **kwargs) -> None:
        super().__init__(prefix="digest", **kwargs)

    @classmethod
    def offered_to(cls, person) -> DigestForm | None:
        """The switch with ``person``'s choice, for a manager; None for anyone else."""
        if not eligible_for_digest(person):
            return None
        return cls(data={"wants_digest": person.wants_digest})


class TokenForm(FlaskForm):
    """A new API token for oneself, named for what it is for."""

    label = StringField(
        _l("What the token is for (e.g. “Reporting script”)"),
        validators=[
            DataRequired(_l("Name the token, so that you know later what it is for.")),
            Length(max=MAX_LABEL_LENGTH),
        ],
    )
    submit = SubmitField(_l("Create an API token"))

    def __init__(self, **kwargs) -> None:
        super().__init__(prefix="token", **kwargs)

    def validate_label(self, field) -> None:
        if not (field.data or "").isprintable():
            raise ValidationError(_l("The label must be one line of printable text."))


class RevokeTokenForm(FlaskForm):
    """Revoke one of one's own tokens (the form is only its CSRF token and button)."""
