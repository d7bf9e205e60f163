"""The catalogue's classifications: the statutory categories of 条例 Arts. 20–21 (法定主动公开内容, as codes),
the default 主题分类 (rules-china §8.3) and 体裁分类 (§8.4) that a new deployment starts with, and the bases a
依申请公开 / 不予公开 attribute may rely on (the exemptions the reply letters already cite)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

from disclosure.correspondence import OUTCOMES, Outcome

# 条例 Art. 20 (all organs), Art. 21 (city and county governments and their departments; townships). The code is
# stored on an entry; the label is what pages show. The platform's column tree maps onto these (61号 ⚠).
CATEGORIES: dict[str, object] = {
    "art20_1": _l("Administrative regulations, rules and normative documents"),
    "art20_2": _l("Functions, organisation, address, office hours, contacts and leaders"),
    "art20_3": _l("Development plans, special plans, regional plans and related policies"),
    "art20_4": _l("Economic and social development statistics"),
    "art20_5": _l("Licensing and other administrative services: basis, conditions, procedure and results"),
    "art20_6": _l("Penalties and coercive measures: basis, conditions, procedure and significant decisions"),
    "art20_7": _l("Budgets and final accounts"),
    "art20_8": _l("Administrative fees: items, basis and rates"),
    "art20_9": _l("Centralised government procurement: catalogue, standards and implementation"),
    "art20_10": _l("Approval and implementation of major construction projects"),
    "art20_11": _l("Poverty relief, education, health, social security and employment"),
    "art20_12": _l("Emergency plans, warnings and responses to emergencies"),
    "art20_13": _l("Environmental, public health, work safety, food, drug and product quality inspections"),
    "art20_14": _l("Civil-service recruitment: posts, numbers, conditions and results"),
    "art20_15": _l("Other information that laws, regulations, rules or state provisions require"),
    "art21_city": _l(
        "Urban construction, public services, public welfare, land and housing expropriation, public order "
        "and social assistance"
    ),
    "art21_township": _l(
        "Rural policy, farmland water projects, land contracts, homesteads, expropriation, fund-raising and "
        "social assistance (townships)"
    ),
}

CATEGORY_ARTICLES = {
    **{f"art20_{n}": f"第二十条第（{c}）项" for n, c in enumerate("一二三四五六七八九", start=1)},
    "art20_10": "第二十条第（十）项",
    "art20_11": "第二十条第（十一）项",
    "art20_12": "第二十条第（十二）项",
    "art20_13": "第二十条第（十三）项",
    "art20_14": "第二十条第（十四）项",
    "art20_15": "第二十条第（十五）项",
    "art21_city": "第二十一条",
    "art21_township": "第二十一条",
}


def category_label(code: str):
    return CATEGORIES.get(code, code)


# 体裁分类: the 15 statutory document types (GB/T 9704 / 党政机关公文处理工作条例) and genres local platforms add.
DEFAULT_GENRES = (
    "决议",
    "决定",
    "命令（令）",
    "公报",
    "公告",
    "通告",
    "意见",
    "通知",
    "通报",
    "报告",
    "请示",
    "批复",
    "议案",
    "函",
    "纪要",
    "规划",
    "计划",
    "统计数据",
    "公示公告",
    "政策解读",
    "办事指南",
    "政府信息公开指南",
    "政府信息公开制度",
    "其他",
)

# 主题分类 (国务院公文主题分类 as the gov.cn policy library shows it; rules-china §8.3).
DEFAULT_THEMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "国务院组织机构",
        (
            "国务院",
            "国务院办公厅",
            "国务院组成部门",
            "国务院直属特设机构",
            "国务院直属机构",
            "国务院办事机构",
            "国务院直属事业单位",
            "国务院部委管理的国家局",
            "国务院议事协调机构",
            "其他",
        ),
    ),
    (
        "综合政务",
        ("政务公开", "政务督查", "应急管理", "电子政务", "文秘工作", "保密工作", "信访", "参事、文史", "其他"),
    ),
    (
        "国民经济管理、国有资产监管",
        ("宏观经济", "经济体制改革", "统计", "物价", "国有资产监管", "重大建设项目", "其他"),
    ),
    (
        "财政、金融、审计",
        ("财政", "税务", "银行", "货币（含外汇）", "证券", "保险", "社会信用体系建设", "审计", "其他"),
    ),
    ("国土资源、能源", ("土地", "矿产", "水资源", "海洋", "煤炭", "石油与天然气", "电力", "其他")),
    ("农业、林业、水利", ("农业、畜牧业、渔业", "林业", "水利", "其他")),
    (
        "工业、交通",
        (
            "机械制造与重工业",
            "轻工纺织",
            "化工",
            "国防工业",
            "航天、航空",
            "信息产业（含电信）",
            "公路",
            "水运",
            "铁路",
            "民航",
            "邮政",
            "其他",
        ),
    ),
    ("商贸、海关、旅游", ("对外经贸合作", "国内贸易（含供销）", "海关", "检验、检疫", "旅游", "其他")),
    ("市场监管、安全生产监管", ("工商", "质量监督", "标准", "食品药品监管", "安全生产监管", "其他")),
    (
        "城乡建设、环境保护",
        (
            "城市规划",
            "城乡建设（含住房）",
            "环境监测、保护与治理",
            "节能与资源综合利用",
            "气象、水文、测绘、地震",
            "其他",
        ),
    ),
    ("科技、教育", ("科技", "教育", "知识产权", "其他")),
    ("文化、广电、新闻出版", ("文化", "文物", "新闻出版", "广播、电影、电视", "其他")),
    ("卫生、体育", ("卫生", "医药管理", "体育", "其他")),
    ("人口与计划生育、妇女儿童工作", ("人口与计划生育", "妇女儿童", "其他")),
    ("劳动、人事、监察", ("劳动就业", "社会保障", "人事工作", "军转安置", "监察", "纠正行业不正之风", "其他")),
    ("公安、安全、司法", ("公安", "国家安全", "司法", "其他")),
    ("民政、扶贫、救灾", ("减灾救灾", "优抚安置", "社会福利", "行政区划与地名", "社团管理", "扶贫", "其他")),
    ("民族、宗教", ("民族事务", "宗教事务")),
    ("对外事务", ("外交、外事", "国际条约、国际组织", "其他")),
    ("港澳台侨工作", ("港澳工作", "对台工作", "侨务工作")),
    ("国防", ("国防建设", "国防动员")),
    ("其他", ()),
)


# The articles a 依申请公开 / 不予公开 attribute may rely on: the refusals the reply letters cite (条例 Arts.
# 14–16), plus "other" with its reasons written out.
WITHHOLDING_BASES: tuple[str, ...] = (
    *(o.value for o, info in OUTCOMES.items() if info.is_refusal and o is not Outcome.PARTIAL),
    "other",
)


def basis_label(key: str):
    """The basis in the reader's language, with its article (e.g. 涉及国家秘密（第十四条…))."""
    if key == "other":
        return _l("Other basis (stated in the reasons)")
    try:
        info = OUTCOMES[Outcome(key)]
    except ValueError:
        return key
    return f"{info.label} ({info.citation_label()})"
