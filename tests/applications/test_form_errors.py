"""Forms report every problem at once: a summary linking to each field, each message beside its field, the first
invalid field focused (server-side), and the operations raise all input problems together."""

from __future__ import annotations

import re

import pytest

from disclosure.applications.models import Application
from disclosure.core.errors import DomainError, FieldErrors, collect_errors, field_errors
from disclosure.extensions import db
from tests.factories import application_input, filing_form


def _form(agency, **kw):
    return filing_form(agency, **{"action": "submit", "item_1_document_ref": "", **kw})


def test_collect_errors_raises_every_problem_as_one_domain_error():
    with pytest.raises(FieldErrors) as caught, collect_errors() as errors:
        errors.add("first", field="a")
        errors.add("second", field="b")
        errors.add("again", field="a")  # the first message per field is kept
        with errors.check():
            raise DomainError("third", field="c")
    assert isinstance(caught.value, DomainError)
    assert caught.value.errors == {"a": "first", "b": "second", "c": "third"}
    assert (caught.value.field, caught.value.message) == ("a", "first")
    assert field_errors(DomainError("one", field="x")) == {"x": "one"}
    with collect_errors():
        pass  # nothing added: nothing raised


def test_validate_input_reports_every_field_at_once(world):
    from disclosure.applications import operations as ops

    data = application_input()
    data.applicant_name = ""
    data.postal_code = "12"
    data.email = "not-an-address"
    with pytest.raises(FieldErrors) as caught:
        ops.validate_input(data, complete=True)
    assert {"applicant_name", "postal_code", "email"} <= set(caught.value.errors)


def test_filing_with_three_bad_fields_shows_three_messages_beside_their_fields(world, client, login):
    login(client, world.citizen)
    resp = client.post(
        "/my/applications/new",
        data=_form(world.agency, applicant_name="", postal_code="12", email="not-an-address"),
        headers={"Accept-Language": "en"},
    )
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert db.session.execute(db.select(db.func.count(Application.id))).scalar_one() == 0
    for name, words in (
        ("applicant_name", "Enter the applicant"),
        ("postal_code", "A postal code has 6 digits."),
        ("email", "The email address is not valid."),
    ):
        # beside the field, linked to it, and in the summary as a link to the field
        assert re.search(rf'<p class="error" id="{name}-error">[^<]*{re.escape(words)}', html), name
        assert re.search(rf'<input[^>]*aria-describedby="{name}-error"[^>]*aria-invalid="true"', html) or re.search(
            rf'<input[^>]*aria-invalid="true"[^>]*id="{name}"', html
        ), name
        assert re.search(rf'<a href="#{name}">[^<]*{re.escape(words)}', html), name
    summary = html[html.index('class="error-summary"') :]
    assert 'role="alert"' in html[html.index('class="error-summary"') - 100 : html.index('class="error-summary"') + 100]
    assert summary.index("#applicant_name") < summary.index("#email") < summary.index("#postal_code")
    # only the first invalid field (in the form's order) takes the focus
    assert html.count("autofocus") == 1
    assert re.search(r'<input[^>]*autofocus[^>]*id="applicant_name"|<input[^>]*id="applicant_name"[^>]*autofocus', html)


def test_a_draft_reports_only_what_is_filled_in_wrongly(world, client, login):
    login(client, world.citizen)
    resp = client.post("/my/applications/new", data=_form(world.agency, action="draft", applicant_name="", email="x"))
    assert resp.status_code == 422
    html = resp.get_data(as_text=True)
    assert 'id="email-error"' in html and 'id="applicant_name-error"' not in html


def test_a_citizen_filing_for_themselves_is_not_shown_organisation_fields(world, client, login):
    login(client, world.citizen)
    html = client.get("/my/applications/new").get_data(as_text=True)
    assert world.citizen.profile is None or world.citizen.profile.applicant_type == "person"
    org = html[html.index('data-applicant-type="organisation"') :]
    assert org.startswith('data-applicant-type="organisation" hidden>') and 'id="org_credit_code"' in org
    person = html[html.index('data-applicant-type="person"') :]
    assert person.startswith('data-applicant-type="person">')
    # without script: choosing an organisation and sending the page shows the organisation's fields
    resp = client.post(
        "/my/applications/new",
        data=_form(world.agency, applicant_type="organisation", applicant_category=""),
        headers={"Accept-Language": "en"},
    )
    html = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert 'data-applicant-type="organisation">' in html and 'data-applicant-type="person" hidden>' in html
    assert re.search(
        r'<select[^>]*autofocus[^>]*id="applicant_category"|<select[^>]*id="applicant_category"[^>]*autofocus', html
    )
