"""Settings come from the environment and are parsed strictly."""

import os
import subprocess
import sys

import pytest

from trygg import env


def run_settings(extra_env: dict, code: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("TRYGG_")}
    environment.update(extra_env)
    environment["DJANGO_SETTINGS_MODULE"] = "trygg.settings"
    return subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; {code}",
        ],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_settings({"TRYGG_ENV": "production"}, "print('started')")
    assert result.returncode != 0
    assert "TRYGG_SECRET_KEY must be set" in result.stderr


def test_production_cookies_are_secure_and_hsts_is_on(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("a-real-secret-from-a-file-" + "y" * 30)
    # Production also needs the youth cases' encryption key since that feature came (it
    # refuses to start without one, see test_production_refuses_to_start_without_a_cases_key).
    cases_key = tmp_path / "cases-key"
    cases_key.write_text("a-real-cases-key-from-a-file-" + "z" * 30)
    result = run_settings(
        {
            "TRYGG_ENV": "production",
            "TRYGG_SECRET_KEY_FILE": str(secret),
            "TRYGG_CASES_KEY_FILE": str(cases_key),
            "TRYGG_ALLOWED_HOSTS": "trygg.nacka.se",
        },
        "print(settings.SESSION_COOKIE_SECURE, settings.CSRF_COOKIE_SECURE, settings.SECURE_HSTS_SECONDS, settings.DEBUG, settings.SECRET_KEY[:6], settings.PASSWORD_HASHERS[0].rsplit('.', 1)[1])",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "31536000",
        "False",
        "a-real",
        "Argon2PasswordHasher",
    ]


def test_production_refuses_to_start_without_a_cases_key(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("a-real-secret-from-a-file-" + "y" * 30)
    result = run_settings(
        {
            "TRYGG_ENV": "production",
            "TRYGG_SECRET_KEY_FILE": str(secret),
            "TRYGG_ALLOWED_HOSTS": "trygg.nacka.se",
        },
        "print('started')",
    )
    assert result.returncode != 0
    assert "TRYGG_CASES_KEY must be set" in result.stderr


def test_a_wrong_value_names_the_variable():
    result = run_settings({"TRYGG_MAX_UPLOAD_MB": "lots"}, "print('started')")
    assert result.returncode != 0
    assert "TRYGG_MAX_UPLOAD_MB must be a whole number, not 'lots'" in result.stderr


@pytest.mark.parametrize(
    "value,expected", [("1", True), ("false", False), ("YES", True), ("off", False)]
)
def test_booleans_accept_the_usual_words(monkeypatch, value, expected):
    monkeypatch.setenv("TRYGG_X", value)
    assert env.boolean("TRYGG_X", default=not expected) is expected


def test_a_postgres_url_with_a_socket_directory_is_understood(monkeypatch):
    monkeypatch.setenv("TRYGG_DB", "postgres://trygg:hemligt@/trygg?host=/run/postgresql&port=5433")
    config = env.database("TRYGG_DB", default_sqlite_path="/tmp/x.sqlite3")
    assert (config["NAME"], config["USER"], config["PASSWORD"], config["HOST"], config["PORT"]) == (
        "trygg",
        "trygg",
        "hemligt",
        "/run/postgresql",
        "5433",
    )


def test_an_unknown_database_scheme_is_refused(monkeypatch):
    monkeypatch.setenv("TRYGG_DB", "mysql://x")
    with pytest.raises(env.ConfigError, match="TRYGG_DB must start with sqlite:// or postgres://"):
        env.database("TRYGG_DB", default_sqlite_path="/tmp/x.sqlite3")
