"""argon2 hashing in production, and the strength rules on changing a password."""

import pytest
from django.contrib.auth.hashers import identify_hasher

import haven.settings as production_settings

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
CHANGE = "/accounts/password_change/"


def test_production_hashes_with_argon2():
    # tests/settings.py swaps in MD5 for speed; the module itself keeps production's list.
    assert production_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_a_new_password_is_stored_as_argon2(personas, settings):
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    personas.border_guard.set_password("a long and unusual passphrase")
    assert identify_hasher(personas.border_guard.password).algorithm == "argon2"


@pytest.mark.parametrize(
    "weak",
    [
        "Short1!pass",  # under 12 characters
        "123456789012",  # numbers only
        "password1234",  # a common password
        "border.laocai1",  # too like the username
    ],
)
def test_a_weak_password_is_refused_on_change(personas, login, weak):
    response = login(personas.border_guard).post(
        CHANGE, {"old_password": PASSWORD, "new_password1": weak, "new_password2": weak}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    personas.border_guard.refresh_from_db()
    assert personas.border_guard.check_password(PASSWORD)


def test_a_strong_password_is_accepted(personas, login):
    strong = "river lantern seventeen kites"
    response = login(personas.border_guard).post(
        CHANGE, {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong}
    )
    assert response["Location"] == "/accounts/password_change/done/"
    personas.border_guard.refresh_from_db()
    assert personas.border_guard.check_password(strong)
