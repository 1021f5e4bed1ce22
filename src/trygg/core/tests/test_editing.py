"""The form flow (core.editing): a service's refusal is shown on the form, next to the field
it names, in the same way on every page; a write redirects with its message."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.test import RequestFactory

from trygg.core.editing import add_form_errors, form_page, form_post, refusal_text


class MeetingForm(forms.Form):
    error_fields = {"starts_at": "start"}

    start = forms.CharField()
    title = forms.CharField(required=False)


class UploadForm(forms.Form):
    error_fields = {NON_FIELD_ERRORS: "file"}

    file = forms.CharField()
    organisation = forms.CharField(required=False)


def _request(method="get", data=None, path="/page/"):
    request = getattr(RequestFactory(), method)(path, data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _bound(form_class, **data):
    form = form_class(data)
    assert form.is_valid()
    return form


def test_a_refusal_naming_a_field_is_shown_next_to_it():
    form = _bound(MeetingForm, start="9", title="x")
    add_form_errors(form, ValidationError({"title": "Too long."}))
    assert form.errors["title"] == ["Too long."]


def test_a_form_maps_the_service_s_field_names_to_its_own():
    form = _bound(MeetingForm, start="9")
    add_form_errors(form, ValidationError({"starts_at": "In the past.", "nowhere": "Odd."}))
    assert form.errors["start"] == ["In the past."]
    assert form.non_field_errors() == ["Odd."]


def test_an_upload_s_refusal_is_the_file_s_error_unless_it_names_another_field():
    form = _bound(UploadForm, file="a.csv")
    add_form_errors(form, ValidationError("Not a CSV file."))
    add_form_errors(form, ValidationError({"organisation": "Not yours."}))
    assert form.errors["file"] == ["Not a CSV file."]
    assert form.errors["organisation"] == ["Not yours."]
    assert not form.non_field_errors()


def test_a_permission_refusal_is_a_form_error_with_a_message_even_when_it_has_none():
    form = _bound(MeetingForm, start="9")
    add_form_errors(form, PermissionDenied())
    assert form.non_field_errors() == ["Du har inte behörighet att göra detta."]
    assert refusal_text(PermissionDenied()) == "Du har inte behörighet att göra detta."
    assert refusal_text(ValidationError(["One.", "Two."])) == "One. Two."


def test_form_page_writes_redirects_and_says_so():
    request = _request("post", {"start": "9"})
    calls = []
    response = form_page(
        request,
        MeetingForm(request.POST),
        lambda data: calls.append(data) or "made",
        title="T",
        success=lambda result: f"It was {result}.",
        done=lambda result: f"/done/{result}/",
    )
    assert response.status_code == 302
    assert response["Location"] == "/done/made/"
    assert calls == [{"start": "9", "title": ""}]
    assert [str(m) for m in get_messages(request)] == ["It was made."]


def test_next_wins_when_it_is_on_this_site_only():
    request = _request("post", {"start": "9", "next": "/elsewhere/"})
    response = form_post(request, MeetingForm(request.POST), lambda d: 1, success="ok", done="/d/")
    assert response["Location"] == "/elsewhere/"
    request = _request("post", {"start": "9", "next": "https://evil.example/"})
    response = form_post(request, MeetingForm(request.POST), lambda d: 1, success="ok", done="/d/")
    assert response["Location"] == "/d/"


def test_a_refused_write_shows_the_form_again_with_the_error_and_no_message():
    request = _request("post", {"start": "9"})
    form = MeetingForm(request.POST)

    def refuse(data):
        raise ValidationError({"starts_at": "In the past."})

    response = form_page(
        request, form, refuse, title="T", success="ok", done="/d/", error_status=400
    )
    assert response.status_code == 400
    assert form.errors["start"] == ["In the past."]
    assert not list(get_messages(request))


def test_a_get_or_an_invalid_post_does_not_call_the_service():
    called = []
    request = _request()
    assert form_post(request, MeetingForm(), called.append, success="ok", done="/d/") is None
    request = _request("post", {"title": "no start"})
    form = MeetingForm(request.POST)
    assert form_post(request, form, called.append, success="ok", done="/d/") is None
    assert form.errors["start"] and not called
