"""The dashboards pause the cyclic garbage collector while they build a page (`dashboard.collector`): it runs again
afterwards — after an error too, and only once the last of overlapping pauses ends — and is left off if it was off."""

from __future__ import annotations

import gc
import threading

import pytest

from disclosure.supervision.dashboard import collector


@pytest.fixture(autouse=True)
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_a_pause_turns_the_collector_off_and_on_again():
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer pause still holds
    assert gc.isenabled()


def test_the_collector_runs_again_after_an_error():
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_turned_off_elsewhere_stays_off():
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()


def test_overlapping_pauses_in_threads_share_one():
    inside, release = threading.Event(), threading.Event()

    def other():
        with collector.paused():
            inside.set()
            release.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with collector.paused():
        pass
    assert not gc.isenabled()  # the other request is still inside
    release.set()
    thread.join(5)
    assert gc.isenabled()


def test_the_dashboards_leave_the_collector_on(tree, use):
    client = use(tree.supervisor)
    for url in ("/staff/supervision/?period=year&year=2025", f"/staff/supervision/agencies/{tree.bureau.id}"):
        assert client.get(url).status_code == 200
        assert gc.isenabled()
