"""Shared by the 双公示 benchmarks: a throw-away database (SQLite file or PostgreSQL database) migrated to all
heads, an agency with one matter per kind, and generated counterpart names, credit codes and decisions."""

from __future__ import annotations

import contextlib
import os
import random
import sys
import tempfile
import uuid
from pathlib import Path

from harness import temp_dir

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HUEY_MEMORY", "1")

CITIES = [
    "杭州",
    "宁波",
    "温州",
    "嘉兴",
    "湖州",
    "绍兴",
    "金华",
    "衢州",
    "舟山",
    "台州",
    "丽水",
    "义乌",
    "余杭",
    "萧山",
    "临安",
    "桐庐",
    "淳安",
    "建德",
    "富阳",
    "海宁",
]
NAME_CHARS = (
    "华兴盛恒达鑫源泰丰瑞祥宏信诚康远博创新立凯嘉鸿昌隆广通誉德润晨光明阳天地正方圆金银铜铁海江河湖山"
    "林森木青松竹梅兰菊云星辰宇宙安宁平和顺利美佳优良品质精工智慧联合众友邦国民家园春秋夏冬东南西北中"
)
TRADES = [
    "科技",
    "餐饮",
    "贸易",
    "建筑",
    "物流",
    "食品",
    "医药",
    "电子",
    "机械",
    "服装",
    "文化",
    "传媒",
    "环保",
    "能源",
    "农业",
    "教育",
    "咨询",
    "装饰",
    "汽车",
    "化工",
]
SUFFIXES = ["有限公司", "有限责任公司", "股份有限公司", "商行", "经营部", "店"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"


def make_name(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return rng.choice(SURNAMES) + "".join(rng.choice(NAME_CHARS) for _ in range(rng.choice((1, 2))))
    core = "".join(rng.choice(NAME_CHARS) for _ in range(rng.choice((2, 2, 3, 4))))
    return rng.choice(CITIES) + core + rng.choice(TRADES) + rng.choice(SUFFIXES)


def make_uscc(rng: random.Random, n: int) -> str:
    from disclosure.demo import make_credit_code

    return make_credit_code("91", "330100", f"{n:08d}"[-8:])


@contextlib.contextmanager
def bench_app(engine: str, *, keep: bool = False, reuse: str | None = None):
    """An application on a fresh, migrated database, dropped afterwards unless `keep`; `reuse` names a kept
    database (PostgreSQL name or SQLite path) to measure again without generating the data."""
    from flask_migrate import upgrade
    from sqlalchemy import create_engine

    # A kept database outlives the run (SQLite lives in the directory); otherwise everything goes at exit.
    tmp = Path(tempfile.mkdtemp(prefix="publicity-bench-")) if keep else temp_dir("publicity-bench-")
    os.environ["INSTANCE_PATH"] = str(tmp / "instance")
    pg_name = None
    if reuse and engine == "postgresql":
        server = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        url = server.rsplit("/", 1)[0] + "/" + reuse
    elif reuse:
        url = f"sqlite:///{reuse}"
    elif engine == "postgresql":
        server = os.environ.get("BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
        pg_name = f"publicity_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(server, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(
                f"CREATE DATABASE {pg_name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' TEMPLATE template0"
            )
        url = server.rsplit("/", 1)[0] + "/" + pg_name
    else:
        url = f"sqlite:///{tmp / 'bench.sqlite3'}"
    from disclosure import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "STORAGE_DIR": str(tmp / "files"), "TESTING": True})
    try:
        with app.app_context():
            if not reuse:
                upgrade(revision="heads")
            print(f"  database: {pg_name or url}")
            yield app
            from disclosure.extensions import db

            db.session.remove()
            db.engine.dispose()
    finally:
        if pg_name and not keep:
            with admin.connect() as conn:
                conn.exec_driver_sql(
                    f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    f"WHERE datname = '{pg_name}' AND pid <> pg_backend_pid()"
                )
                conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {pg_name}")
            admin.dispose()


def agency_with_matters():
    """One agency with a licensing and a penalty matter (committed)."""
    from disclosure.accounts.models import Agency
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db
    from disclosure.publicity.models import PublicityMatter

    agency = Agency(
        slug="bench",
        full_name="杭州市市场监督管理局",
        short_name="杭州市监局",
        credit_code=make_credit_code("11", "330100", "00250099"),
        division_code="330100",
    )
    db.session.add(agency)
    db.session.flush()
    kinds = ["legal_person", "natural_person", "individual_business"]
    for kind, code, name in (("licensing", "XK001", "食品经营许可"), ("penalty", "CF001", "食品安全处罚")):
        db.session.add(
            PublicityMatter(
                agency_id=agency.id,
                kind=kind,
                code=code,
                name=name,
                legal_basis="《食品安全法》",
                counterpart_kinds=kinds,
                scope="public",
            )
        )
    db.session.commit()
    return agency


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]
