def test_home_page_renders_in_chinese_by_default(client):
    resp = client.get("/")
    assert resp.status_code == 200
    body = resp.get_data(as_text=True)
    assert 'lang="zh-CN"' in body


def test_health(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_security_headers(client):
    resp = client.get("/")
    assert "default-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Frame-Options"] == "DENY"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def test_the_home_page_promises_only_what_exists(client):
    """The home page offers what exists: filing a request, and the proactive-disclosure platform it links to."""
    body = client.get("/").get_data(as_text=True)
    assert "申请获取政府信息" in body and 'href="/catalog/"' in body
    assert client.get("/catalog/").status_code == 200
