"""The platform's 政府信息公开年报 column links to each agency's published annual reports (issue 13)."""


def test_platform_links_the_annual_reports(client, make_agency):
    agency = make_agency()
    with client.session_transaction() as s:
        s["lang"] = "en"
    page = client.get(f"/catalog/{agency.slug}/")
    assert page.status_code == 200, page.status_code
    assert f"/catalog/{agency.slug}/annual-reports" in page.text
    home = client.get("/catalog/")
    assert f"/catalog/{agency.slug}/annual-reports" in home.text
