"""Browser journeys against the werkzeug test server.

When the browser abandons a request for a static file (a navigation while the favicon is still loading), the
test server's thread leaves the file to the garbage collector, which reports it as an unraisable ResourceWarning
in whichever test happens to be running. That is the test server's doing (production serves through gunicorn),
so this one warning about files under static/ is tolerated here, and only here.
"""

from __future__ import annotations

import pytest

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
