"""Login attempts are rate limited per address (Flask-Limiter), on top of the per-account lockout."""


def test_login_rate_limit(app):
    from disclosure import create_app
    from disclosure.extensions import limiter

    limited = create_app({**app.config, "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    try:
        _check(limited)
    finally:
        limiter.enabled = app.config["RATELIMIT_ENABLED"]  # the extension object is shared by both apps


def _check(limited):
    c = limited.test_client()
    codes = [c.post("/login", data={"email": "x@example.cn", "password": "nope"}).status_code for _ in range(21)]
    assert codes[:20] == [200] * 20
    assert codes[20] == 429
    body = c.post("/login", data={"email": "x@example.cn", "password": "nope"}).get_data(as_text=True)
    assert "尝试次数过多" in body
    from disclosure.extensions import db

    with limited.app_context():
        db.engine.dispose()
