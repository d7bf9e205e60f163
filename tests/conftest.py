"""Shared fixtures. The same suite runs on SQLite (default) and on PostgreSQL (TEST_DATABASE_URL).

- One application per test session, its schema built by the real migrations (all heads).
- Each test starts with empty tables (rows are deleted after every test).
- Jobs run in-process (huey immediate mode); email goes to a real SMTP server (aiosmtpd) on loopback.
- Browser tests get a live server in a thread and Debian's Chromium through Playwright.
"""

from __future__ import annotations

import atexit
import contextvars
import os
import shutil
import socket
import tempfile
import threading
import uuid
from email import message_from_bytes, policy
from pathlib import Path

os.environ["HUEY_MEMORY"] = "1"  # must precede importing disclosure.core.jobs
_TMP = Path(tempfile.mkdtemp(prefix="disclosure-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
os.environ["INSTANCE_PATH"] = str(_TMP / "instance")

import pytest  # noqa: E402
import sqlalchemy as sa  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from flask import has_app_context  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
TEST_PASSWORD = "correct-horse-7battery"


# --- database ------------------------------------------------------------------------------------------


E2E = Path(__file__).resolve().parent / "e2e"


def pytest_collection_modifyitems(config, items):
    """The browser journeys run once, in the SQLite pass: what they check is the browser's side (pages, scripts,
    accessibility), which the database does not change; every page and operation they use is also tested on
    PostgreSQL by its package's tests. This keeps the two-database suite well under CI's 30 minutes.

    The long files (a `slow` mark on the module, and the journeys) are collected first: `scripts/run-tests.sh` hands
    whole files to its pytest-xdist workers in collection order, so the longest start first and no worker is left
    with a five-minute walk while the others are idle."""
    items.sort(key=lambda item: 0 if _long_file(item) else 1)  # stable: the order within a file is kept
    if not os.environ.get("TEST_DATABASE_URL"):
        return
    once = pytest.mark.skip(reason="browser journeys run once, in the SQLite pass")
    for item in items:
        if E2E in Path(str(item.fspath)).parents:
            item.add_marker(once)


def _long_file(item) -> bool:
    marks = getattr(item.module, "pytestmark", [])
    marks = marks if isinstance(marks, list) else [marks]
    return E2E in Path(str(item.fspath)).parents or any(mark.name == "slow" for mark in marks)


def _pg_server_url() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        return None
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url.startswith("postgresql://") else url


@pytest.fixture(scope="session")
def database_url():
    server = _pg_server_url()
    if server is None:
        yield f"sqlite:///{_TMP / 'test.sqlite3'}"
        return
    name = f"disclosure_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    url = sa.engine.make_url(server).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{name}' AND pid <> pg_backend_pid()"
        )
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
    admin.dispose()


@pytest.fixture(scope="session")
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def app(database_url, smtp_server):
    from flask_migrate import upgrade

    from disclosure import create_app

    application = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SERVER": "127.0.0.1",
            "MAIL_PORT": smtp_server.port,
            "MAIL_SUPPRESS_SEND": False,
            "STORAGE_DIR": str(_TMP / "files"),
            "PUBLIC_BASE_URL": "http://localhost",
            "SERVER_NAME": None,
        }
    )
    application.test_client_class = FreshContextClient
    with application.app_context():
        upgrade(revision="heads")
    yield application
    with application.app_context():
        from disclosure.extensions import db

        db.engine.dispose()


def _delete_all(db) -> None:
    db.session.remove()
    with db.engine.begin() as conn:
        existing = set(sa.inspect(conn).get_table_names())
        # a model whose migration is not written yet has no table
        tables = [table for table in reversed(db.metadata.sorted_tables) if table.name in existing]
        if conn.dialect.name == "postgresql":  # one round trip instead of one a table: 4 ms a test instead of 17
            quote = conn.dialect.identifier_preparer.format_table
            conn.exec_driver_sql("; ".join(f"DELETE FROM {quote(table)}" for table in tables))
            return
        for table in tables:
            conn.execute(table.delete())


@pytest.fixture(autouse=True)
def _clean(request):
    yield
    if "app" in request.fixturenames:
        application = request.getfixturevalue("app")
        with application.app_context():
            from disclosure.extensions import db

            _delete_all(db)
        if "smtp_server" in request.fixturenames:
            request.getfixturevalue("smtp_server").clear()


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def db_session(app_ctx):
    from disclosure.extensions import db

    yield db.session
    db.session.rollback()


