"""What the figures read, as `core.changes` watches it: for every table a registered measure reads, the agencies
whose figures a change of one of its rows can change, so that the figures kept per agency and period (`store.py`)
are used only while nothing they count has changed (issue 14, Benchmarks: pre-aggregation kept exact).

A row concerns the agency it belongs to and, where a figure of another agency reads it, that agency too:
- a catalogue entry, version, issuer row or link concerns the entry's lead and joint issuers and those of the
  entries linked to it either way (an interpretation is late or on time by the date of the document it interprets,
  which may be another agency's; a document misses its interpretation until one of any agency is public);
- an applicant's rating concerns the agency of the case, a notice's round the agency of the notice;
- the working-day calendar, the catalogue's settings (an agency's interpretation window decides the lateness of
  other agencies' interpretations of its documents) and the deployment's column defaults and thresholds concern
  every agency (`changes.EVERY_AGENCY`): they change a few times a year.
The rollups the figures read (`rollup_*`) are kept from watched tables. `tests/supervision/test_figure_store.py`
checks that every table the measures read is watched here or derived from watched ones.
"""

from __future__ import annotations

from disclosure.core.changes import EVERY_AGENCY, Watch, Who, watch

OWN = (Who("{r}.agency_id"),)
EVERYONE = (Who(str(EVERY_AGENCY)),)


def _entry(entry_id: str) -> tuple[Who, ...]:
    """The issuers of entry `entry_id` (SQL over the row) and of every entry linked to it, either way."""
    linked = (
        ("catalog_links l", f"l.target_id = {entry_id}", "l.source_id"),
        ("catalog_links l", f"l.source_id = {entry_id}", "l.target_id"),
    )
    return (
        Who("e.agency_id", "catalog_entries e", f"e.id = {entry_id}"),
        Who("i.agency_id", "catalog_entry_issuers i", f"i.entry_id = {entry_id}"),
        *(Who("e.agency_id", f"{links}, catalog_entries e", f"{on} AND e.id = {other}") for links, on, other in linked),
        *(
            Who("i.agency_id", f"{links}, catalog_entry_issuers i", f"{on} AND i.entry_id = {other}")
            for links, on, other in linked
        ),
    )


WATCHES = (
    Watch("agencies", (Who("{r}.id"),)),
    Watch("applications", OWN),
    Watch("application_remedies", OWN),
    Watch("application_ratings", (Who("a.agency_id", "applications a", "a.id = {r}.application_id"),)),
    Watch("publicity_records", OWN),
    Watch("catalog_entries", (Who("{r}.agency_id"), *_entry("{r}.id"))),
    Watch("catalog_versions", _entry("{r}.entry_id")),
    Watch("catalog_entry_issuers", (Who("{r}.agency_id"), *_entry("{r}.entry_id"))),
    Watch("catalog_search_issuers", (Who("{r}.agency_id"), *_entry("{r}.entry_id"))),
    Watch("catalog_links", (*_entry("{r}.source_id"), *_entry("{r}.target_id"))),
    Watch("catalog_settings", EVERYONE),
    Watch("participation_consultations", OWN),
    Watch("participation_comments", OWN),
    Watch("annual_reports", OWN),
    Watch("report_settings", OWN),
    Watch("supervision_notices", OWN),
    Watch("supervision_notice_rounds", (Who("n.agency_id", "supervision_notices n", "n.id = {r}.notice_id"),)),
    Watch("supervision_survey_responses", OWN),
    Watch("supervision_column_settings", OWN),
    Watch("supervision_column_defaults", EVERYONE),
    Watch("supervision_column_thresholds", EVERYONE),
    Watch("workday_overrides", EVERYONE),
    Watch("workday_notices", EVERYONE),
    Watch("workday_calendar_state", EVERYONE),
)
watch(*WATCHES)

# Tables the figures read that are counted from watched ones (never changed otherwise).
DERIVED = ("rollup_months", "rollup_years", "rollup_deltas")
