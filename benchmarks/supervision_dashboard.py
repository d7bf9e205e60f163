"""The supervision dashboards over 500 agencies, 1,000,000 requests, 1,000,000 双公示 records and 200,000 catalogue
entries (issue 14, Benchmarks).

Targets, on SQLite and on PostgreSQL: the competent department's dashboard (every agency under the general office)
and one agency's dashboard, for a year and for a month, each with p95 under 300 ms, and each at most 5x the floor
measured in the same run: the bare aggregate queries the dashboard needs, hand-written (one GROUP BY per family of
figures, as a person would write them for the same numbers), run once per page view.

    .venv/bin/python benchmarks/supervision_dashboard.py [--engine sqlite|postgresql|both] [--scale 1.0]
        [--runs 25] [--reuse NAME]

`--reuse NAME` keeps the generated database under that name (a PostgreSQL database, or an SQLite file path) and
measures it again on the next run without generating anything (the migrations, indexes and rollups added since are
brought in first); `--scale 0.05` is a quick run (the agency tree stays 500 agencies, the records shrink). Each
measurement is a full request through the Flask test client (session, access check, period, every registered
figure, the charts, Jinja), logged in as the general office's supervisor or as one bureau's office head, after two
warm-up requests (which fill the figures kept per agency and period, `supervision.figures.store`; each page is
then also timed three times with nothing kept, every agency counted again, as in a new process — printed, not
a target). Before measuring, the floor's numbers are compared with the dashboard's figures, so both count the same
records.

The data: a city's general office over 39 city departments and 10 counties (each a county government office over
35 county departments and 10 townships); requests, 双公示 records, catalogue entries (documents, rules and normative
documents with their validity, interpretations linked to them, joint documents, revisions, drafts), consultations
and comments spread over six years with the shares of late replies, overdue cases, outcomes, remedies and late
publications an agency really has, skewed towards the busy bureaux, with applicants' ratings and survey answers.
Bulk-inserted (COPY on PostgreSQL) with the tables' secondary indexes built once afterwards, and the rollups the
figures read (`core.rollups`) counted once at the end, their triggers left out meanwhile and written again.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

from harness import Targets, load_average, temp_dir
from publicity_common import ROOT, make_name, percentile

sys.path.insert(0, str(ROOT))

from workflows.application import OPEN_STATES as wf_open_states
from workflows.application import States

os.environ.setdefault("HUEY_MEMORY", "1")

PG_SERVER = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "bench-password-1"
SEED = 20261207
FIRST_DAY = dt.date(2021, 1, 1)

REQUESTS = 1_000_000
RECORDS = 1_000_000
ENTRIES = 200_000
CONSULTATIONS = 6_000
COMMENTS = 120_000
SURVEYS = 30_000

CITY = "示范市"
DEPARTMENTS = [
    ("发展和改革委员会", "发改委", 3),
    ("教育局", "教育局", 4),
    ("科学技术局", "科技局", 1),
    ("经济和信息化局", "经信局", 1),
    ("公安局", "公安局", 6),
    ("民政局", "民政局", 3),
    ("司法局", "司法局", 2),
    ("财政局", "财政局", 3),
    ("人力资源和社会保障局", "人社局", 5),
    ("自然资源和规划局", "自然资源局", 12),
    ("生态环境局", "生态环境局", 4),
    ("住房和城乡建设局", "住建局", 10),
    ("交通运输局", "交通局", 3),
    ("水利局", "水利局", 1),
    ("农业农村局", "农业农村局", 2),
    ("商务局", "商务局", 1),
    ("文化广电旅游局", "文广旅局", 1),
    ("卫生健康委员会", "卫健委", 3),
    ("退役军人事务局", "退役军人局", 1),
    ("应急管理局", "应急局", 2),
    ("审计局", "审计局", 1),
    ("市场监督管理局", "市场监管局", 5),
    ("体育局", "体育局", 1),
    ("统计局", "统计局", 1),
    ("医疗保障局", "医保局", 2),
    ("城市管理局", "城管局", 3),
    ("林业局", "林业局", 1),
    ("人民防空办公室", "人防办", 1),
    ("信访局", "信访局", 1),
    ("大数据发展管理局", "数据局", 1),
    ("机关事务管理局", "机关事务局", 1),
    ("地方金融管理局", "金融局", 1),
    ("行政审批服务局", "审批局", 2),
    ("粮食和物资储备局", "粮储局", 1),
    ("国有资产监督管理委员会", "国资委", 1),
    ("民族宗教事务局", "民宗局", 1),
    ("外事办公室", "外办", 1),
    ("综合行政执法局", "综合执法局", 4),
    ("投资促进局", "投促局", 1),
]
COUNTIES = ["东城区", "西城区", "南湖区", "北山区", "临江县", "青石县", "云溪县", "白沙县", "长宁县", "安平市"]
COUNTY_DEPARTMENTS = 35
TOWNSHIPS = 10
# The departments that decide licences and penalties (双公示), with their share of the records.
PUBLICITY_HEAVY = {"市场监督管理局": 8, "综合行政执法局": 6, "公安局": 5, "交通运输局": 4, "生态环境局": 3}

# The workflow's open states, in its declaration order (a seeded choice among them stays repeatable).
OPEN_STATES = [s.value for s in States if s in wf_open_states]
# Table 3's outcomes with the shares a city's reports show (proactive-china, the Pingtan reports).
OUTCOMES = [
    ("granted", 40),
    ("already_public", 6),
    ("partial", 10),
    ("deny_secret", 1),
    ("deny_law", 1),
    ("deny_safety", 1),
    ("deny_third_party", 1),
    ("deny_internal", 3),
    ("deny_process", 2),
    ("deny_case_file", 1),
    ("deny_query", 2),
    ("not_exist", 14),
    ("not_ours", 5),
    ("need_create", 2),
    ("unclear_after_supplement", 1),
    ("petition", 2),
    ("repeat", 2),
    ("publication", 1),
    ("mass", 1),
    ("confirm", 1),
    ("other", 2),
]
CATEGORIES = [
    ("art20_1", 8),
    ("art20_2", 2),
    ("art20_3", 4),
    ("art20_4", 6),
    ("art20_5", 14),
    ("art20_6", 10),
    ("art20_7", 4),
    ("art20_8", 6),
    ("art20_9", 5),
    ("art20_10", 3),
    ("art20_11", 4),
    ("art20_12", 3),
    ("art20_13", 3),
    ("art20_14", 2),
    ("art20_15", 26),
]
TITLES = ["关于印发", "关于做好", "关于进一步加强", "关于开展", "关于公布", "关于调整"]
SUBJECTS = [
    "城乡建设用地",
    "义务教育招生",
    "养老服务补贴",
    "安全生产检查",
    "政府采购目录",
    "行政许可事项",
    "环境质量状况",
]


# --- The database -----------------------------------------------------------------------------------------------------


@contextlib.contextmanager
def bench_app(engine: str, reuse: str | None):
    """The application on a migrated database: a fresh one (dropped at the end), or `reuse`d — created and kept
    when it does not exist yet. Yields (app, fresh)."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine

    tmp = temp_dir("supervision-bench-")
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    admin = create_engine(PG_SERVER, isolation_level="AUTOCOMMIT") if engine == "postgresql" else None
    drop = None
    if engine == "postgresql":
        name = reuse or f"supervision_bench_{uuid.uuid4().hex[:8]}"
        with admin.connect() as conn:
            exists = conn.exec_driver_sql(f"SELECT 1 FROM pg_database WHERE datname = '{name}'").first() is not None
            if not exists:
                conn.exec_driver_sql(
                    f"CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
                )
        url = PG_SERVER.rsplit("/", 1)[0] + "/" + name
        drop = None if reuse else name
    else:
        path = Path(reuse) if reuse else tmp / "bench.sqlite3"
        exists = path.exists()
        url = f"sqlite:///{path}"
        name = str(path)
    fresh = not exists
    from disclosure import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "STORAGE_DIR": str(Path(tempfile.gettempdir()) / "supervision-bench-files"),
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "MAIL_SUPPRESS_SEND": True,
        }
    )
    try:
        with app.app_context():
            upgrade(revision="heads")  # a kept database gets the migrations added since
            print(f"  database: {name} ({'generated now' if fresh else 'reused'})", flush=True)
            if not fresh:
                sync_indexes()
            yield app, fresh
            from disclosure.extensions import db

            db.session.remove()
            db.engine.dispose()
    finally:
        if drop:
            with admin.connect() as conn:
                conn.exec_driver_sql(
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{drop}' "
                    "AND pid <> pg_backend_pid()"
                )
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {drop}")
        if admin is not None:
            admin.dispose()


