"""Issue 10: the applicant's page of an answered case says what was decided — each item's outcome in words, the
information provided (downloadable) and the remedies with their time limits, as the reply letter states them."""

from __future__ import annotations

from disclosure.extensions import db
from tests.factories import issue_partial


def test_the_applicant_sees_what_the_reply_decided(world, filed, client, login):
    before = None
    login(client, world.citizen)
    before = client.get(f"/my/applications/{filed.reference}").get_data(as_text=True)
    assert 'id="result-h"' not in before  # nothing decided yet
    issue_partial(world, filed)
    db.session.commit()
    page = client.get(f"/my/applications/{filed.reference}").get_data(as_text=True)
    result = page[page.index('id="result-h"') : page.index("</section>", page.index('id="result-h"'))]
    assert "予以公开" in result and "部分公开" in result  # the outcome labels, in words
    assert "投标人报价明细" in result  # what was withheld
    # the redacted version, downloadable from the page
    link = result[result.index("/files/") :]
    link = "/my/applications/" + filed.reference + link[: link.index('"')]
    assert client.get(link).status_code == 200
    # the remedies as the letter words them: the partial refusal goes to reconsideration first, the rest ordinary
    assert "应当先自收到本答复之日起六十日内" in result and "六个月内" in result
    assert world.agency.reconsideration_body in result
