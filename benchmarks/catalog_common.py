"""Generated catalogue data for the catalogue benchmarks (issue 11): realistic government documents (titles of the
关于…的通知 kind, bodies of about 2,000 characters written from a common administrative vocabulary plus the
words of one or two topics per document, so that common words are in most documents and topic words in few), bulk
inserted as published 主动公开 entries with their frozen versions and their search columns computed by the app's own
`search_columns`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass

COMMON_WORDS = [
    "各地",
    "各部门",
    "要",
    "进一步",
    "加强",
    "工作",
    "推进",
    "建设",
    "发展",
    "管理",
    "服务",
    "落实",
    "完善",
    "制度",
    "机制",
    "责任",
    "组织",
    "实施",
    "开展",
    "提高",
    "水平",
    "坚持",
    "全面",
    "深化",
    "改革",
    "创新",
    "政策",
    "措施",
    "保障",
    "监督",
    "检查",
    "考核",
    "统筹",
    "协调",
    "安全",
    "生产",
    "经济",
    "社会",
    "群众",
    "企业",
    "项目",
    "资金",
    "规划",
    "方案",
    "意见",
    "通知",
    "办法",
    "规定",
    "标准",
    "规范",
    "程序",
    "依法",
    "行政",
    "政务",
    "公开",
    "信息",
    "公共",
    "资源",
    "环境",
    "保护",
    "质量",
    "效率",
    "有关",
    "事项",
    "单位",
    "部门",
    "人民政府",
    "办公室",
    "市",
    "县",
    "区",
    "乡镇",
    "街道",
    "村",
    "社区",
    "年度",
    "目标",
    "任务",
    "重点",
    "领域",
    "问题",
    "整改",
    "情况",
    "报告",
    "要求",
    "确保",
    "及时",
    "严格",
    "按照",
    "根据",
    "结合",
    "实际",
    "加快",
    "促进",
    "支持",
    "引导",
    "鼓励",
    "培育",
    "优化",
    "营商",
    "环境",
    "数字",
    "政府",
    "治理",
    "能力",
    "现代化",
    "基层",
    "民生",
    "就业",
    "教育",
    "医疗",
    "卫生",
    "养老",
    "住房",
    "交通",
    "农业",
    "农村",
    "生态",
    "文明",
    "绿色",
    "低碳",
    "应急",
    "防范",
    "风险",
    "隐患",
    "排查",
    "宣传",
    "培训",
    "指导",
    "评估",
    "统计",
    "财政",
    "预算",
    "审计",
    "采购",
    "招标",
    "许可",
    "审批",
    "备案",
    "执法",
    "处罚",
    "投诉",
    "举报",
]
PUNCTUATION = "，，，，。；、"
# Characters topic words are made of (common in administrative writing).
TOPIC_CHARS = (
    "水电气热油煤粮棉林草田地山河湖海港桥路站厂矿园区校院馆场所库仓渠堤坝闸泵网线管井塘池"
    "城乡镇村街巷楼房屋宅院户口人员工农商学医药食品酒茶肉蛋奶菜果粮种苗畜禽鱼虾"
    "税费价金银钱款贷债保险证券票据账簿表册卡码章印档案籍志史"
    "文体旅游娱乐艺术音乐美术书画影视广播电视报刊网络平台数据云算链"
)
TITLE_GENRES = ("通知", "意见", "实施方案", "办法", "规定", "公告", "通告", "批复", "报告", "决定")
TOPICS = 60


@dataclass
class Doc:
    title: str
    document_number: str
    body: str
    published_on: dt.date
    agency: int
    theme: int
    genre: int


def topic_words(rng: random.Random) -> list[list[str]]:
    words = []
    for _ in range(TOPICS):
        chars = rng.sample(TOPIC_CHARS, 12)
        topic = set()
        while len(topic) < 24:
            n = rng.choice((2, 2, 2, 3, 4))
            topic.add("".join(rng.sample(chars, n)))
        words.append(sorted(topic))
    return words


def sentence(rng: random.Random, vocab: list[str], weights: list[float]) -> str:
    words = rng.choices(vocab, weights=weights, k=rng.randint(6, 16))
    out = []
    for w in words:
        out.append(w)
        if rng.random() < 0.12:
            out.append(rng.choice(PUNCTUATION))
    return "".join(out) + "。"


def documents(n: int, seed: int, agencies: int, themes: list[int], genres: list[int]) -> Iterator[Doc]:
    """`n` documents, the same for the same seed."""
    rng = random.Random(seed)
    topics = topic_words(rng)
    common_weights = [1 / (r + 1) ** 0.8 for r in range(len(COMMON_WORDS))]
    start = dt.date(2016, 1, 1)
    for i in range(n):
        chosen = rng.sample(range(TOPICS), rng.choice((1, 1, 2)))
        specific = [w for t in chosen for w in topics[t]]
        vocab = COMMON_WORDS + specific
        weights = common_weights + [0.25] * len(specific)
        body_parts, size = [], 0
        target = rng.randint(1800, 2200)
        while size < target:
            s = sentence(rng, vocab, weights)
            body_parts.append(s)
            size += len(s)
        title_words = rng.sample(specific, 2) + rng.sample(COMMON_WORDS[:40], 1)
        title = f"关于{''.join(title_words)}的{rng.choice(TITLE_GENRES)}"
        published = start + dt.timedelta(days=rng.randrange(3650))
        number = f"测政办发〔{published.year}〕{i + 1}号" if rng.random() < 0.7 else ""
        yield Doc(
            title=title,
            document_number=number,
            body="".join(body_parts),
            published_on=published,
            agency=rng.randrange(agencies),
            theme=rng.choice(themes),
            genre=rng.choice(genres),
        )


def queries(seed: int, docs_sample: list[Doc], n: int) -> dict[str, list[str]]:
    """2-, 4- and 8-character queries: words of the common and topic vocabularies, and 8 characters cut from the
    bodies of documents (at a sentence's start, so they read like a phrase someone remembers)."""
    rng = random.Random(seed)
    topics = topic_words(random.Random(seed - 1))
    two_topic = [w for t in topics for w in t if len(w) == 2]
    four_topic = [w for t in topics for w in t if len(w) == 4]
    common_two = [w for w in COMMON_WORDS if len(w) == 2]
    two = rng.sample(common_two, n // 2) + rng.sample(two_topic, n - n // 2)
    four = []
    while len(four) < n:
        four.append(rng.choice(four_topic) if rng.random() < 0.5 else rng.choice(common_two) + rng.choice(common_two))
    eight = []
    for doc in itertools.cycle(rng.sample(docs_sample, len(docs_sample))):
        sentences = [s for s in doc.body.split("。") if len(s) >= 8 and not any(p in s[:8] for p in "，；、")]
        if sentences:
            eight.append(rng.choice(sentences)[:8])
        if len(eight) == n:
            break
    return {"2-char": two, "4-char": four, "8-char": eight}


def insert_entries(batch: list[Doc], first_id: int, agency_ids: list[int], now: dt.datetime) -> list:
    """Bulk insert one batch as published 主动公开 entries (id = version id) with their search columns; returns
    the columns (the reference engine indexes the same units)."""
    from sqlalchemy import insert, update

    from disclosure.catalog.models import Entry, EntryVersion, SearchIssuer
    from disclosure.catalog.search import search_columns, search_key
    from disclosure.core.docnumbers import normalise_document_number
    from disclosure.extensions import db

    entries, versions, issuers, computed = [], [], [], []
    for offset, doc in enumerate(batch):
        entry_id = first_id + offset
        agency_id = agency_ids[doc.agency]
        columns = search_columns(doc.title, doc.document_number, [doc.body])
        computed.append(columns)
        meta = {
            "summary": "",
            "made_on": doc.published_on.isoformat(),
            "theme_id": doc.theme,
            "genre_id": doc.genre,
            "category": "art20_15",
            "doc_kind": "other",
            "entry_type": "document",
            "issuers": [f"测试机关{doc.agency}"],
            "issuer_ids": [agency_id],
        }
        entries.append(
            {
                "id": entry_id,
                "agency_id": agency_id,
                "state": "published",
                "index_number": f"BENCH{doc.agency:04d}/{doc.published_on.year}-{entry_id:07d}",
                "index_year": doc.published_on.year,
                "index_serial": entry_id,
                "title": doc.title,
                "made_on": doc.published_on,
                "published_on": doc.published_on,
                "first_published_on": doc.published_on,
                "document_number": doc.document_number,
                "document_number_key": normalise_document_number(doc.document_number),
                "theme_id": doc.theme,
                "genre_id": doc.genre,
                "category": "art20_15",
                "body_html": f"<p>{doc.body}</p>",
                "revision": 1,
                "search_text": columns.text,
                "search_title": columns.title,
                "search_counts": columns.counts,
                "search_key": search_key(doc.published_on, entry_id),
                "public_theme_id": doc.theme,
                "public_genre_id": doc.genre,
                "public_category": "art20_15",
                "public_doc_kind": "other",
                "source": "import",
                "created_at": now,
                "updated_at": now,
            }
        )
        versions.append(
            {
                "id": entry_id,
                "entry_id": entry_id,
                "revision": 1,
                "published_at": now,
                "published_on": doc.published_on,
                "attribute": "proactive",
                "title": doc.title,
                "document_number": doc.document_number,
                "body_html": f"<p>{doc.body}</p>",
                "metadata_json": meta,
                "attachment_ids": [],
            }
        )
        issuers.append({"entry_id": entry_id, "agency_id": agency_id})
    db.session.execute(insert(Entry), entries)
    db.session.execute(insert(EntryVersion), versions)
    db.session.execute(insert(SearchIssuer), issuers)
    last = first_id + len(batch) - 1
    db.session.execute(
        update(Entry)
        .where(Entry.id.between(first_id, last))
        .values(published_version_id=Entry.id)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return computed


def make_agencies(n: int) -> list[int]:
    from disclosure.accounts.models import Agency
    from disclosure.demo import make_credit_code
    from disclosure.extensions import db

    ids = []
    for i in range(n):
        agency = Agency(
            slug=f"bench{i}",
            full_name=f"测试机关{i}",
            short_name=f"测试{i}",
            credit_code=make_credit_code("11", "330100", f"{i + 1:08d}"),
            division_code="330100",
        )
        db.session.add(agency)
        db.session.flush()
        ids.append(agency.id)
    db.session.commit()
    return ids


def classification_ids() -> tuple[list[int], list[int]]:
    from disclosure.catalog.models import Genre, Theme
    from disclosure.extensions import db

    themes = list(db.session.execute(db.select(Theme.id).where(Theme.parent_id.is_not(None))).scalars())
    genres = list(db.session.execute(db.select(Genre.id)).scalars())
    return themes, genres


def drop_gin_indexes() -> list[str]:
    """PostgreSQL: drop the entries' GIN indexes before a bulk fill (built once afterwards, much faster than row
    by row); returns their definitions."""
    from disclosure.extensions import db

    if db.engine.dialect.name != "postgresql":
        return []
    rows = db.session.execute(
        db.text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'catalog_entries' AND indexdef LIKE '%gin%'"
        )
    ).all()
    for name, _definition in rows:
        db.session.execute(db.text(f"DROP INDEX {name}"))
    db.session.commit()
    return [definition for _name, definition in rows]


def recreate_indexes(definitions: list[str]) -> None:
    from disclosure.extensions import db

    if not definitions:
        return
    t0 = time.perf_counter()
    db.session.execute(db.text("SET maintenance_work_mem = '256MB'"))
    for definition in definitions:
        db.session.execute(db.text(definition))
    db.session.commit()
    print(f"  GIN indexes built in {time.perf_counter() - t0:.0f} s", flush=True)


def analyse() -> None:
    from disclosure.extensions import db

    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # Rows were inserted with their ids: the sequences go on after them.
            for name in ("catalog_entries", "catalog_versions"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                )
            conn.exec_driver_sql("VACUUM ANALYZE catalog_entries")
            conn.exec_driver_sql("VACUUM ANALYZE catalog_versions")
            conn.exec_driver_sql("VACUUM ANALYZE catalog_search_issuers")
    else:
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def fill(rows: int, seed: int, *, on_batch=None, batch_size: int = 2000, insert: bool = True) -> list[Doc]:
    """Generate and insert `rows` documents; returns a sample of them (for the queries). `on_batch(docs, first_id,
    columns)` sees every batch with its search columns (the reference engine indexes the same corpus). Without
    `insert`, the same documents are only generated (a kept database measured again)."""
    from disclosure.catalog.search import search_columns
    from disclosure.core.timeutil import utcnow

    if not insert:
        sample, next_id = [], 1
        docs = list(documents(rows, seed, 10, *classification_ids()))
        for start in range(0, rows, batch_size):
            batch = docs[start : start + batch_size]
            sample.extend(d for i, d in enumerate(batch, start) if i % 997 == 0)
            if on_batch:
                on_batch(batch, next_id, [search_columns(d.title, d.document_number, [d.body]) for d in batch])
            next_id += len(batch)
        return sample
    agency_ids = make_agencies(10)
    themes, genres = classification_ids()
    gin_indexes = drop_gin_indexes()
    now = utcnow()
    sample: list[Doc] = []
    batch: list[Doc] = []
    next_id = 1
    t0 = time.perf_counter()
    for i, doc in enumerate(documents(rows, seed, len(agency_ids), themes, genres)):
        batch.append(doc)
        if i % 997 == 0:
            sample.append(doc)
        if len(batch) == batch_size:
            columns = insert_entries(batch, next_id, agency_ids, now)
            if on_batch:
                on_batch(batch, next_id, columns)
            next_id += len(batch)
            batch = []
            if next_id % 20000 == 1:
                print(f"    {next_id - 1:,} entries in {time.perf_counter() - t0:.0f} s", flush=True)
    if batch:
        columns = insert_entries(batch, next_id, agency_ids, now)
        if on_batch:
            on_batch(batch, next_id, columns)
    recreate_indexes(gin_indexes)
    analyse()
    print(f"  generated {rows:,} entries in {time.perf_counter() - t0:.0f} s", flush=True)
    return sample