def sync_indexes() -> None:
    """A kept database gets the indexes the models declare and it lacks (a migration of the unreleased branch
    edited since the database was made), so that it is measured as a fresh one would be."""
    from sqlalchemy import inspect

    from disclosure.extensions import db

    inspector = inspect(db.engine)
    tables = set(inspector.get_table_names())
    missing = [t for t in db.metadata.sorted_tables if t.name not in tables]
    if missing:
        db.metadata.create_all(db.engine, tables=missing)
        print(f"  tables made: {', '.join(t.name for t in missing)}", flush=True)
        tables |= {t.name for t in missing}
    made = False
    for table in db.metadata.sorted_tables:
        if table.name not in tables:
            continue
        present = {ix["name"] for ix in inspector.get_indexes(table.name)}
        for index in table.indexes:
            if index.name not in present:
                t0 = time.perf_counter()
                index.create(db.engine)
                made = True
                print(f"  index {index.name} made in {time.perf_counter() - t0:.0f} s", flush=True)
    # The rollups' triggers as the code declares them now, and a rollup added since counted from the rows.
    from disclosure.core import changes, rollups

    rollups.install(db.session.connection())
    changes.install(db.session.connection())  # the change stamps' triggers as `supervision.figures.watched` declares
    kept = set(db.session.execute(db.text("SELECT DISTINCT rollup FROM rollup_years")).scalars())
    if rollups.rollups() - kept:
        t0 = time.perf_counter()
        rollups.rebuild()
        made = True
        print(f"  rollups counted again in {time.perf_counter() - t0:.0f} s", flush=True)
    db.session.commit()
    if made:
        analyse()  # the planner's statistics of the new indexes and rows


class Bulk:
    """Rows of one table inserted in bulk: COPY on PostgreSQL, executemany of processed values on SQLite. Columns
    left out take their Python default (a scalar) or the server's."""

    def __init__(self, model, batch: int = 20_000):
        from disclosure.extensions import db

        self.table = model.__table__
        self.dialect = db.engine.dialect
        self.batch = batch
        self.rows: list[dict] = []
        self.columns: list | None = None
        self.total = 0

    def add(self, row: dict) -> None:
        self.rows.append(row)
        if len(self.rows) >= self.batch:
            self.flush()

    def _prepare(self) -> None:
        """The batch's columns: those given in any row, and those with a scalar Python default."""
        given = set().union(*self.rows)
        self.columns = [
            c
            for c in self.table.columns
            if c.name in given or (c.default is not None and c.default.is_scalar and not c.primary_key)
        ]

    def flush(self) -> None:
        from disclosure.extensions import db

        if not self.rows:
            return
        self._prepare()
        names = [c.name for c in self.columns]
        defaults = {c.name: c.default.arg for c in self.columns if c.default is not None and c.default.is_scalar}
        conn = db.session.connection()
        if self.dialect.name == "postgresql":
            raw = conn.connection.driver_connection
            with raw.cursor() as cur, cur.copy(f"COPY {self.table.name} ({', '.join(names)}) FROM STDIN") as copy:
                for row in self.rows:
                    copy.write_row(
                        [
                            json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                            for v in (row.get(n, defaults.get(n)) for n in names)
                        ]
                    )
        else:
            processors = [c.type._cached_bind_processor(self.dialect) for c in self.columns]
            values = []
            for row in self.rows:
                out = []
                for n, proc in zip(names, processors, strict=True):
                    v = row.get(n, defaults.get(n))
                    out.append(proc(v) if proc is not None and v is not None else v)
                values.append(tuple(out))
            marks = ", ".join("?" for _ in names)
            conn.exec_driver_sql(f"INSERT INTO {self.table.name} ({', '.join(names)}) VALUES ({marks})", values)
        self.total += len(self.rows)
        self.rows = []
        db.session.commit()


@contextlib.contextmanager
def indexes_dropped(*tables: str):
    """The tables' secondary indexes (not those behind a primary key or a unique constraint) dropped while rows are
    bulk-inserted and built once afterwards: far faster than keeping them row by row."""
    from disclosure.extensions import db

    pg = db.engine.dialect.name == "postgresql"
    saved = []
    for table in tables:
        if pg:
            rows = db.session.execute(
                db.text(
                    "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = :t AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"
                ),
                {"t": table},
            ).all()
        else:
            rows = db.session.execute(
                db.text(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :t AND sql IS NOT NULL"
                ),
                {"t": table},
            ).all()
        for name, definition in rows:
            db.session.execute(db.text(f"DROP INDEX {name}"))
            saved.append(definition)
    db.session.commit()
    try:
        yield
    finally:
        t0 = time.perf_counter()
        if pg:
            db.session.execute(db.text("SET maintenance_work_mem = '512MB'"))
        for definition in saved:
            db.session.execute(db.text(definition))
        db.session.commit()
        print(f"    {len(saved)} indexes of {', '.join(tables)} built in {time.perf_counter() - t0:.0f} s", flush=True)


def analyse() -> None:
    from disclosure.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for table in (
                "rollup_months",
                "applications",
                "application_remedies",
                "publicity_records",
                "catalog_entries",
                "catalog_versions",
                "catalog_entry_issuers",
                "catalog_search_issuers",
                "catalog_links",
                "participation_consultations",
                "participation_comments",
            ):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                    if table not in ("catalog_entry_issuers", "catalog_search_issuers", "rollup_months")
                    else "SELECT 1"
                )
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


# --- The data ---------------------------------------------------------------------------------------------------------


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return lambda: rng.choices(values, weights)[0]


