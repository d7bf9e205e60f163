"""Validation by counterpart category, check digits, dates, amounts and code lists (rules-china §5.2, §5.3, §6),
each rule with its exact message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from disclosure.core.timeutil import today_china
from disclosure.core.validators import USCC_CHARS, ValidationError, validate_resident_id, validate_uscc
from tests.factories import REAL_IDS, REAL_USCC, licensing_raw, penalty_raw


@pytest.mark.parametrize("code", REAL_USCC)
def test_real_credit_codes_pass_and_every_single_character_change_is_caught(code):
    assert validate_uscc(code) == code
    for pos in range(18):
        for c in USCC_CHARS:
            if c == code[pos]:
                continue
            mutated = code[:pos] + c + code[pos + 1 :]
            with pytest.raises(ValidationError):
                validate_uscc(mutated)


@pytest.mark.parametrize("idno", REAL_IDS)
def test_real_identity_numbers_pass_and_every_single_digit_change_is_caught(idno):
    assert validate_resident_id(idno) == idno
    for pos in range(18):
        for c in "0123456789X" if pos == 17 else "0123456789":
            if c == idno[pos]:
                continue
            with pytest.raises(ValidationError):
                validate_resident_id(idno[:pos] + c + idno[pos + 1 :])


def _errors(result):
    return [(code, str(msg)) for code, msg in result.errors]


def test_valid_penalty_and_licence(validator, pub, en):
    r = validator("penalty").validate(penalty_raw(pub))
    assert r.errors == [] and r.values["fine_amount"] == Decimal("0.2")
    assert r.values["penalty_categories"] == "警告;罚款" and r.values["severity"] == "general"
    r = validator("licensing").validate(licensing_raw(pub))
    assert r.errors == [] and r.values["licence_state"] == "1"


def test_digest_is_that_of_stored_records_and_errors_come_in_field_order(validator, pub, en):
    """The digest an import compares is the one records carry (sha1 of the values' repr), whatever the order of
    the file's columns; field errors are listed in the standard's field order."""
    import hashlib

    raw = penalty_raw(pub)
    r = validator("penalty").validate(raw)
    hashed = tuple((k, v) for k, v in r.values.items() if k != "decision_key")  # the key is derived from the number
    assert r.content_hash == hashlib.sha1(repr(hashed).encode(), usedforsecurity=False).hexdigest()
    assert validator("penalty").validate(dict(reversed(raw.items()))).content_hash == r.content_hash
    bad = dict(reversed(penalty_raw(pub, CF_NR_FK="a lot", CF_JDRQ="soon").items()))
    assert [code for code, _m in validator("penalty").validate(bad).errors][:2] == ["CF_NR_FK", "CF_JDRQ"]


def test_legal_person_needs_a_valid_credit_code(validator, pub, en):
    v = validator("penalty")
    assert _errors(v.validate(penalty_raw(pub, CF_XDR_SHXYM=""))) == [
        ("CF_XDR_SHXYM", "Required: this field is empty.")
    ]
    bad = REAL_USCC[0][:17] + ("0" if REAL_USCC[0][17] != "0" else "1")
    assert _errors(v.validate(penalty_raw(pub, CF_XDR_SHXYM=bad))) == [
        ("CF_XDR_SHXYM", "The check character of the credit code is wrong.")
    ]
    assert _errors(v.validate(penalty_raw(pub, CF_XDR_SHXYM="12345"))) == [
        ("CF_XDR_SHXYM", "A unified social credit code has 18 characters.")
    ]


def test_legal_person_needs_its_legal_representative(validator, pub, en):
    assert _errors(validator().validate(penalty_raw(pub, CF_FRDB=None))) == [
        ("CF_FRDB", "Required: this field is empty.")
    ]


def test_individual_business_placeholder_needs_registration_number(validator, pub, en):
    v = validator()
    raw = penalty_raw(pub, CF_XDR_LB="个体工商户", CF_XDR_SHXYM="00000000000000000X", CF_FRDB=None)
    assert _errors(v.validate(raw)) == [
        ("CF_XDR_GSZC", "With the placeholder credit code, the business registration number is required.")
    ]
    raw["CF_XDR_GSZC"] = "330106600123456"
    assert v.validate(raw).errors == []
    assert _errors(v.validate(penalty_raw(pub, CF_XDR_SHXYM="00000000000000000X"))) == [
        ("CF_XDR_SHXYM", "The placeholder credit code is accepted only for an individual business.")
    ]


def test_natural_person_needs_a_valid_document(validator, pub, en):
    v = validator()
    person = {"CF_XDR_LB": "自然人", "CF_XDR_SHXYM": None, "CF_FRDB": None, "CF_XDR_MC": "王五"}
    assert _errors(v.validate(penalty_raw(pub, **person))) == [
        ("CF_XDR_ZJLX", "Required: this field is empty."),
        ("CF_XDR_ZJHM", "Required: this field is empty."),
    ]
    ok = v.validate(penalty_raw(pub, **person, CF_XDR_ZJLX="身份证", CF_XDR_ZJHM=REAL_IDS[0].lower()))
    assert ok.errors == [] and ok.values["doc_no"] == REAL_IDS[0]
    bad = v.validate(penalty_raw(pub, **person, CF_XDR_ZJLX="身份证", CF_XDR_ZJHM="11010519491231002Y"))
    assert _errors(bad) == [("CF_XDR_ZJHM", "A resident identity number has 17 digits followed by a digit or X.")]
    bad = v.validate(penalty_raw(pub, **person, CF_XDR_ZJLX="身份证", CF_XDR_ZJHM="110105194912310021"))
    assert _errors(bad) == [("CF_XDR_ZJHM", "The check digit of the identity number is wrong.")]
    passport = v.validate(penalty_raw(pub, **person, CF_XDR_ZJLX="护照号", CF_XDR_ZJHM="E12345678"))
    assert passport.errors == []
    with_code = v.validate(
        penalty_raw(pub, **{**person, "CF_XDR_SHXYM": REAL_USCC[0]}, CF_XDR_ZJLX="护照号", CF_XDR_ZJHM="E12345678")
    )
    assert _errors(with_code) == [
        ("CF_XDR_SHXYM", "A natural person has no credit code; give the identity document instead.")
    ]


def test_agency_and_source_codes_are_checked(validator, pub, en):
    r = validator().validate(penalty_raw(pub, CF_CFJGDM="11330100MB0000000X", CF_SJLYDM=""))
    codes = [c for c, _m in r.errors]
    assert "CF_CFJGDM" in codes and ("CF_SJLYDM", "Required: this field is empty.") in _errors(r)


def test_dates_are_coherent(validator, pub, en):
    v = validator("licensing")
    tomorrow = (today_china() + dt.timedelta(days=2)).isoformat()
    assert ("XK_JDRQ", "The decision date cannot be in the future.") in _errors(
        v.validate(licensing_raw(pub, XK_JDRQ=tomorrow))
    )
    assert _errors(v.validate(licensing_raw(pub, XK_YXQZ="2030-01-01", XK_YXQZI="2029-12-31"))) == [
        ("XK_YXQZI", "The validity end is before its start.")
    ]
    assert _errors(v.validate(licensing_raw(pub, XK_YXQZI="31/12/2030"))) == [
        ("XK_YXQZI", "31/12/2030 is not a date (use YYYY-MM-DD).")
    ]
    for accepted in ("2099/12/31", "20991231", "2099年12月31日", dt.datetime(2099, 12, 31)):
        r = v.validate(licensing_raw(pub, XK_YXQZI=accepted))
        assert r.errors == [] and r.values["valid_to"] == dt.date(2099, 12, 31)
    assert _errors(v.validate(licensing_raw(pub, XK_YXQZI="2100-01-01"))) == [
        ("XK_YXQZI", "The date must be between 1949-10-01 and 2099-12-31.")
    ]


def test_amounts_in_wan_yuan(validator, pub, en):
    v = validator()
    assert v.validate(penalty_raw(pub, CF_NR_FK="1.123456")).errors == []
    assert _errors(v.validate(penalty_raw(pub, CF_NR_FK="1.1234567"))) == [
        ("CF_NR_FK", "The amount has more than six decimals (the unit is 万元).")
    ]
    assert _errors(v.validate(penalty_raw(pub, CF_NR_FK="两千"))) == [("CF_NR_FK", "两千 is not an amount in 万元.")]
    assert _errors(v.validate(penalty_raw(pub, CF_NR_FK="-1"))) == [
        ("CF_NR_FK", "The amount must be between 0 and 100,000,000 万元.")
    ]
    assert _errors(v.validate(penalty_raw(pub, CF_NR_FK=None))) == [
        ("CF_NR_FK", "A fine was imposed: give the fine amount in 万元.")
    ]


def test_codes_come_from_the_code_lists(validator, pub, en):
    assert _errors(validator().validate(penalty_raw(pub, CF_CFLB="罚款;打板子"))) == [
        ("CF_CFLB", "打板子 is not in the code list.")
    ]
    assert _errors(validator("licensing").validate(licensing_raw(pub, XK_ZT="有效"))) == []
    assert _errors(validator("licensing").validate(licensing_raw(pub, XK_ZT="3"))) == [
        ("XK_ZT", "3 is not in the code list.")
    ]
    assert _errors(validator().validate(penalty_raw(pub, CF_XDR_LB="企业"))) == [
        ("CF_XDR_LB", "企业 is not in the code list.")
    ]


def test_matter_of_the_catalogue(validator, pub, en):
    assert _errors(validator().validate(penalty_raw(pub, MATTER="不存在的事项"))) == [
        ("MATTER", "The matter 不存在的事项 is not in this agency's catalogue.")
    ]
    # The only penalty matter is used when the row names none.
    assert validator().validate(penalty_raw(pub, MATTER=None)).errors == []


def test_minor_and_simplified(validator, pub, en):
    v = validator()
    r = v.validate(penalty_raw(pub, CF_CFLB="警告", CF_NR_FK=None))
    assert r.values["severity"] == "minor"
    r = v.validate(penalty_raw(pub, SIMPLIFIED="是", SEVERITY="严重"))
    assert _errors(r) == [("SEVERITY", "A simplified-procedure penalty, a warning or a public criticism is minor.")]
    r = v.validate(penalty_raw(pub, SEVERITY="严重"))
    assert r.values["severity"] == "serious"
    assert _errors(v.validate(penalty_raw(pub, SIMPLIFIED="也许"))) == [
        ("SIMPLIFIED", "Simplified procedure: answer 是 or 否.")
    ]


def test_text_limits_and_control_characters(validator, pub, en):
    v = validator()
    assert _errors(v.validate(penalty_raw(pub, CF_XDR_MC="名" * 201))) == [
        ("CF_XDR_MC", "The text is longer than 200 characters.")
    ]
    assert _errors(v.validate(penalty_raw(pub, CF_XDR_MC="公司\x00"))) == [
        ("CF_XDR_MC", "The text contains control characters.")
    ]