class FreshContextClient(FlaskClient):
    """Each request runs in its own application context, as in a real server, even when the test holds one
    (otherwise requests would share the test's `g`, login cache and database session)."""

    def open(self, *args, **kwargs):
        if has_app_context():
            from disclosure.extensions import db

            # End the test's own transaction: its changes become visible to the request, and afterwards the
            # test reads fresh rows (objects are expired by the commit).
            db.session.commit()
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_enabled(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


# --- factories --------------------------------------------------------------------------------------------

_seq = iter(range(1, 10**9))


@pytest.fixture
def make_agency(app_ctx):
    from disclosure.accounts import operations as ops
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    def factory(**kw):
        n = next(_seq)
        data = {
            "slug": f"agency-{n}",
            "full_name": f"测试市第{n}局",
            "short_name": f"测试{n}局",
            "credit_code": make_credit_code("11", "330100", f"{n:08d}"),
            "division_code": "330100",
            "address": "测试市测试路1号",
            "phone": "0571-0000000",
            "reconsideration_body": "测试市人民政府",
            "litigation_court": "测试市上城区人民法院",
            "doc_number_prefixes": {"reply": f"测{n}公开"},
        }
        data.update(kw)
        agency = ops.save_agency(None, data)
        for name, legal in (("政务公开科", False), ("法规科", True)):
            ops.add_department(agency, name, is_legal=legal)
        db.session.commit()
        return agency

    return factory


@pytest.fixture
def make_staff(app_ctx):
    from disclosure.accounts import operations as ops
    from disclosure.accounts.roles import Role
    from disclosure.extensions import db

    def factory(agency, roles=(Role.HANDLER,), *, email=None, name=None, department=None, password=TEST_PASSWORD):
        n = next(_seq)
        roles = [Role(r) for r in roles]
        user = ops.create_staff(
            agency=agency,
            email=email or f"staff{n}@example.gov.cn",
            name=name or f"职员{n}",
            password=password,
            roles=roles,
            department=department,
        )
        db.session.commit()
        return user

    return factory


@pytest.fixture
def make_applicant(app_ctx):
    from disclosure.accounts.models import ApplicantProfile, User
    from disclosure.accounts.roles import ApplicantCategory, ApplicantType, UserKind
    from disclosure.core.timeutil import utcnow
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    def factory(*, email=None, name=None, organisation=False, category=None, confirmed=True, password=TEST_PASSWORD):
        n = next(_seq)
        user = User(
            email=email or f"citizen{n}@example.cn",
            name=name or f"公民{n}",
            kind=UserKind.APPLICANT,
            email_confirmed_at=utcnow() if confirmed else None,
        )
        user.set_password(password)
        if organisation:
            user.profile = ApplicantProfile(
                applicant_type=ApplicantType.ORGANISATION,
                category=category or ApplicantCategory.COMMERCIAL,
                org_name=f"测试科技有限公司{n}",
                org_credit_code=make_credit_code("91", "330100", f"{n:08d}"),
                phone="13800000000",
                postal_address="测试市幸福路1号",
            )
        else:
            user.profile = ApplicantProfile(
                applicant_type=ApplicantType.PERSON,
                category=ApplicantCategory.NATURAL_PERSON,
                doc_type="resident_id",
                doc_number="11010519491231002X",
                phone="13800000000",
                postal_address="测试市幸福路1号",
            )
        db.session.add(user)
        db.session.commit()
        return user

    return factory


@pytest.fixture
def login():
    def do_login(client, user, password=TEST_PASSWORD):
        resp = client.post("/login", data={"email": user.email, "password": password})
        assert resp.status_code == 302, resp.get_data(as_text=True)[:2000]
        return resp

    return do_login


# --- SMTP ---------------------------------------------------------------------------------------------------


class _Collector:
    def __init__(self):
        self.messages = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.content, policy=policy.default)
        with self.lock:
            self.messages.append(msg)
        return "250 Message accepted for delivery"


class SMTPServer:
    """A real SMTP server on loopback. stop() and start() again simulate an outage (same port)."""

    def __init__(self):
        self.handler = _Collector()
        self.port = _free_port()
        self.controller = None

    def start(self):
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        with self.handler.lock:
            return list(self.handler.messages)

    def clear(self):
        with self.handler.lock:
            self.handler.messages.clear()

    def to(self, address: str):
        return [m for m in self.messages if address in str(m["To"])]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- browser -------------------------------------------------------------------------------------------------


class LiveServer:
    def __init__(self, app):
        from werkzeug.serving import make_server

        self.port = _free_port()
        self.server = make_server("127.0.0.1", self.port, app, threaded=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return {
        "executable_path": chromium,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # axe is injected as a script; our CSP forbids inline and foreign scripts, so bypass it for the tests only.
    return {**browser_context_args, "bypass_csp": True, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server.url


AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="session")
def axe_check():
    """Run axe-core on the page; fail on any serious or critical violation."""
    if not AXE_JS.exists():
        pytest.fail("axe-core is missing: run `make test` (it installs node_modules/axe-core)")
    source = AXE_JS.read_text()

    def check(page, context: str = ""):
        page.add_script_tag(content=source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        detail = "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in bad
        )
        assert not bad, f"axe violations on {context or page.url}: {detail}"

    return check