def make_tree() -> dict:
    """500 agencies: the general office over the city departments and the county offices, each county office over
    its departments and townships; a supervisor at the general office, an office head at the busiest bureau."""
    from disclosure.accounts import operations as ops
    from disclosure.accounts.roles import Role
    from disclosure.core.validators import make_credit_code
    from disclosure.extensions import db

    serial = [0]
    agencies: list[dict] = []

    def add(full_name, short_name, division, parent_id, kind, weight):
        serial[0] += 1
        agency = ops.save_agency(
            None,
            {
                "slug": f"sd{serial[0]}",
                "full_name": full_name,
                "short_name": short_name,
                "credit_code": make_credit_code("11", division, f"{serial[0]:08d}"),
                "division_code": division,
                "parent_id": parent_id,
                "reconsideration_body": f"{CITY}人民政府",
                "litigation_court": f"{CITY}人民法院",
            },
        )
        agencies.append({"id": agency.id, "name": full_name, "kind": kind, "weight": weight})
        return agency

    root = add(f"{CITY}人民政府办公室", f"{CITY}政府办", "330100", None, "office", 4)
    heavy = None
    for full, short, weight in DEPARTMENTS:
        agency = add(f"{CITY}{full}", f"{CITY[:2]}{short}", "330100", root.id, full, weight)
        if heavy is None or weight > heavy[1]:
            heavy = (agency, weight)
    for n, county in enumerate(COUNTIES):
        division = f"3301{n + 2:02d}"
        office = add(f"{county}人民政府办公室", f"{county}政府办", division, root.id, "office", 2)
        for full, short, weight in DEPARTMENTS[:COUNTY_DEPARTMENTS]:
            add(f"{county}{full}", f"{county}{short}", division, office.id, full, max(0.3, weight / 4))
        for t in range(TOWNSHIPS):
            name = f"{county}第{t + 1}{'街道' if t < 4 else '镇'}"
            add(f"{name}办事处" if t < 4 else f"{name}人民政府", name, division, office.id, "township", 0.2)
    db.session.flush()
    supervisor = ops.create_staff(
        agency=root, email="supervisor@bench.gov.cn", name="督查员", password=PASSWORD, roles=[Role.SUPERVISOR]
    )
    head = ops.create_staff(
        agency=heavy[0], email="head@bench.gov.cn", name="公开办负责人", password=PASSWORD, roles=[Role.OFFICE_HEAD]
    )
    handler = ops.create_staff(
        agency=heavy[0], email="handler@bench.gov.cn", name="承办人", password=PASSWORD, roles=[Role.HANDLER]
    )
    db.session.commit()
    return {
        "agencies": agencies,
        "root": root.id,
        "bureau": heavy[0].id,
        "supervisor": supervisor.email,
        "head": head.email,
        "handler": handler.id,
    }


def _days(today: dt.date) -> int:
    return (today - FIRST_DAY).days


def _growing_day(rng: random.Random, today: dt.date) -> dt.date:
    """A day since FIRST_DAY, later years a little busier than earlier ones."""
    span = _days(today)
    return FIRST_DAY + dt.timedelta(days=int(span * rng.random() ** 0.85))


