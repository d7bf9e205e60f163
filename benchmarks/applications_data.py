"""Shared by the application benchmarks: a throw-away migrated database (PostgreSQL by default), agencies with
staff, and N generated cases with items and deadline events, inserted in bulk."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from harness import temp_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflows.application import OPEN_STATES as wf_open_states  # noqa: E402  (the project, once on the path)
from workflows.application import States  # noqa: E402

os.environ.setdefault("HUEY_MEMORY", "1")

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
TOPICS = [
    "道路维修资金",
    "学校招生计划",
    "环境监测数据",
    "征收补偿方案",
    "财政预算执行",
    "行政处罚决定",
    "政府采购合同",
    "医疗机构名单",
    "食品抽检结果",
    "规划许可文件",
    "安置房分配",
    "公交线路调整",
    "河道整治工程",
    "养老补贴发放",
]
# The workflow's open states, in its declaration order (a seeded choice among them stays repeatable).
OPEN_STATES = [s.value for s in States if s in wf_open_states]


def create_database(engine: str) -> tuple[str, str | None]:
    from sqlalchemy import create_engine

    if engine != "postgresql":
        tmp = temp_dir("apps-bench-")
        return f"sqlite:///{tmp / 'bench.sqlite3'}", None
    name = f"apps_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
        )
    admin.dispose()
    return PG_SERVER.rsplit("/", 1)[0] + "/" + name, name


def drop_database(name: str | None) -> None:
    if not name:
        return
    from sqlalchemy import create_engine

    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
            "AND pid <> pg_backend_pid()"
        )
        conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {name}")
    admin.dispose()


@contextlib.contextmanager
def bench_app(engine: str = "postgresql", *, keep: bool = False):
    from flask_migrate import upgrade

    from disclosure import create_app

    # A kept database outlives the run (SQLite lives in the directory); otherwise everything goes at exit.
    tmp = Path(tempfile.mkdtemp(prefix="apps-bench-")) if keep else temp_dir("apps-bench-")
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    url, name = create_database(engine)
    try:  # the database is dropped however the run ends, even when the app fails to start
        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "STORAGE_DIR": str(tmp / "files"),
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "MAIL_SUPPRESS_SEND": True,
            }
        )
        with app.app_context():
            upgrade(revision="heads")
            print(f"  database: {name or url}")
            yield app
            from disclosure.extensions import db

            db.session.remove()
            db.engine.dispose()
    finally:
        if not keep:
            drop_database(name)


def seed_agencies(n_agencies: int, handlers_per_agency: int = 5) -> list[dict]:
    """Agencies with two departments and staff for every case role. Returns per agency its ids."""
    from disclosure.accounts import operations as ops
    from disclosure.accounts.roles import Role
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    out = []
    for i in range(1, n_agencies + 1):
        agency = ops.save_agency(
            None,
            {
                "slug": f"bench-{i}",
                "full_name": f"基准市第{i}局",
                "short_name": f"基准{i}局",
                "credit_code": make_credit_code("11", "330100", f"{i:08d}"),
                "division_code": "330100",
                "reconsideration_body": "基准市人民政府",
                "litigation_court": "基准市人民法院",
            },
        )
        depts = [ops.add_department(agency, name) for name in ("政务公开科", "综合科")]
        db.session.flush()
        staff = {"handlers": []}
        for role in (Role.REGISTRAR, Role.OFFICE_HEAD, Role.LEGAL_REVIEWER):
            staff[role.value] = ops.create_staff(
                agency=agency,
                email=f"{role.value}{i}@bench.gov.cn",
                name=f"{role.value}{i}",
                password="bench-password-1",
                roles=[role],
            ).id
        for h in range(handlers_per_agency):
            staff["handlers"].append(
                ops.create_staff(
                    agency=agency,
                    email=f"handler{i}-{h}@bench.gov.cn",
                    name=f"承办{i}-{h}",
                    password="bench-password-1",
                    roles=[Role.HANDLER],
                    department=depts[h % 2],
                ).id
            )
        db.session.flush()
        out.append({"id": agency.id, "slug": agency.slug, "departments": [d.id for d in depts], **staff})
    db.session.commit()
    return out


def seed_cases(
    agencies: list[dict], n_cases: int, *, seed: int = 7, open_share: float = 0.8, today: dt.date | None = None
) -> float:
    """Insert n_cases spread over the agencies, with one or two items each and some consultation and
    extension events, deadlines computed with the real calendar. Returns seconds taken."""
    from sqlalchemy import insert

    from disclosure.applications.models import Application, search_text_of
    from disclosure.applications.operations import fingerprint
    from disclosure.core.numbering import Counter
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.workdays import add_working_days

    rng = random.Random(seed)
    today = today or dt.date(2026, 11, 20)
    t0 = time.perf_counter()
    per_agency = {a["id"]: 0 for a in agencies}
    now = utcnow()
    batch_a, batch_i, batch_e = [], [], []
    first_id = (db.session.execute(db.select(db.func.max(Application.id))).scalar() or 0) + 1
    for n in range(n_cases):
        ag = agencies[n % len(agencies)]
        per_agency[ag["id"]] += 1
        serial = per_agency[ag["id"]]
        received = today - dt.timedelta(days=rng.randint(0, 60))
        is_open = rng.random() < open_share
        state = rng.choice(OPEN_STATES) if is_open else rng.choice(["issued", "delivered", "archived"])
        handler = rng.choice(ag["handlers"]) if state not in ("registered", "supplementation_requested") else None
        app_id = first_id + n
        extension = 20 if rng.random() < 0.05 else 0
        consult = rng.random() < 0.1
        pauses = ()
        if consult:
            start = received + dt.timedelta(days=rng.randint(1, 10))
            end = start + dt.timedelta(days=rng.randint(3, 15))
            pauses = ((start, end),)
            batch_e.append(
                {
                    "application_id": app_id,
                    "kind": "consultation",
                    "start_date": start,
                    "end_date": end,
                    "days": None,
                    "details": {"kind": "third_party", "party": "某公司"},
                    "note": "",
                    "created_at": now,
                }
            )
        if extension:
            batch_e.append(
                {
                    "application_id": app_id,
                    "kind": "extension",
                    "start_date": received,
                    "end_date": None,
                    "days": 20,
                    "details": {},
                    "note": "检索量大",
                    "created_at": now,
                }
            )
        due = add_working_days(received, 20 + extension, pauses=pauses)
        closed = state in ("issued", "delivered", "archived")
        name = rng.choice(SURNAMES) + rng.choice(SURNAMES) + rng.choice("明华强军丽芳伟静")
        reference = f"{ag['slug'].upper()}-2026-{serial:05d}"
        batch_a.append(
            {
                "id": app_id,
                "agency_id": ag["id"],
                "reference": reference,
                "ref_year": 2026,
                "ref_serial": serial,
                "state": state,
                "channel": rng.choice(["online", "in_person", "registered_post", "email"]),
                "applicant_type": "person",
                "applicant_category": "natural_person",
                "applicant_name": name,
                "doc_type": "resident_id",
                "doc_number": "11010519491231002X",
                "phone": "13800000000",
                "email": f"c{n}@example.cn",
                "postal_address": "",
                "postal_code": "",
                "provision_form": "electronic",
                "delivery_channel": "email",
                "needs_assistance": False,
                "submitted_at": now,
                "received_date": received,
                "received_evidence": "",
                "due_date": due.due,
                "due_provisional": due.provisional,
                "deadline_status": ("none" if closed else "overdue" if due.due < today else "ok"),
                "department_id": ag["departments"][0] if handler else None,
                "handler_id": handler,
                "office_approved": closed,
                "legal_approved": closed,
                "outcome": "granted" if closed else None,
                "reply_letter_id": 1 if closed else None,
                "issued_date": due.due if closed else None,
                "delivery_note": "",
                "closing_reason": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
        )
        topic = rng.choice(TOPICS)
        desc = f"{2020 + rng.randint(0, 6)}年{topic}第{rng.randint(1, 500)}号"
        # Bulk inserts bypass the ORM's flush hook: the search text is computed as it computes it.
        batch_a[-1]["search_text"] = search_text_of(reference, name, None, None, [(desc, "")])
        batch_i.append(
            {
                "application_id": app_id,
                "position": 1,
                "description": desc,
                "document_ref": "",
                "fingerprint": fingerprint(desc),
                "reasons": "",
                "withheld_parts": "",
                "responsible_agency": "",
                "responsible_contact": "",
                "public_location": "",
                "redirect_channel": "",
            }
        )
        if len(batch_a) >= 5000:
            _flush(batch_a, batch_i, batch_e)
    _flush(batch_a, batch_i, batch_e)
    for agency_id, count in per_agency.items():
        db.session.execute(insert(Counter).values(scope="application", owner_id=agency_id, year=2026, value=count))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(
            db.text("SELECT setval(pg_get_serial_sequence('applications', 'id'), (SELECT max(id) FROM applications))")
        )
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()
    return time.perf_counter() - t0


def _flush(batch_a, batch_i, batch_e):
    from sqlalchemy import insert

    from disclosure.applications.models import Application, CaseEvent, RequestedItem
    from disclosure.extensions import db

    if batch_a:
        db.session.execute(insert(Application.__table__), batch_a)
    if batch_i:
        db.session.execute(insert(RequestedItem.__table__), batch_i)
    if batch_e:
        db.session.execute(insert(CaseEvent.__table__), batch_e)
    db.session.commit()
    batch_a.clear()
    batch_i.clear()
    batch_e.clear()


def percentile(values: list[float], p: float) -> float:
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]
