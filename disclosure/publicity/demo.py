"""Demo 双公示 data, so that a newcomer's public search finds something: for the first demo agency a matter
catalogue that passed the confidentiality review, the responsibility form and licensing and penalty decisions of
the last months (valid, expired and revoked licences; minor, general and serious penalties, one withdrawn and one
credit-repaired; legal persons, an individual business and natural persons); a little of the same for the second.

Everything goes through the operations with the validator in front, as a clerk's form entry does, so the due
dates, timeliness, publicity periods and audit trail are the real ones. Each record is entered on a day after its
decision (`save_record(entered_on=…)`): on time, late, or still pending and overdue. Idempotent: an agency that
already has a matter catalogue gets nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from disclosure.accounts.models import User
from disclosure.accounts.roles import Role
from disclosure.core.timeutil import today_china
from disclosure.core.validators import ID_CHECK, ID_WEIGHTS, make_credit_code
from disclosure.extensions import db
from disclosure.publicity import operations as ops
from disclosure.publicity.fields import Kind
from disclosure.publicity.models import PublicityCode, PublicityMatter
from disclosure.publicity.rules import add_months, ensure_defaults, load_rules
from disclosure.publicity.validation import RecordValidator, matter_refs, organ_refs

ALL_KINDS = ["legal_person", "individual_business", "natural_person"]
BUSINESSES = ["legal_person", "individual_business"]


def make_resident_id(division: str, birth: dt.date, serial: int) -> str:
    """A resident identity number with its check digit (GB 11643), for demo data and tests."""
    body = f"{division}{birth:%Y%m%d}{serial:03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def _company(org_body: str) -> str:
    return make_credit_code("91", "330100", org_body)


# Counterparts: several names share 建设 or 食品, so a two-character search finds a list.
HONGYUAN = ("示例市宏远建设工程有限公司", _company("MA2C7H1K"), "赵宏远")
CHENGNAN = ("示例市城南建设集团有限公司", _company("MA27QW3E"), "钱立军")
LVYUAN = ("示例市绿源建设工程有限公司", _company("MA2D4L8R"), "孙绿洲")
XIANWEI = ("示例市鲜味食品有限公司", _company("MA2B0X5N"), "李鲜")
HEFENG = ("示例市禾丰食品有限公司", _company("MA28HF6T"), "周禾")
BAIWEI = ("示例市百味食品贸易有限公司", _company("MA2E9B2W"), "吴百川")
XINGGUANG = ("示例市星光广告传媒有限公司", _company("MA2A3G7Y"), "郑星")
HENGTONG = ("示例市恒通物流有限公司", _company("MA29HT4P"), "王恒")
LAOWANG = ("示例市上城区老王小吃店", make_credit_code("92", "330102", "MA2F1W0D"), "王德福")
ZHOU_PERSON = ("周建平", make_resident_id("330102", dt.date(1978, 5, 16), 31))
LI_PERSON = ("李晓燕", make_resident_id("330104", dt.date(1990, 11, 2), 62))
# The second agency's counterparts.
CHENGXIN = ("示例市诚信代理记账有限公司", _company("MA2G5C8J"), "陈诚")
JIANXIN = ("示例市建信财务咨询有限公司", _company("MA2H2J9M"), "林建信")

MATTERS = {
    "demo-gov": [
        ("licensing", "XK-001", "食品经营许可", "《中华人民共和国食品安全法》第三十五条", BUSINESSES),
        ("licensing", "XK-002", "建筑工程施工许可", "《中华人民共和国建筑法》第七条", ["legal_person"]),
        ("licensing", "XK-003", "临时占用城市道路许可", "《城市道路管理条例》第三十一条", ALL_KINDS),
        ("licensing", "XK-004", "户外广告设施设置许可", "《城市市容和环境卫生管理条例》第十一条", BUSINESSES),
        (
            "penalty",
            "CF-001",
            "违反食品安全管理规定的行政处罚",
            "《中华人民共和国食品安全法》第一百二十四条",
            ALL_KINDS,
        ),
        (
            "penalty",
            "CF-002",
            "违反建筑工程施工许可管理规定的行政处罚",
            "《中华人民共和国建筑法》第六十四条",
            BUSINESSES,
        ),
        ("penalty", "CF-003", "违反城市道路管理规定的行政处罚", "《城市道路管理条例》第四十二条", ALL_KINDS),
    ],
    "demo-finance": [
        ("licensing", "XK-101", "代理记账机构设立审批", "《中华人民共和国会计法》第三十六条", ["legal_person"]),
        ("penalty", "CF-101", "违反会计法规定的行政处罚", "《中华人民共和国会计法》第四十二条", ALL_KINDS),
    ],
}

RESPONSIBILITY = {
    "demo-gov": {
        "leader_name": "李卫东",
        "leader_title": "副秘书长",
        "section_name": "政务公开科",
        "person_name": "吴静",
        "person_phone": "0571-12345680",
    },
    "demo-finance": {
        "leader_name": "方建明",
        "leader_title": "副局长",
        "section_name": "法规科",
        "person_name": "罗敏",
        "person_phone": "0571-87654330",
    },
}


def load(objects: dict) -> None:
    if not db.session.execute(select(func.count(PublicityCode.id))).scalar():
        ensure_defaults()  # a database emptied by hand (or a test) has no code lists yet
    gov, finance = objects["agencies"][:2]
    if _catalogue(gov):
        _gov_records(_Entry(gov))
    if _catalogue(finance):
        _finance_records(_Entry(finance))
    db.session.flush()


def _staff(agency, role: Role) -> User:
    email = f"{role.value.replace('_', '-')}@{agency.slug}.example.cn"
    return db.session.execute(select(User).where(User.email == email)).scalar_one()


def _catalogue(agency) -> bool:
    """The agency's matter catalogue, submitted and approved in the confidentiality review, and its
    responsibility form. False when the agency has a catalogue already (the demo ran before)."""
    if db.session.execute(select(PublicityMatter.id).where(PublicityMatter.agency_id == agency.id)).first():
        return False
    for kind, code, name, basis, kinds in MATTERS[agency.slug]:
        ops.save_matter(
            agency,
            {
                "kind": kind,
                "code": code,
                "name": name,
                "legal_basis": basis,
                "counterpart_kinds": kinds,
                "scope": "public",
                "active": True,
            },
        )
    version = ops.submit_catalogue(agency, _staff(agency, Role.CATALOG_EDITOR))
    ops.review_catalogue(
        version, _staff(agency, Role.SECRECY_REVIEWER), approve=True, comment="经保密审查，不涉及国家秘密，同意公开。"
    )
    ops.save_responsibility(agency, RESPONSIBILITY[agency.slug])
    return True


class _Entry:
    """Enters one agency's decisions as its clerk would: the national standard's fields, validated, saved."""

    def __init__(self, agency):
        self.agency = agency
        self.today = today_china()
        self.rules = load_rules()
        self.validators = {
            kind: RecordValidator(
                kind, self.rules, matter_refs(agency.id, kind), organs=organ_refs(agency), today=self.today
            )
            for kind in Kind
        }
        self.departments = {d.name: d.id for d in agency.departments}
        self.serial = {Kind.LICENSING: 0, Kind.PENALTY: 0}

    def days_ago(self, n: int) -> dt.date:
        return self.today - dt.timedelta(days=n)

    def _save(self, kind: Kind, raw: dict, *, decided: int, entered: int | None, department: str):
        result = self.validators[kind].validate(raw)
        if result.errors:  # the demo's own data: a mistake here is a bug, said plainly
            raise AssertionError(f"demo record {raw} is invalid: {result.errors}")
        record, _action = ops.save_record(
            self.agency,
            kind,
            result,
            channel="form",
            publish=entered is not None,
            rules=self.rules,
            department_id=self.departments.get(department),
            entered_on=self.days_ago(entered) if entered is not None else None,
        )
        return record

    def _agency_fields(self, prefix: str) -> dict:
        a = self.agency
        if prefix == "XK":
            return {
                "XK_XKJG": a.full_name,
                "XK_XKJGDM": a.credit_code,
                "XK_LYDW": a.full_name,
                "XK_LYDWDM": a.credit_code,
            }
        return {"CF_CFJG": a.full_name, "CF_CFJGDM": a.credit_code, "CF_SJLY": a.full_name, "CF_SJLYDM": a.credit_code}

    def _counterpart(self, prefix: str, who: tuple) -> dict:
        p = prefix
        if len(who) == 2:  # a natural person: name and resident identity number
            return {f"{p}_XDR_MC": who[0], f"{p}_XDR_LB": "自然人", f"{p}_XDR_ZJLX": "身份证", f"{p}_XDR_ZJHM": who[1]}
        name, code, rep = who
        category = "个体工商户" if code.startswith("92") else "法人及非法人组织"
        return {f"{p}_XDR_MC": name, f"{p}_XDR_LB": category, f"{p}_XDR_SHXYM": code, f"{p}_FRDB": rep}

    def licence(
        self,
        who: tuple,
        matter: str,
        *,
        document: str,
        content: str,
        decided: int,
        entered: int | None,
        valid_days: int | None = None,
        certificate: str = "",
        number: str = "",
        department: str = "综合科",
    ):
        self.serial[Kind.LICENSING] += 1
        decision = self.days_ago(decided)
        raw = {
            **self._counterpart("XK", who),
            "XK_XKWS": document,
            "XK_WSH": f"{self.prefix}许〔{decision.year}〕{self.serial[Kind.LICENSING]:03d}号",
            "XK_XKLB": "普通",
            "XK_XKZS": certificate,
            "XK_XKBH": number,
            "XK_NR": content,
            "XK_JDRQ": decision.isoformat(),
            "XK_YXQZ": decision.isoformat(),
            "XK_YXQZI": (decision + dt.timedelta(days=valid_days)).isoformat() if valid_days else "2099-12-31",
            "XK_ZT": "1",
            **self._agency_fields("XK"),
            "MATTER": matter,
        }
        return self._save(Kind.LICENSING, raw, decided=decided, entered=entered, department=department)

    def penalty(
        self,
        who: tuple,
        matter: str,
        *,
        violation: str,
        facts: str,
        basis: str,
        categories: str,
        content: str,
        decided: int,
        entered: int | None,
        fine: str = "",
        confiscated: str = "",
        severity: str = "一般",
        simplified: bool = False,
        publicity_end_months: int | None = None,
        department: str = "法规科",
    ):

        self.serial[Kind.PENALTY] += 1
        decision = self.days_ago(decided)
        raw = {
            **self._counterpart("CF", who),
            "CF_WSH": f"{self.prefix}罚〔{decision.year}〕{self.serial[Kind.PENALTY]:03d}号",
            "CF_WFXW": violation,
            "CF_SY": facts,
            "CF_YJ": basis,
            "CF_CFLB": categories,
            "CF_NR": content,
            "CF_NR_FK": fine,
            "CF_NR_WFFF": confiscated,
            "CF_JDRQ": decision.isoformat(),
            "CF_YXQ": "2099-12-31",
            "CF_GSJZQ": add_months(decision, publicity_end_months).isoformat() if publicity_end_months else "",
            **self._agency_fields("CF"),
            "MATTER": matter,
            "SEVERITY": severity,
            "SIMPLIFIED": "是" if simplified else "否",
        }
        return self._save(Kind.PENALTY, raw, decided=decided, entered=entered, department=department)

    @property
    def prefix(self) -> str:
        return "示政办" if self.agency.slug == "demo-gov" else "示财"


def _gov_records(e: _Entry) -> None:
    food, building, road, advert = "食品经营许可", "建筑工程施工许可", "临时占用城市道路许可", "户外广告设施设置许可"
    food_pen, building_pen, road_pen = (
        "违反食品安全管理规定的行政处罚",
        "违反建筑工程施工许可管理规定的行政处罚",
        "违反城市道路管理规定的行政处罚",
    )
    # Licences: valid (one long-term), expired, revoked; on time, late and one still waiting to be published.
    e.licence(
        XIANWEI,
        food,
        document="食品经营许可决定书",
        content="准予食品经营许可，经营项目：预包装食品销售（含冷藏冷冻食品）、散装食品销售。",
        certificate="食品经营许可证",
        number="JY13301020012345",
        decided=170,
        entered=166,
        valid_days=5 * 365,
    )
    e.licence(
        LAOWANG,
        food,
        document="食品经营许可决定书",
        content="准予食品经营许可，经营项目：热食类食品制售、冷食类食品制售。",
        certificate="食品经营许可证",
        number="JY23301020023456",
        decided=75,
        entered=60,  # entered two weeks after the decision: late
        valid_days=5 * 365,
    )
    e.licence(
        HEFENG,
        food,
        document="食品经营许可决定书",
        content="准予食品经营许可，经营项目：预包装食品销售、保健食品销售。",
        certificate="食品经营许可证",
        number="JY13301020034567",
        decided=38,
        entered=35,
        valid_days=5 * 365,
    )
    e.licence(
        HONGYUAN,
        building,
        document="建筑工程施工许可决定书",
        content="准予示例市滨江路综合管廊工程（二期）施工许可，建设规模12000平方米。",
        certificate="建筑工程施工许可证",
        number="330101202604150101",
        decided=120,
        entered=118,
    )
    e.licence(
        CHENGNAN,
        building,
        document="建筑工程施工许可决定书",
        content="准予示例市城南安置房三期工程施工许可，建设规模86000平方米。",
        certificate="建筑工程施工许可证",
        number="330101202611100102",
        decided=6,
        entered=4,
    )
    e.licence(  # a temporary permit whose month has run: shown as expired
        LVYUAN,
        road,
        document="临时占用城市道路许可决定书",
        content="准予临时占用人民大道东侧人行道（长30米、宽3米）堆放施工材料，期限30日。",
        decided=100,
        entered=98,
        valid_days=30,
    )
    e.licence(
        ZHOU_PERSON,
        road,
        document="临时占用城市道路许可决定书",
        content="准予临时占用幸福路12号门前人行道（长8米、宽2米）用于房屋修缮，期限15日。",
        decided=12,
        entered=9,
        valid_days=15,
    )
    sign = e.licence(
        XINGGUANG,
        advert,
        document="户外广告设施设置许可决定书",
        content="准予在人民大道与解放路交叉口东北角设置单立柱户外广告设施一座，面积48平方米。",
        decided=62,
        entered=58,
        valid_days=365,
    )
    ops.revoke_licence(sign, reason="被许可人擅自改变广告设施的位置和规格，经责令限期改正逾期未改正，依法撤销该许可。")
    e.licence(  # still waiting to be published: overdue
        BAIWEI,
        food,
        document="食品经营许可决定书",
        content="准予食品经营许可，经营项目：预包装食品销售、散装食品销售。",
        certificate="食品经营许可证",
        number="JY13301020045678",
        decided=20,
        entered=None,
        valid_days=5 * 365,
    )

    # Penalties of each severity.
    e.penalty(  # simplified procedure: collected and reported, never public
        LI_PERSON,
        road_pen,
        violation="擅自占用城市道路摆摊经营",
        facts="当事人于人民大道东侧人行道擅自摆摊经营，占用道路面积约2平方米，经劝阻后当场自行清理。",
        basis="《城市道路管理条例》第四十二条",
        categories="警告",
        content="当场给予警告。",
        decided=24,
        entered=24,
        severity="轻微",
        simplified=True,
    )
    e.penalty(
        XIANWEI,
        food_pen,
        violation="销售超过保质期的食品",
        facts="经查，当事人于门店销售超过保质期的预包装饮料12瓶，货值金额156元。",
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
        categories="警告;罚款;没收违法所得",
        content="警告，没收违法所得156元，并处罚款5000元。",
        fine="0.5",
        confiscated="0.0156",
        decided=90,
        entered=87,
    )
    e.penalty(
        BAIWEI,
        food_pen,
        violation="未按规定查验进货凭证",
        facts="经查，当事人采购散装食品未查验供货者的许可证和食品出厂检验合格证，涉及散装糕点三批次。",
        basis="《中华人民共和国食品安全法》第一百二十六条第一款第（三）项",
        categories="罚款",
        content="罚款5000元。",
        fine="0.5",
        decided=30,
        entered=27,
        publicity_end_months=6,  # the agency's own 公示截止期, earlier than the severity's maximum
    )
    e.penalty(
        LAOWANG,
        food_pen,
        violation="从业人员未取得健康证明从事接触直接入口食品的工作",
        facts="经查，当事人安排两名未取得健康证明的人员从事热食类食品制作。",
        basis="《中华人民共和国食品安全法》第一百二十六条第一款第（六）项",
        categories="警告;罚款",
        content="警告，并处罚款3000元。",
        fine="0.3",
        decided=35,
        entered=16,  # entered late
    )
    e.penalty(
        ZHOU_PERSON,
        road_pen,
        violation="未按批准的期限占用城市道路",
        facts="当事人临时占用城市道路许可期满后，继续占用幸福路12号门前人行道堆放建筑材料8日。",
        basis="《城市道路管理条例》第四十二条第（三）项",
        categories="罚款",
        content="罚款2000元，责令限期清除占道物品。",
        fine="0.2",
        decided=9,
        entered=7,
    )
    e.penalty(
        CHENGNAN,
        building_pen,
        violation="未取得施工许可证擅自施工",
        facts="经查，当事人在未取得建筑工程施工许可证的情况下，擅自开工建设城南商业综合体项目，合同价款3200万元。",
        basis="《中华人民共和国建筑法》第六十四条；《建筑工程施工许可管理办法》第十二条",
        categories="罚款;责令停产停业",
        content="责令停止施工，限期改正，并处工程合同价款1%的罚款32万元。",
        fine="32",
        decided=50,
        entered=46,
        severity="严重",
    )
    repaired = e.penalty(
        HENGTONG,
        road_pen,
        violation="车辆载物撒漏污染城市道路",
        facts="当事人所属货运车辆在运输砂石途中沿途撒漏，污染城市道路约500米。",
        basis="《城市道路管理条例》第四十二条",
        categories="罚款",
        content="罚款8000元，责令清除污染。",
        fine="0.8",
        decided=200,
        entered=197,
    )
    ops.repair_record(
        repaired,
        basis="当事人已全额缴纳罚款并完成整改，公示满三个月后申请信用修复，经审核符合《信用修复管理办法》规定的条件。",
    )
    withdrawn = e.penalty(
        HEFENG,
        food_pen,
        violation="食品标签不符合规定",
        facts="经查，当事人销售的预包装食品标签未标注生产者联系方式。",
        basis="《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
        categories="罚款",
        content="罚款6000元。",
        fine="0.6",
        decided=64,
        entered=61,
    )
    ops.withdraw_record(
        withdrawn,
        withdrawal_kind="revoked",
        reason="经行政复议，示例市人民政府以事实不清为由撤销该处罚决定（示政复决〔2026〕15号）。",
        changed_on=e.days_ago(2),
    )
    e.penalty(
        LVYUAN,
        building_pen,
        violation="施工现场未采取扬尘防治措施",
        facts="经查，当事人施工现场裸露土方未覆盖，出入口未设置车辆冲洗设施。",
        basis="《中华人民共和国大气污染防治法》第一百一十五条",
        categories="罚款",
        content="罚款2万元，责令限期改正。",
        fine="2",
        decided=3,
        entered=1,
    )
    e.penalty(  # decided three weeks ago and not published yet: overdue
        HONGYUAN,
        building_pen,
        violation="未按照施工许可载明的范围施工",
        facts="经查，当事人超出施工许可证载明的建设规模擅自增加地下一层施工。",
        basis="《中华人民共和国建筑法》第六十四条",
        categories="罚款",
        content="罚款10万元，责令限期改正。",
        fine="10",
        decided=21,
        entered=None,
    )


def _finance_records(e: _Entry) -> None:
    e.licence(
        CHENGXIN,
        "代理记账机构设立审批",
        document="代理记账许可决定书",
        content="准予从事代理记账业务。",
        certificate="代理记账许可证书",
        number="DLJZ33010020260042",
        decided=44,
        entered=41,
        department="法规科",
    )
    e.penalty(
        JIANXIN,
        "违反会计法规定的行政处罚",
        violation="未经批准从事代理记账业务",
        facts="经查，当事人未取得代理记账许可证书，为12家企业提供代理记账服务，违法所得1.8万元。",
        basis="《代理记账管理办法》第二十三条",
        categories="警告;罚款;没收违法所得",
        content="警告，没收违法所得1.8万元，并处罚款5万元。",
        fine="5",
        confiscated="1.8",
        decided=15,
        entered=12,
    )
