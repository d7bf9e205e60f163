"""Configuration defaults. Everything secret or deployment-specific comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT_DIR = PACKAGE_DIR.parent


def _resource_dir(name: str) -> Path:
    """`templates/` and `letters/` sit at the repository root in a checkout and inside the
    package (hatchling force-include) in an installed wheel."""
    checkout = ROOT_DIR / name
    if checkout.is_dir():
        return checkout
    return PACKAGE_DIR / f"_{name}"


TEMPLATES_DIR = _resource_dir("templates")
LETTERS_DIR = _resource_dir("letters")


def _bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def load_or_create_secret_key(instance_path: str) -> str:
    """A SECRET_KEY from the environment wins; otherwise one is generated once into the instance folder."""
    from_env = os.environ.get("SECRET_KEY")
    if from_env:
        return from_env
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def normalise_database_url(url: str) -> str:
    """Accept the common `postgres://` and `postgresql://` forms and use the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


def defaults(instance_path: str) -> dict:
    """Settings for the embedded default, overridden by the environment."""
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'disclosure.sqlite3'}"
    return {
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(db_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "HUEY_SQLITE_PATH": os.environ.get("HUEY_SQLITE_PATH", str(Path(instance_path) / "jobs.sqlite3")),
        "HUEY_IMMEDIATE": False,
        "STORAGE_DIR": os.environ.get("STORAGE_DIR", str(Path(instance_path) / "files")),
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        # Mail: delivered by the worker through the outbox.
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "127.0.0.1"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "8025")),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS", False),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL", False),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "disclosure@localhost"),
        "MAIL_SUPPRESS_SEND": _bool("MAIL_SUPPRESS_SEND", False),
        "OUTBOX_MAX_ATTEMPTS": int(os.environ.get("OUTBOX_MAX_ATTEMPTS", "12")),
        # A reply by email carries the information provided up to this size; above it, a signed download link
        # valid for APPLICATION_FILES_LINK_DAYS days (most mail servers refuse messages of 20-25 MB once encoded).
        "MAIL_MAX_ATTACHMENT_BYTES": int(os.environ.get("MAIL_MAX_ATTACHMENT_BYTES", str(15 * 1024 * 1024))),
        "APPLICATION_FILES_LINK_DAYS": int(os.environ.get("APPLICATION_FILES_LINK_DAYS", "30")),
        "CATALOG_MAX_ATTACHMENT_BYTES": int(os.environ.get("CATALOG_MAX_ATTACHMENT_BYTES", str(30 * 1024 * 1024))),
        # Sessions and cookies.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE", False),
        "PERMANENT_SESSION_LIFETIME": 8 * 3600,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(32 * 1024 * 1024))),
        # Login lockout (accounts.security): attempts before lock, lock minutes.
        "LOGIN_MAX_FAILURES": 5,
        "LOGIN_LOCK_MINUTES": 15,
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "BABEL_DEFAULT_LOCALE": "zh_CN",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Shanghai",
        "LANGUAGES": {"zh_CN": "简体中文", "en": "English"},
        "PASSWORD_RESET_MAX_AGE": 3600,
        "EMAIL_CONFIRM_MAX_AGE": 3 * 24 * 3600,
        # Calendar (rules-china §9.4): the receipt day is not counted by default.
        "CALENDAR_EXCLUDE_START_DAY": True,
    }
