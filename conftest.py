"""Settings every test runs with (the desk's today, no lockout, the default language, ...)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _settings(settings, tmp_path):  # type: ignore[no-untyped-def]
    from django.core.cache import cache
    from django.utils import translation

    # A request in an earlier test may leave another language active in this thread.
    translation.activate(settings.LANGUAGE_CODE)
    cache.clear()  # cached public figures must not outlive the test whose data they show
    settings.SINERGI_STAMP_DIR = tmp_path / "stamps"
    settings.SINERGI_UPLOAD_DIR = tmp_path / "uploads"
    settings.SINERGI_TODAY = "2024-11-18"
    settings.REQUIRE_2FA_FOR_WRITERS = False
    settings.AXES_ENABLED = False
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
