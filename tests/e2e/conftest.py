"""Browser journeys against the werkzeug test server.

When the browser abandons a request for a static file (a navigation while the favicon is still loading), the
test server's thread leaves the file to the garbage collector, which reports it as an unraisable ResourceWarning
in whichever test happens to be running. That is the test server's doing (production serves through gunicorn),
so this one warning about files under static/ is tolerated here, and only here.

`browser_login` / `browser_logout` sign a staff member (made by `make_staff`, whose password is TEST_PASSWORD) in
and out through the login form, as the journeys do.
"""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD

_STATIC_FILE_WARNINGS = (
    "ignore:unclosed file <_io.BufferedReader name='[^']*/static/:ResourceWarning",
    "ignore:Exception ignored in. <_io.FileIO name='[^']*/static/:pytest.PytestUnraisableExceptionWarning",
)


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/e2e/" in str(item.fspath):
            for spec in _STATIC_FILE_WARNINGS:
                item.add_marker(pytest.mark.filterwarnings(spec))


@pytest.fixture(autouse=True)
def _collect_abandoned_files():
    """Collect inside the journey, so that such a warning is reported here and not in a later test."""
    yield
    import gc

    gc.collect()


def browser_login(page, live_server, user) -> None:
    """Sign `user` in through the login form."""
    page.goto(live_server.url + "/login")
    page.locator("#email").fill(user.email)
    page.locator("#password").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()


def browser_logout(page) -> None:
    page.locator("form[action='/logout'] button").click()
