"""The JSON API for business systems: licensing and law-enforcement systems push their decisions.

`POST /api/v1/publicity/licensing` and `POST /api/v1/publicity/penalties` take one record (an object keyed by the
standard's field codes, plus MATTER, and for penalties SEVERITY and SIMPLIFIED) or a batch (`{"records": [...]}`)
and answer per record with `created` / `updated` / `unchanged` or the list of errors (field, message). The same
validator as the form and the import decides (rules-china §5.2, §6). The token names the agency.
"""

from __future__ import annotations

from apiflask import APIBlueprint, Schema
from apiflask.fields import Boolean, Date, Decimal, List, Nested, String
from flask import Flask, request
from flask_babel import gettext as _

from disclosure.accounts.models import Agency
from disclosure.api import current_token, require_scope, token_auth
from disclosure.core.errors import DomainError
from disclosure.core.timeutil import today_china
from disclosure.extensions import csrf, db
from disclosure.publicity.fields import BY_CODE, FIELDS, FieldType, Kind
from disclosure.publicity.operations import DueDates, save_record
from disclosure.publicity.rules import load_rules
from disclosure.publicity.validation import RecordValidator, field_label, matter_refs, organ_refs

MAX_BATCH = 1000
SCOPE = "publicity:write"
RESPONSES = {
    201: "created (single record)",
    200: "per-record results",
    400: "malformed request",
    401: "missing or invalid token",
    403: "token without the publicity:write scope",
    413: "batch too large",
    422: "the single record was rejected",
}

bp = APIBlueprint("publicity_api", __name__, url_prefix="/api/v1/publicity", tag="Double publicity")

_TYPES = {FieldType.DATE: Date, FieldType.AMOUNT: Decimal}


def _body_schema(kind: Kind) -> type[Schema]:
    """The request body as the OpenAPI document declares it: one record keyed by the standard's field codes
    (with MATTER, and SEVERITY and SIMPLIFIED for penalties), or `{"records": [...]}` for a batch. Documentation
    only: `_push` reads and answers bodies itself, with the same validator as the form and the import."""
    fields = {
        f.code: _TYPES.get(f.type, String)(required=False, allow_none=True, metadata={"description": f.label})
        for f in FIELDS[kind]
    }
    fields["MATTER"] = String(metadata={"description": "事项名称 or 事项编码 of the agency's catalogue"})
    if kind is Kind.PENALTY:
        fields["SEVERITY"] = String(metadata={"description": "严重程度: 轻微, 一般 or 严重"})
        fields["SIMPLIFIED"] = Boolean(metadata={"description": "简易程序"})
    record = Schema.from_dict(fields, name=f"Publicity{kind.value.title()}Record")
    batch = {**fields, "records": List(Nested(record), metadata={"description": f"a batch of up to {MAX_BATCH}"})}
    return Schema.from_dict(batch, name=f"Publicity{kind.value.title()}Body")


def _documented_body(kind: Kind):
    """Declare the body in the OpenAPI document (apiflask's input) without its parsing: the view keeps reading
    the raw JSON, so a malformed body is answered as before."""

    def decorate(view):
        bp.input(_body_schema(kind), arg_name="body", validation=False)(view)  # annotates view._spec only
        return view

    return decorate


def _push(kind: Kind):
    body = request.get_json(silent=True)
    single = isinstance(body, dict) and "records" not in body
    items = [body] if single else (body.get("records") if isinstance(body, dict) else body)
    if not isinstance(items, list) or not items:
        return {"error": _('Send one record as a JSON object, or {"records": [...]} for a batch.')}, 400
    if len(items) > MAX_BATCH:
        return {"error": _("A batch holds at most %(n)d records.", n=MAX_BATCH)}, 413
    results = push_records(kind, current_token().agency_id, items)
    accepted = sum(1 for r in results if r["status"] != "rejected")
    payload = {"accepted": accepted, "rejected": len(results) - accepted, "results": results}
    if single:
        return payload, {"created": 201, "updated": 200, "unchanged": 200}.get(results[0]["status"], 422)
    return payload, 200


@bp.post("/licensing")
@bp.auth_required(token_auth)
@_documented_body(Kind.LICENSING)
@bp.doc(summary="Push licensing decisions (XK_* field codes)", responses=RESPONSES)
@require_scope(SCOPE)
def licensing():
    return _push(Kind.LICENSING)


@bp.post("/penalties")
@bp.auth_required(token_auth)
@_documented_body(Kind.PENALTY)
@bp.doc(summary="Push penalty decisions (CF_* field codes, SEVERITY, SIMPLIFIED)", responses=RESPONSES)
@require_scope(SCOPE)
def penalties():
    return _push(Kind.PENALTY)


def push_records(kind: Kind, agency_id: int, items: list) -> list[dict]:
    """Validate and store each record on its own savepoint: a bad record never costs a good one."""

    agency = db.session.get(Agency, agency_id)
    rules = load_rules()
    validator = RecordValidator(
        kind, rules, matter_refs(agency_id, kind), organs=organ_refs(agency), today=today_china()
    )
    due_dates = DueDates(int(rules.setting("due_working_days")))
    results = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            results.append(
                {
                    "index": index,
                    "status": "rejected",
                    "errors": [
                        {"field": "", "label": "", "message": _("A record is a JSON object keyed by field codes.")}
                    ],
                }
            )
            continue
        # A field is text or a number: an object, a list or true/false is refused, never published as its text.
        wrong = [
            k
            for k, v in item.items()
            if v is not None and (isinstance(v, bool) or not isinstance(v, str | int | float))
        ]
        if wrong:
            results.append(
                {
                    "index": index,
                    "status": "rejected",
                    "errors": [
                        {
                            "field": k,
                            "label": field_label(kind, k) if k in BY_CODE[kind] else "",
                            "message": _("Give this field as text or a number."),
                        }
                        for k in wrong
                    ],
                }
            )
            continue
        result = validator.validate(dict(item))
        if result.values is not None and result.values["decision_key"] in seen:
            result.values, result.errors = (
                None,
                [
                    (
                        f"{'XK' if kind is Kind.LICENSING else 'CF'}_WSH",
                        _("The decision number is repeated in this batch."),
                    )
                ],
            )
        if result.values is None:
            results.append(
                {
                    "index": index,
                    "status": "rejected",
                    "errors": [
                        {"field": c, "label": field_label(kind, c) if c else "", "message": m} for c, m in result.errors
                    ],
                }
            )
            continue
        seen.add(result.values["decision_key"])
        try:
            with db.session.begin_nested():
                record, action = save_record(agency, kind, result, channel="api", rules=rules, due_dates=due_dates)
        except DomainError as exc:  # e.g. a decision date outside the working-day calendar
            results.append(
                {
                    "index": index,
                    "status": "rejected",
                    "errors": [
                        {
                            "field": exc.field or "",
                            "label": field_label(kind, exc.field) if exc.field else "",
                            "message": str(exc.message),
                        }
                    ],
                }
            )
            continue
        results.append(
            {
                "index": index,
                "status": action,
                "id": record.id,
                "decision_no": record.decision_no,
                "publicity_status": record.status,
            }
        )
    return results


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    csrf.exempt(bp)  # bearer token, no cookie: CSRF does not apply
