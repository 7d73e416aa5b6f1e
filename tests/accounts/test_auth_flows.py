import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()

SIGNUP = {
    "first_name": "Marc",
    "last_name": "Jacobs",
    "email": "marc@example.com",
    "password1": "a-Long-ring-password-9",
    "password2": "a-Long-ring-password-9",
}


def _link(message, path_part):
    return re.search(rf"https?://[^\s\"]*{path_part}[^\s\"]*", message.body).group(0)


def test_signup_creates_an_unverified_user_with_names_and_sends_a_confirmation(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/account/signup/", {**SIGNUP, "marketing_opt_in": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="marc@example.com")
    assert (user.first_name, user.last_name) == ("Marc", "Jacobs")
    assert user.marketing_opt_in is True
    assert user.marketing_opt_in_at is not None
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["marc@example.com"]


def test_offers_opt_in_is_off_unless_ticked(client):
    client.post("/account/signup/", SIGNUP)
    user = User.objects.get(email="marc@example.com")
    assert user.marketing_opt_in is False
    assert user.marketing_opt_in_at is None


def test_confirming_the_email_verifies_and_logs_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/signup/", SIGNUP)
    link = _link(mail.outbox[0], "/account/confirm-email/")
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert client.get("/" + path).status_code == 200  # a page with a button: no confirmation on GET
    response = client.post("/" + path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="marc@example.com").verified
    assert client.get("/").context["user"].email == "marc@example.com"


def test_unverified_user_cannot_log_in_until_confirmed(client):
    client.post("/account/signup/", SIGNUP)
    client.logout()
    response = client.post("/account/login/", {"login": "marc@example.com", "password": SIGNUP["password1"]})
    assert response.status_code == 302
    assert "confirm-email" in response["Location"]
    assert not client.get("/").context["user"].is_authenticated


def test_signup_with_an_existing_email_says_so_and_creates_nothing(client):
    UserFactory(email="marc@example.com")
    response = client.post("/account/signup/", SIGNUP)
    assert response.status_code == 200
    assert "This email already exists" in response.content.decode()
    assert User.objects.filter(email="marc@example.com").count() == 1


def test_email_is_case_insensitive_at_signup(client):
    UserFactory(email="marc@example.com")
    response = client.post("/account/signup/", {**SIGNUP, "email": "MARC@Example.com"})
    assert "This email already exists" in response.content.decode()


def test_signup_requires_names(client):
    response = client.post("/account/signup/", {**SIGNUP, "first_name": "", "last_name": ""})
    assert response.status_code == 200
    assert not User.objects.filter(email="marc@example.com").exists()
    assert "first_name" in response.context["form"].errors


def test_login_and_logout(client):
    user = UserFactory()
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"] == user
    client.post("/account/logout/")
    assert not client.get("/").context["user"].is_authenticated


def test_wrong_password_is_refused(client):
    user = UserFactory()
    response = client.post("/account/login/", {"login": user.email, "password": "nope"})
    assert response.status_code == 200
    assert not client.get("/").context["user"].is_authenticated


def test_password_reset_end_to_end(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/password/reset/", {"email": user.email})
    assert len(mail.outbox) == 1
    link = _link(mail.outbox[0], "/account/password/reset/key/")
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    response = client.get(path)  # allauth moves the key into the session and redirects
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(form_url, {"password1": "New-sparkling-pass-42", "password2": "New-sparkling-pass-42"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("New-sparkling-pass-42")


def test_password_reset_answers_the_same_for_unknown_emails(client):
    known = UserFactory()
    for_known = client.post("/account/password/reset/", {"email": known.email})
    for_unknown = client.post("/account/password/reset/", {"email": "nobody@example.com"})
    assert for_known.status_code == for_unknown.status_code == 302
    assert for_known["Location"] == for_unknown["Location"]


def test_repeated_failed_logins_lock_the_account_out(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory()
    for _ in range(3):
        client.post("/account/login/", {"login": user.email, "password": "wrong"})
    response = client.post("/account/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert not client.get("/").context["user"].is_authenticated


def test_social_login_is_off_without_keys(client):
    html = client.get("/account/login/").content.decode()
    assert "google" not in html.lower()
    assert "facebook" not in html.lower()


def test_account_emails_name_the_shop(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/account/signup/", SIGNUP)
    message = mail.outbox[0]
    assert "Solitaire" in message.subject
    assert "Hello from !" not in message.body
    assert "Solitaire" in message.body