def gen_requests(world: dict, n: int, rng: random.Random, today: dt.date) -> None:
    """Requests received over six years: concluded (replied on time or — one in fourteen — late, with table 3's
    outcome mix; withdrawn; abandoned) or, recent ones, still open (a few past their due date, some paused), and
    reconsiderations and lawsuits about about one reply in a hundred."""
    from disclosure.applications.models import Application, Rating, Remedy, search_text_of
    from disclosure.core.timeutil import utcnow
    from disclosure.workdays import add_working_days_many

    agencies = [a for a in world["agencies"]]
    pick_agency = weighted(rng, [(a["id"], a["weight"]) for a in agencies])
    slugs = {a["id"]: f"A{a['id']:03d}" for a in agencies}
    outcome = weighted(rng, OUTCOMES)
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(_days(today) + 1)]
    dues = {d: due.due for d, due in add_working_days_many(days, 20).items()}
    serials: dict[tuple[int, int], int] = {}
    now = utcnow()
    # Flushed together, the cases first (remedies and ratings refer to them).
    cases, remedies, ratings = bulks = [Bulk(model, batch=sys.maxsize) for model in (Application, Remedy, Rating)]
    t0 = time.perf_counter()
    with indexes_dropped("applications", "application_remedies", "application_ratings"):
        for i in range(1, n + 1):
            agency_id = pick_agency()
            received = _growing_day(rng, today)
            due = dues[received]
            key = (agency_id, received.year)
            serials[key] = serials.get(key, 0) + 1
            reference = f"{slugs[agency_id]}-{received.year}-{serials[key]:05d}"
            age = (today - received).days
            open_share = 0.004 if age > 90 else 0.05 if age > 45 else 0.5 if age > 20 else 0.95
            row = {
                "id": i,
                "agency_id": agency_id,
                "reference": reference,
                "ref_year": received.year,
                "ref_serial": serials[key],
                "channel": rng.choice(("online", "online", "online", "in_person", "registered_post", "email")),
                "applicant_type": "person",
                "applicant_category": "natural_person",
                "applicant_name": make_name(rng)[:12] if rng.random() < 0.2 else rng_person(rng),
                "phone": "13800000000",
                "email": "",
                "postal_address": "",
                "postal_code": "",
                "provision_form": "electronic",
                "delivery_channel": "email",
                "needs_assistance": False,
                "submitted_at": now,
                "received_date": received,
                "received_evidence": "",
                "due_date": due,
                "due_provisional": False,
                "office_approved": False,
                "legal_approved": False,
                "delivery_note": "",
                "closing_reason": "",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            if rng.random() < open_share:
                state = rng.choice(OPEN_STATES)
                paused = state in ("consulting", "fee_notified", "supplementation_requested")
                row.update(
                    state=state,
                    deadline_status="paused" if paused else "overdue" if due < today else "ok",
                    handler_id=world["handler"],
                )
            else:
                r = rng.random()
                if r < 0.04:
                    closed = min(today, received + dt.timedelta(days=rng.randint(1, 15)))
                    row.update(state="withdrawn", closed_date=closed, deadline_status="none")
                elif r < 0.06:
                    closed = min(today, due + dt.timedelta(days=rng.randint(0, 10)))
                    row.update(
                        state="abandoned",
                        outcome=rng.choice(("no_supplement", "fee_unpaid")),
                        closed_date=closed,
                        deadline_status="none",
                    )
                else:
                    late = rng.random() < 0.07
                    span = (due - received).days
                    issued = (
                        due + dt.timedelta(days=rng.randint(1, 25))
                        if late
                        else received + dt.timedelta(days=rng.randint(min(3, span), span))
                    )
                    issued = min(issued, today)
                    state = rng.choices(("archived", "delivered", "issued"), (75, 15, 10))[0]
                    closed = None if rng.random() < 0.08 else issued  # ledger imports keep no closing date
                    row.update(
                        state=state,
                        outcome=outcome(),
                        office_approved=True,
                        legal_approved=True,
                        reply_letter_id=i,
                        issued_date=issued,
                        closed_date=closed,
                        deadline_status="none",
                    )
                    if rng.random() < 0.05:  # the applicant rated the reply
                        rated = min(today, issued + dt.timedelta(days=rng.randint(0, 20)))
                        ratings.add(
                            {
                                "application_id": i,
                                "satisfied": rng.random() < 0.85,
                                "comment": "",
                                "created_at": dt.datetime.combine(rated, dt.time(3), dt.UTC),
                            }
                        )
                    if rng.random() < 0.012 and issued + dt.timedelta(days=15) < today:
                        filed = issued + dt.timedelta(days=rng.randint(10, 60))
                        if filed < today:
                            result = rng.choices(("upheld", "corrected", "other", "pending"), (60, 12, 8, 20))[0]
                            decided = filed + dt.timedelta(days=rng.randint(30, 90))
                            if result != "pending" and decided >= today:
                                result = "pending"
                            remedies.add(
                                {
                                    "application_id": i,
                                    "agency_id": agency_id,
                                    "kind": rng.choices(
                                        ("reconsideration", "litigation_direct", "litigation_after_reconsideration"),
                                        (70, 20, 10),
                                    )[0],
                                    "body": f"{CITY}人民政府" if rng.random() < 0.7 else f"{CITY}人民法院",
                                    "filed_date": filed,
                                    "decided_date": None if result == "pending" else decided,
                                    "result": result,
                                    "note": "",
                                    "created_at": now,
                                    "updated_at": now,
                                }
                            )
            row["search_text"] = search_text_of(reference, row["applicant_name"], None, None, [])
            cases.add(row)
            if i % 20_000 == 0 or i == n:
                for bulk in bulks:
                    bulk.flush()
            if i % 200_000 == 0:
                print(f"    {i:,} requests in {time.perf_counter() - t0:.0f} s", flush=True)
    print(
        f"  requests: {cases.total:,} cases, {remedies.total:,} remedies, {ratings.total:,} ratings "
        f"in {time.perf_counter() - t0:.0f} s"
    )


def rng_person(rng: random.Random) -> str:
    from publicity_common import SURNAMES

    return rng.choice(SURNAMES) + "".join(
        rng.choice("明华强军丽芳伟静敏磊洋勇艳杰娟涛") for _ in range(rng.choice((1, 2)))
    )


def gen_publicity(world: dict, n: int, rng: random.Random, today: dt.date) -> None:
    """双公示 records of the departments that license and penalise (the market regulator, law enforcement, police,
    transport and environment bureaux busiest): published within the 7 working days (most), late, withheld,
    withdrawn, still waiting, or pending past their due date (overdue)."""
    from disclosure.core.textsearch import index_text
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.publicity.models import PublicityMatter, PublicityRecord
    from disclosure.workdays import add_working_days_many

    deciders = []
    for a in world["agencies"]:
        if a["kind"] in ("office", "township"):
            continue
        short = next((k for k in PUBLICITY_HEAVY if a["name"].endswith(k)), None)
        deciders.append((a, PUBLICITY_HEAVY.get(short, 0.4) if short else 0.4))
    matters: dict[tuple[int, str], int] = {}
    for a, _w in deciders:
        for kind, code, name in (("licensing", "XK001", "行政许可"), ("penalty", "CF001", "行政处罚")):
            m = PublicityMatter(
                agency_id=a["id"],
                kind=kind,
                code=code,
                name=name,
                legal_basis="《中华人民共和国行政许可法》" if kind == "licensing" else "《中华人民共和国行政处罚法》",
                counterpart_kinds=["legal_person", "natural_person", "individual_business"],
                scope="public",
            )
            db.session.add(m)
            db.session.flush()
            matters[(a["id"], kind)] = m.id
    db.session.commit()
    pick = weighted(rng, [(a["id"], w) for a, w in deciders])
    names = {a["id"]: a["name"] for a, _w in deciders}
    codes = {a["id"]: f"11330100{a['id']:08d}X"[:18] for a, _w in deciders}
    days = [FIRST_DAY + dt.timedelta(days=d) for d in range(_days(today) + 1)]
    dues = {d: due.due for d, due in add_working_days_many(days, 7).items()}
    now = utcnow()
    rows = Bulk(PublicityRecord)
    t0 = time.perf_counter()
    with indexes_dropped("publicity_records"):
        for i in range(1, n + 1):
            agency_id = pick()
            kind = "penalty" if rng.random() < 0.45 else "licensing"
            decided = _growing_day(rng, today)
            due = dues[decided]
            name = make_name(rng)
            person = len(name) <= 3
            r = rng.random()
            published_on = None
            if due >= today and r < 0.6:
                status, timeliness = "pending", "waiting"
            elif r < 0.015:
                status, timeliness = "pending", "overdue"
            elif r < 0.03:
                status, timeliness = "withheld", "not_applicable"
            else:
                late = rng.random() < 0.08
                gap = rng.randint(1, 40) if late else rng.randint(0, max(0, (due - decided).days))
                published_on = min(today, (due if late else decided) + dt.timedelta(days=gap))
                status = "withdrawn" if rng.random() < 0.02 else "published"
                timeliness = "late" if published_on > due else "on_time"
            rows.add(
                {
                    "id": i,
                    "kind": kind,
                    "agency_id": agency_id,
                    "matter_id": matters[(agency_id, kind)],
                    "counterpart_name": name,
                    "counterpart_category": "自然人" if person else "法人及非法人组织",
                    "credit_code": None,
                    "decision_no": f"{'罚' if kind == 'penalty' else '许'}〔{decided.year}〕{i}号",
                    "decision_key": f"罚[{decided.year}]{i}号" if kind == "penalty" else f"许[{decided.year}]{i}号",
                    "decision_date": decided,
                    "content": "准予许可" if kind == "licensing" else "罚款人民币二千元",
                    "deciding_agency": names[agency_id],
                    "deciding_agency_code": codes[agency_id],
                    "source_name": names[agency_id],
                    "source_code": codes[agency_id],
                    "simplified_procedure": False,
                    "status": status,
                    "timeliness": timeliness,
                    "due_date": due,
                    "due_provisional": False,
                    "published_at": None
                    if published_on is None
                    else dt.datetime.combine(published_on, dt.time(2, 0), dt.UTC),
                    "published_on": published_on,
                    "channel": rng.choice(("form", "import", "import", "api")),
                    "content_hash": "",
                    "search_text": index_text(name),
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            if i % 200_000 == 0:
                print(f"    {i:,} records in {time.perf_counter() - t0:.0f} s", flush=True)
        rows.flush()
    print(f"  双公示: {rows.total:,} records in {time.perf_counter() - t0:.0f} s")


def gen_catalogue(world: dict, n: int, rng: random.Random, today: dt.date) -> None:
    """Catalogue entries: documents published proactively in their columns (a sixth revised once or twice), rules
    and normative documents with their validity (some near its end), interpretations linked to them (most within
    3 working days), joint documents, entries recorded as not public, withdrawn ones, and drafts (some past their
    Art. 26 due date)."""
    from disclosure.catalog.models import Entry, EntryIssuer, EntryLink, EntryVersion, SearchIssuer
    from disclosure.catalog.search import search_key
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db

    agencies = world["agencies"]
    pick = weighted(rng, [(a["id"], 1 + a["weight"]) for a in agencies])
    category = weighted(rng, CATEGORIES)
    now = utcnow()
    # Flushed together, the entries first (the others refer to them).
    entries, versions, issuers, searchers, links = bulks = [
        Bulk(model, batch=sys.maxsize) for model in (Entry, EntryVersion, EntryIssuer, SearchIssuer, EntryLink)
    ]
    serials: dict[tuple[int, int], int] = {}
    policies: dict[int, list[tuple[int, dt.date]]] = {}
    version_id = 0
    body = "<p>" + "为进一步做好相关工作，现将有关事项通知如下。" * 40 + "</p>"
    t0 = time.perf_counter()
    tables = ("catalog_entries", "catalog_versions", "catalog_entry_issuers", "catalog_search_issuers", "catalog_links")
    with indexes_dropped(*tables):
        for i in range(1, n + 1):
            agency_id = pick()
            first = _growing_day(rng, today)
            made = first - dt.timedelta(days=rng.randint(0, 45))
            due = made + dt.timedelta(days=28)
            cat = category()
            interpretation = bool(policies.get(agency_id)) and rng.random() < 0.07
            kind = "other"
            if not interpretation and cat == "art20_1":
                kind = "regulation" if rng.random() < 0.1 else "normative"
            r = rng.random()
            state, attribute, revision = "published", "proactive", 1
            if first > today - dt.timedelta(days=40) and r < 0.25:
                state, revision = rng.choice(("draft", "attribute_review", "approval")), 0
            elif r < 0.03:
                state, attribute = "recorded", rng.choice(("on_request", "not_public"))
            elif r < 0.05:
                state = "withdrawn"
            elif r < 0.2 and kind == "other":
                revision = rng.choice((2, 2, 3))
            row = {
                "id": i,
                "agency_id": agency_id,
                "entry_type": "interpretation" if interpretation else "document",
                "state": state,
                "title": f"{rng.choice(TITLES)}{rng.choice(SUBJECTS)}工作的通知",
                "summary": "",
                "made_on": made,
                "due_on": due,
                "document_number": "",
                "document_number_key": "",
                "category": cat,
                "doc_kind": kind,
                "attribute": attribute,
                "attribute_basis": "",
                "attribute_reason": "",
                "keywords": "",
                "body_html": body,
                "registration_number": "",
                "provisional": False,
                "filed_with": "",
                "filing_number": "",
                "validity": "valid",
                "interpretation_form": "text" if interpretation else "",
                "interpreter": "",
                "interpreter_contact": "",
                "publish_with_documents": False,
                "revision": revision,
                "search_text": "",
                "search_title": "",
                "search_counts": "",
                "public_category": "",
                "public_doc_kind": "",
                "withdrawn_reason": "",
                "source": "form",
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            if interpretation:
                doc_id, doc_on = rng.choice(policies[agency_id][-20:])
                first = doc_on + dt.timedelta(days=rng.choice((0, 0, 1, 2, 3, 4, 6, 12)))
                first = min(first, today)
                row["made_on"] = made = min(made, first)
                row["due_on"] = made + dt.timedelta(days=28)
                links.add({"source_id": i, "target_id": doc_id, "relation": "interprets", "created_at": now})
            if kind != "other":
                in_force = first + dt.timedelta(days=30)
                row.update(
                    in_force_on=in_force,
                    valid_until=in_force + dt.timedelta(days=365 * rng.choice((2, 3, 5, 5, 5))),
                    document_number=f"示政规〔{first.year}〕{i}号",
                )
            if revision:
                year = first.year
                serials[(agency_id, year)] = serials.get((agency_id, year), 0) + 1
                published = first
                for rev in range(1, revision + 1):
                    if rev > 1:
                        published = min(today, published + dt.timedelta(days=rng.randint(30, 400)))
                    version_id += 1
                    versions.add(
                        {
                            "id": version_id,
                            "entry_id": i,
                            "revision": rev,
                            "published_at": dt.datetime.combine(published, dt.time(2, 0), dt.UTC),
                            "published_on": published,
                            "attribute": attribute,
                            "title": row["title"],
                            "document_number": row["document_number"],
                            "body_html": "",
                            "metadata_json": {"category": cat},
                            "attachment_ids": [],
                            "change_note": "",
                        }
                    )
                row.update(
                    index_number=f"{agency_id:05d}/{year}-{serials[(agency_id, year)]:05d}",
                    index_year=year,
                    index_serial=serials[(agency_id, year)],
                    first_published_on=first,
                    published_on=published,
                )
                if state == "withdrawn":
                    row["withdrawn_at"] = dt.datetime.combine(
                        min(today, published + dt.timedelta(days=90)), dt.time(), dt.UTC
                    )
                public = state == "published" and attribute == "proactive"
                if public:
                    row.update(
                        search_key=search_key(published, i),
                        public_category=cat,
                        public_doc_kind=kind,
                        search_title=row["title"],
                    )
                if kind != "other" and public:
                    policies.setdefault(agency_id, []).append((i, first))
            issuers.add({"entry_id": i, "agency_id": agency_id, "lead": True, "position": 0})
            joint = rng.random() < 0.03
            partner = pick() if joint else None
            if partner == agency_id:
                partner = None
            if partner is not None:
                issuers.add({"entry_id": i, "agency_id": partner, "lead": False, "position": 1})
            if row.get("search_key") is not None:
                searchers.add({"entry_id": i, "agency_id": agency_id})
                if partner is not None:
                    searchers.add({"entry_id": i, "agency_id": partner})
            entries.add(row)
            if i % 20_000 == 0 or i == n:
                for bulk in bulks:
                    bulk.flush()
            if i % 50_000 == 0:
                print(f"    {i:,} entries in {time.perf_counter() - t0:.0f} s", flush=True)
        # Each published entry's current version, its latest (the two tables refer to each other).
        db.session.execute(
            db.text(
                "UPDATE catalog_entries SET published_version_id = v.id FROM (SELECT entry_id, max(id) AS id "
                "FROM catalog_versions GROUP BY entry_id) v WHERE v.entry_id = catalog_entries.id"
            )
        )
        db.session.commit()
    print(
        f"  catalogue: {entries.total:,} entries, {versions.total:,} versions, {links.total:,} interpretation links "
        f"in {time.perf_counter() - t0:.0f} s"
    )


def gen_consultations(world: dict, n: int, n_comments: int, rng: random.Random, today: dt.date) -> None:
    """Consultations on drafts (30 days, most with their adoption feedback published, a few late or still missing)
    and the comments they received."""
    from disclosure.core.timeutil import utcnow
    from disclosure.extensions import db
    from disclosure.participation.models import Comment, Consultation
    from disclosure.participation.oversight import feedback_due

    kind_id = db.session.execute(db.text("SELECT min(id) FROM participation_kinds")).scalar_one()
    agencies = [a for a in world["agencies"] if a["kind"] != "township"]
    pick = weighted(rng, [(a["id"], a["weight"]) for a in agencies])
    now = utcnow()
    consultations, comments = Bulk(Consultation), Bulk(Comment)
    t0 = time.perf_counter()
    held = []
    for i in range(1, n + 1):
        agency_id = pick()
        opens = _growing_day(rng, today)
        opened_at = dt.datetime.combine(opens, dt.time(1, 0), dt.UTC)
        closes = opens + dt.timedelta(days=30)
        row = {
            "id": i,
            "agency_id": agency_id,
            "kind_id": kind_id,
            "title": f"关于公开征求《{rng.choice(SUBJECTS)}管理办法（征求意见稿）》意见的公告",
            "opens_at": opened_at,
            "opened_at": opened_at,
            "period_length": 30,
            "period_unit": "days",
            "closes_on": closes,
            "closes_at": dt.datetime.combine(closes, dt.time(15, 59), dt.UTC),
            "extensions": [],
            "created_at": now,
            "updated_at": now,
        }
        if closes >= today:
            row["state"] = "open"
        else:
            row["closed_at"] = row["closes_at"]
            due = feedback_due(closes)
            r = rng.random()
            if r < 0.85:
                on = (
                    due - dt.timedelta(days=rng.randint(0, 20))
                    if r < 0.75
                    else due + dt.timedelta(days=rng.randint(1, 30))
                )
                on = max(closes + dt.timedelta(days=1), min(on, today))
                row.update(state="feedback_published", answers_published_at=dt.datetime.combine(on, dt.time(3), dt.UTC))
            elif r < 0.95:
                row["state"] = "closed"
            else:
                row["state"] = "withdrawn"
        consultations.add(row)
        held.append((i, agency_id, opens, min(closes, today)))
    consultations.flush()
    with indexes_dropped("participation_comments"):
        for c in range(1, n_comments + 1):
            cid, agency_id, opens, closes = rng.choice(held)
            received = opens + dt.timedelta(days=rng.randint(0, max(0, (closes - opens).days)))
            comments.add(
                {
                    "id": c,
                    "consultation_id": cid,
                    "agency_id": agency_id,
                    "number": f"YJ{c:07d}",
                    "submission_key": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "access_key": uuid.UUID(int=rng.getrandbits(128)).hex,
                    "channel": rng.choice(("online", "online", "online", "email", "post")),
                    "received_on": received,
                    "submitted_at": dt.datetime.combine(received, dt.time(4), dt.UTC),
                    "body": "建议进一步明确适用范围。",
                    "search_text": "",
                    "moderation": "published",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        comments.flush()
    print(
        f"  participation: {consultations.total:,} consultations, {comments.total:,} comments "
        f"in {time.perf_counter() - t0:.0f} s"
    )


def gen_survey(world: dict, n: int, rng: random.Random, today: dt.date) -> None:
    """Answers to the agencies' satisfaction surveys (社会评议), mostly satisfied."""
    from disclosure.supervision.appraisal.models import SurveyResponse

    agencies = world["agencies"]
    pick = weighted(rng, [(a["id"], a["weight"]) for a in agencies])
    responses = Bulk(SurveyResponse)
    span = (today - dt.date(2024, 1, 1)).days
    for _i in range(n):
        responses.add(
            {
                "agency_id": pick(),
                "submitted_on": dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, span)),
                "overall": rng.choices((1, 2, 3, 4, 5), (2, 3, 10, 35, 50))[0],
                "comment": "",
                "client_hash": uuid.UUID(int=rng.getrandbits(128)).hex,
            }
        )
    responses.flush()
    print(f"  appraisal: {responses.total:,} survey responses")


def generate(scale: float, today: dt.date) -> None:
    from disclosure.core import changes, rollups
    from disclosure.extensions import db

    rng = random.Random(SEED)
    t0 = time.perf_counter()
    # The rollups' triggers are left out while rows are bulk-inserted; the rollups are counted once afterwards. The
    # change stamps' triggers too: no figure is kept yet, a new process starts with an empty store.
    rollups.uninstall(db.session.connection())
    changes.uninstall(db.session.connection())
    db.session.commit()
    world = make_tree()
    gen_requests(world, int(REQUESTS * scale), rng, today)
    gen_publicity(world, int(RECORDS * scale), rng, today)
    gen_catalogue(world, int(ENTRIES * scale), rng, today)
    gen_consultations(world, max(50, int(CONSULTATIONS * scale)), max(500, int(COMMENTS * scale)), rng, today)
    gen_survey(world, max(200, int(SURVEYS * scale)), rng, today)
    t1 = time.perf_counter()
    rollups.rebuild()
    rollups.install(db.session.connection())
    changes.install(db.session.connection())
    db.session.commit()
    print(f"  rollups counted in {time.perf_counter() - t1:.0f} s", flush=True)
    analyse()
    db.session.execute(
        db.text("CREATE TABLE IF NOT EXISTS bench_world (key VARCHAR(40) PRIMARY KEY, value VARCHAR(200))")
    )
    for key in ("root", "bureau", "supervisor", "head"):
        db.session.execute(db.text("INSERT INTO bench_world VALUES (:k, :v)"), {"k": key, "v": str(world[key])})
    db.session.commit()
    print(f"  generated in {time.perf_counter() - t0:.0f} s", flush=True)


# --- The floor: the bare aggregate queries ----------------------------------------------------------------------------

_CONCLUDED = ("issued", "delivered", "archived", "abandoned", "withdrawn")
_EDITING = ("draft", "attribute_review", "secrecy_review", "approval")


def _issued(columns: str, where: str, joins: str = "") -> str:
    """Entries counted for each organ that issued them: the lead issuer, and each joint issuer in the list."""
    return (
        f"SELECT e.agency_id AS agency_id{columns} FROM catalog_entries e {joins} "
        f"WHERE e.agency_id IN :ids AND {where} "
        f"UNION ALL SELECT i.agency_id{columns} FROM catalog_entries e "
        f"JOIN catalog_entry_issuers i ON i.entry_id = e.id {joins} "
        f"WHERE i.lead = :no AND i.agency_id IN :ids AND i.agency_id <> e.agency_id AND {where}"
    )


def floor_statements(dialect: str) -> dict[str, str]:
    """The figures of the dashboard as a person would write them by hand: one GROUP BY per family of figures over
    the same rows under the same conditions (the trend: one GROUP BY month per series)."""
    month = {
        "postgresql": "to_char({}, 'YYYY-MM')",
        "sqlite": "strftime('%Y-%m', {})",
    }[dialect]
    concluded_in = (
        "state IN :concluded AND (closed_date BETWEEN :start AND :end "
        "OR (closed_date IS NULL AND issued_date BETWEEN :start AND :end))"
    )
    from disclosure.catalog.classification import CATEGORIES as COLUMNS

    columns = ", ".join(f"('{c}')" for c in (*COLUMNS, ""))
    published = "e.attribute = 'proactive' AND e.first_published_on BETWEEN :start AND :end"
    policy = (
        "e.entry_type = 'document' AND e.doc_kind IN ('regulation', 'normative') AND e.attribute = 'proactive' "
        "AND e.published_version_id IS NOT NULL AND e.withdrawn_at IS NULL AND e.first_published_on IS NOT NULL"
    )
    return {
        "requests received": "SELECT agency_id, count(*) FROM applications WHERE agency_id IN :ids "
        "AND state NOT IN ('draft', 'submitted') AND received_date BETWEEN :start AND :end GROUP BY agency_id",
        "requests concluded, on time, late, outcomes": "SELECT agency_id, outcome, "
        "CASE WHEN state = 'withdrawn' THEN 1 ELSE 0 END AS w, count(*), "
        "sum(CASE WHEN issued_date IS NOT NULL THEN 1 ELSE 0 END), "
        "sum(CASE WHEN issued_date IS NOT NULL AND (due_date IS NULL OR issued_date <= due_date) THEN 1 ELSE 0 END), "
        "sum(CASE WHEN issued_date > due_date THEN 1 ELSE 0 END) "
        f"FROM applications WHERE agency_id IN :ids AND {concluded_in} GROUP BY agency_id, outcome, w",
        "requests overdue now": "SELECT agency_id, count(*) FROM applications WHERE agency_id IN :ids "
        "AND state IN :open AND deadline_status <> 'paused' AND due_date < :today GROUP BY agency_id",
        "remedies": "SELECT agency_id, kind, CASE WHEN result <> 'pending' AND decided_date <= :end THEN result "
        "ELSE 'pending' END AS r, count(*) FROM application_remedies WHERE agency_id IN :ids "
        "AND filed_date BETWEEN :start AND :end GROUP BY agency_id, kind, r",
        "双公示 received, on time, late, overdue": "SELECT agency_id, count(*), "
        "sum(CASE WHEN timeliness = 'on_time' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN timeliness = 'late' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN timeliness = 'overdue' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN timeliness = 'waiting' THEN 1 ELSE 0 END), "
        "sum(CASE WHEN status = 'withheld' THEN 1 ELSE 0 END), sum(CASE WHEN status = 'withdrawn' THEN 1 ELSE 0 END) "
        "FROM publicity_records WHERE agency_id IN :ids AND decision_date BETWEEN :start AND :end GROUP BY agency_id",
        "双公示 overdue now": "SELECT agency_id, count(*) FROM publicity_records WHERE agency_id IN :ids "
        "AND status = 'pending' AND timeliness IN ('waiting', 'overdue') AND due_date < :today GROUP BY agency_id",
        "entries published": f"SELECT agency_id, count(*) FROM ({_issued('', published)}) x GROUP BY agency_id",
        "changes published": "SELECT agency_id, count(*) FROM ("
        + _issued(
            ", v.id",
            "v.revision > 1 AND v.attribute = 'proactive' AND v.published_on BETWEEN :start AND :end",
            "JOIN catalog_versions v ON v.entry_id = e.id",
        )
        + ") x GROUP BY agency_id",
        "publications judged (Art. 26)": "SELECT agency_id, count(*), sum(t) FROM ("
        + _issued(
            ", CASE WHEN e.published_on <= e.due_on THEN 1 ELSE 0 END AS t",
            "e.state = 'published' AND e.attribute = 'proactive' AND e.due_on IS NOT NULL "
            "AND e.published_on BETWEEN :start AND :end",
        )
        + ") x GROUP BY agency_id",
        "entries overdue now": "SELECT agency_id, count(*) FROM ("
        + _issued("", "e.state IN :editing AND e.attribute = 'proactive' AND e.due_on < :today")
        + ") x GROUP BY agency_id",
        "interpretations in the period": "SELECT agency_id, first_published_on, document_on FROM ("
        + _issued(
            ", e.first_published_on, d.first_published_on AS document_on",
            "e.entry_type = 'interpretation' AND e.withdrawn_at IS NULL AND iv.attribute = 'proactive' "
            "AND e.first_published_on BETWEEN :start AND :end AND l.relation = 'interprets' AND "
            + policy.replace("e.", "d."),
            "JOIN catalog_versions iv ON iv.id = e.published_version_id "
            "JOIN catalog_links l ON l.source_id = e.id JOIN catalog_entries d ON d.id = l.target_id",
        )
        + ") x",
        "interpretations missing": "SELECT agency_id, count(*) FROM ("
        + _issued(
            "",
            f"{policy} AND e.first_published_on <= :cutoff AND NOT EXISTS (SELECT 1 FROM catalog_links l "
            "JOIN catalog_entries ie ON ie.id = l.source_id "
            "JOIN catalog_versions iv ON iv.id = ie.published_version_id "
            "WHERE l.target_id = e.id AND l.relation = 'interprets' AND ie.entry_type = 'interpretation' "
            "AND ie.withdrawn_at IS NULL AND iv.attribute = 'proactive')",
        )
        + ") x GROUP BY agency_id",
        "evaluation due": "SELECT agency_id, count(*) FROM ("
        + _issued(
            "",
            "e.entry_type = 'document' AND e.doc_kind IN ('regulation', 'normative') "
            "AND e.published_version_id IS NOT NULL AND e.withdrawn_at IS NULL AND e.validity = 'valid' "
            "AND e.valid_until <= :review",
        )
        + ") x GROUP BY agency_id",
        # The latest public publication per agency and column: one seek per pair for the lead issuer, the few joint
        # rows for the others (grouping every public entry instead takes seconds).
        "column updates (lead issuers)": f"WITH c(category) AS (VALUES {columns}) SELECT a.id, c.category, "
        "(SELECT max(e.search_key) FROM catalog_entries e WHERE e.agency_id = a.id "
        "AND e.public_category = c.category AND e.search_key < :bound) FROM agencies a CROSS JOIN c "
        "WHERE a.id IN :ids",
        "column updates (joint issuers)": "SELECT i.agency_id, e.public_category, max(e.search_key) "
        "FROM catalog_entry_issuers i JOIN catalog_entries e ON e.id = i.entry_id "
        "JOIN catalog_search_issuers s ON s.entry_id = i.entry_id AND s.agency_id = i.agency_id "
        "WHERE i.lead = :no AND i.agency_id IN :ids AND e.search_key < :bound GROUP BY i.agency_id, e.public_category",
        "consultations held": "SELECT agency_id, count(*) FROM participation_consultations WHERE agency_id IN :ids "
        "AND opened_at >= :since AND opened_at < :until GROUP BY agency_id",
        "comments received": "SELECT agency_id, count(*) FROM participation_comments WHERE agency_id IN :ids "
        "AND received_on BETWEEN :start AND :end GROUP BY agency_id",
        "feedback published": "SELECT agency_id, closes_on, answers_published_at FROM participation_consultations "
        "WHERE agency_id IN :ids AND answers_published_at >= :since AND answers_published_at < :until",
        "feedback overdue now": "SELECT agency_id, count(*) FROM participation_consultations WHERE agency_id IN :ids "
        "AND state IN ('open', 'closed', 'feedback_drafted', 'feedback_approved') "
        "AND answers_published_at IS NULL AND closes_on <= :feedback_cutoff GROUP BY agency_id",
        "annual reports": "SELECT agency_id, year, max(number), min(CASE WHEN state IN ('published', 'superseded') "
        "THEN published_on END) FROM annual_reports WHERE agency_id IN :ids AND year IN :years "
        "GROUP BY agency_id, year",
        "notices open and late": "SELECT agency_id, count(*), sum(CASE WHEN state = 'issued' AND due_on < :today "
        "THEN 1 ELSE 0 END) FROM supervision_notices WHERE agency_id IN :ids "
        "AND state IN ('issued', 'answered') GROUP BY agency_id",
        "notices answered late": "SELECT n.agency_id, count(DISTINCT n.id) FROM supervision_notices n "
        "JOIN supervision_notice_rounds r ON r.notice_id = n.id WHERE n.agency_id IN :ids "
        "AND r.answered_on BETWEEN :start AND :end AND r.answered_on > r.due_on GROUP BY n.agency_id",
        "survey responses": "SELECT agency_id, count(*), sum(CASE WHEN overall >= 4 THEN 1 ELSE 0 END) "
        "FROM supervision_survey_responses WHERE agency_id IN :ids AND submitted_on BETWEEN :start AND :end "
        "GROUP BY agency_id",
        "ratings": "SELECT a.agency_id, count(*), sum(CASE WHEN r.satisfied THEN 1 ELSE 0 END) "
        "FROM application_ratings r JOIN applications a ON a.id = r.application_id WHERE a.agency_id IN :ids "
        "AND r.created_at >= :since AND r.created_at < :until GROUP BY a.agency_id",
        "trend: requests received by month": f"SELECT {month.format('received_date')} AS m, count(*) "
        "FROM applications WHERE agency_id IN :ids AND state NOT IN ('draft', 'submitted') "
        "AND received_date BETWEEN :start AND :end GROUP BY m",
        "trend: entries published by month": "SELECT m, count(*) FROM ("
        + _issued(f", {month.format('e.first_published_on')} AS m", published)
        + ") x GROUP BY m",
    }


def floor_params(ids: list[int], period, today: dt.date) -> dict:
    from disclosure.catalog.operations.validity import add_months
    from disclosure.catalog.oversight import interpretation_cutoff
    from disclosure.catalog.search import search_key
    from disclosure.core.timeutil import CHINA_TZ
    from disclosure.participation.oversight import feedback_cutoff

    since = dt.datetime.combine(period.start, dt.time(), CHINA_TZ).astimezone(dt.UTC)
    until = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), CHINA_TZ).astimezone(dt.UTC)
    return {
        "ids": ids,
        "start": period.start,
        "end": period.end,
        "today": today,
        "since": since,
        "until": until,
        "no": False,
        "concluded": list(_CONCLUDED),
        "open": OPEN_STATES,
        "editing": list(_EDITING),
        "cutoff": interpretation_cutoff(3, today),
        "review": add_months(today, 6),
        "bound": search_key(today + dt.timedelta(days=1), 0),
        "feedback_cutoff": feedback_cutoff(today),
        "years": [period.start.year - 1, period.start.year, period.end.year - 1, period.end.year],
    }


class Floor:
    """The floor's statements, prepared once, run once each per page view."""

    def __init__(self):
        from sqlalchemy import bindparam, text

        from disclosure.extensions import db

        expanding = ("ids", "concluded", "open", "editing", "years")
        self.statements = {}
        for name, sql in floor_statements(db.engine.dialect.name).items():
            stmt = text(sql)
            wanted = [p for p in expanding if f":{p}" in sql]
            if wanted:
                stmt = stmt.bindparams(*(bindparam(p, expanding=True) for p in wanted))
            self.statements[name] = stmt

    def run(self, params: dict) -> tuple[float, dict[str, list]]:
        """One page view's worth of the floor: (milliseconds, the rows of each statement)."""
        from disclosure.extensions import db

        out = {}
        t = time.perf_counter()
        for name, stmt in self.statements.items():
            wanted = {k: v for k, v in params.items() if f":{k}" in stmt.text}
            out[name] = db.session.execute(stmt, wanted).all()
        ms = (time.perf_counter() - t) * 1000
        db.session.rollback()
        return ms, out


# --- Measuring --------------------------------------------------------------------------------------------------------

# The dashboard's figures the floor's rows give directly: (figure, floor statement, column summed, row filter).
CROSS_CHECKS = [
    ("requests.received", "requests received", 1, None),
    ("requests.concluded", "requests concluded, on time, late, outcomes", 3, None),
    ("requests.answered", "requests concluded, on time, late, outcomes", 4, None),
    ("requests.on_time", "requests concluded, on time, late, outcomes", 5, None),
    ("requests.late", "requests concluded, on time, late, outcomes", 6, None),
    ("requests.overdue", "requests overdue now", 1, None),
    ("publicity.received", "双公示 received, on time, late, overdue", 1, None),
    ("publicity.on_time", "双公示 received, on time, late, overdue", 2, None),
    ("publicity.late", "双公示 received, on time, late, overdue", 3, None),
    ("publicity.overdue", "双公示 overdue now", 1, None),
    ("proactive.published", "entries published", 1, None),
    ("proactive.changes_published", "changes published", 1, None),
    ("proactive.judged", "publications judged (Art. 26)", 1, None),
    ("proactive.on_time", "publications judged (Art. 26)", 2, None),
    ("proactive.overdue", "entries overdue now", 1, None),
    ("proactive.interpretations_missing", "interpretations missing", 1, None),
    ("proactive.evaluation_due", "evaluation due", 1, None),
    ("consultations.held", "consultations held", 1, None),
    ("consultations.comments", "comments received", 1, None),
    ("consultations.feedback_overdue", "feedback overdue now", 1, None),
]


def cross_check(app, ids: list[int], agencies: list, period, today: dt.date, rows: dict) -> list[str]:
    """The floor's numbers against the dashboard's figures for the same agencies and period: [] when equal."""
    from flask_babel import force_locale

    from disclosure.supervision.dashboard import board as boards
    from disclosure.supervision.measures import Scope

    with app.test_request_context("/"), force_locale("en"):
        board = boards.build(Scope(tuple(ids), period, today), agencies, charts=False)
        problems = []
        for key, statement, column, _filter in CROSS_CHECKS:
            figure = board.figure(key)
            if figure is None:
                continue
            floor = sum(int(r[column] or 0) for r in rows[statement])
            if figure.total.number != floor:
                problems.append(f"{key}: dashboard {figure.total.number}, floor {floor}")
    return problems


def count_queries():
    """A counter of the statements sent to the database (reset by the caller)."""
    from sqlalchemy import event

    from disclosure.extensions import db

    seen = [0]

    @event.listens_for(db.engine, "before_cursor_execute")
    def _count(*_args):
        seen[0] += 1

    return seen


def world_value(key: str) -> str:
    from disclosure.extensions import db

    return db.session.execute(db.text("SELECT value FROM bench_world WHERE key = :k"), {"k": key}).scalar_one()


def load_summary() -> str:
    from disclosure.extensions import db

    counts = {}
    for table in ("agencies", "applications", "publicity_records", "catalog_entries", "participation_consultations"):
        counts[table] = db.session.execute(db.text(f"SELECT count(*) FROM {table}")).scalar_one()
    return ", ".join(f"{n:,} {t}" for t, n in counts.items())


def run(engine: str, scale: float, runs: int, reuse: str | None, targets: Targets) -> dict:
    from disclosure.accounts import tree as agency_tree
    from disclosure.core.timeutil import today_china
    from disclosure.extensions import db
    from disclosure.supervision import periods, scope
    from disclosure.supervision.figures import store as figure_store

    today = today_china()
    results = {}
    with bench_app(engine, reuse) as (app, fresh):
        print(f"[{engine}] today {today}", flush=True)
        if fresh:
            generate(scale, today)
        print(f"  data: {load_summary()}", flush=True)
        root, bureau = int(world_value("root")), int(world_value("bureau"))
        year = periods.year(today.year - 1)
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        month = periods.month(last_month.year, last_month.month)
        floor = Floor()
        queries = count_queries()
        views = [
            ("competent department", world_value("supervisor"), "/staff/supervision/", agency_tree.subtree_ids(root)),
            ("one agency", world_value("head"), f"/staff/supervision/agencies/{bureau}", [bureau]),
        ]
        for label, email, path, ids in views:
            client = app.test_client()
            r = client.post("/login", data={"email": email, "password": PASSWORD})
            assert r.status_code == 302, (email, r.status_code)
            agencies = scope.agencies(ids)
            db.session.rollback()
            for period in (year, month):
                when = f"year {period.start.year}" if period is year else f"month {period.start:%Y-%m}"
                name = f"{engine}, {label} ({len(ids)} {'agency' if len(ids) == 1 else 'agencies'}), {when}"
                params = floor_params(ids, period, today)
                floor.run(params)  # warm
                base, rows = [], None
                for _ in range(runs):
                    ms, rows = floor.run(params)
                    base.append(ms)
                problems = cross_check(app, ids, agencies, period, today, rows)
                db.session.rollback()
                if problems:
                    print("  the floor and the dashboard disagree:\n    " + "\n    ".join(problems))
                targets.check(f"{name}: the floor counts what the dashboard shows", not problems)
                times = []
                for i in range(runs + 2):
                    queries[0] = 0
                    t = time.perf_counter()
                    r = client.get(path, query_string=period.as_args())
                    ms = (time.perf_counter() - t) * 1000
                    assert r.status_code == 200, (path, r.status_code)
                    if i >= 2:  # two warm-up requests
                        times.append(ms)
                p50, p95 = percentile(times, 50), percentile(times, 95)
                b50, b95 = percentile(base, 50), percentile(base, 95)
                print(
                    f"  {name}: page p50 {p50:.0f} ms, p95 {p95:.0f} ms ({queries[0]} statements, "
                    f"{len(r.data) // 1024} KB); floor ({len(floor.statements)} statements) p50 {b50:.0f} ms, "
                    f"p95 {b95:.0f} ms; page / floor p50 {p50 / b50:.1f}x, p95 {p95 / b95:.1f}x",
                    flush=True,
                )
                # Not a target: the same page with no figure kept (`supervision.figures.store`), as the first view
                # in a new process: every figure of every agency counted again (a new day counts again only the
                # figures that read the date, a write only the agency written to).
                recounted = []
                for _ in range(3):
                    with app.app_context():
                        figure_store.store().clear()
                    t = time.perf_counter()
                    client.get(path, query_string=period.as_args())
                    recounted.append((time.perf_counter() - t) * 1000)
                listed = ", ".join(f"{x:.0f}" for x in recounted)
                print(f"  {name}: every agency counted again (nothing kept) {listed} ms; {load_average()}", flush=True)
                targets.check(f"{name}: p95 under 300 ms", p95 < 300, f"{p95:.0f} ms")
                targets.check(f"{name}: p95 at most 5x the floor", p95 <= 5 * b95, f"{p95 / b95:.1f}x")
                results[name] = {"p50": p50, "p95": p95, "floor_p50": b50, "floor_p95": b95}
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's numbers of records")
    parser.add_argument("--runs", type=int, default=25, help="measured requests per page and period (>= 20)")
    parser.add_argument("--reuse", help="keep the database under this name (PostgreSQL) or path (SQLite) and reuse it")
    args = parser.parse_args()
    targets = Targets("supervision_dashboard")
    engines = ["sqlite", "postgresql"] if args.engine == "both" else [args.engine]
    if args.reuse and len(engines) > 1:
        parser.error("--reuse names one database: give --engine too")
    print(
        f"supervision dashboard: 500 agencies, {int(REQUESTS * args.scale):,} requests, {int(RECORDS * args.scale):,} "
        f"双公示 records, {int(ENTRIES * args.scale):,} catalogue entries; {load_average()}"
    )
    for engine in engines:
        run(engine, args.scale, args.runs, args.reuse, targets)
    return targets.finish()


if __name__ == "__main__":
    sys.exit(main())
