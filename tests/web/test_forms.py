"""Every problem an operation reports stands beside its field at once; what names no field is shown above."""

from flask_wtf import FlaskForm
from wtforms import StringField

from disclosure.core.errors import DomainError, FieldErrors
from disclosure.web.forms import show_errors


class _Form(FlaskForm):
    name = StringField()
    email = StringField()


def test_several_problems_stand_beside_their_fields_at_once(app):
    with app.test_request_context(method="POST"):
        form = _Form(meta={"csrf": False})
        loose = show_errors(form, FieldErrors({"name": "Enter a name.", "email": "Enter an email.", "x": "Other."}))
        assert form.name.errors == ["Enter a name."] and form.email.errors == ["Enter an email."]
        assert loose == ["Other."]


def test_a_problem_naming_no_field_goes_beside_the_default(app):
    with app.test_request_context(method="POST"):
        form = _Form(meta={"csrf": False})
        assert show_errors(form, DomainError("Taken."), default="email") == []
        assert form.email.errors == ["Taken."]
