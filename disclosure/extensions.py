"""Flask extensions, created unbound and initialised in the application factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Named constraints so migrations are identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _render_item(type_, obj, autogen_context):
    """Render our column types as plain SQLAlchemy types, so migrations never import application code."""
    if type_ == "type" and getattr(obj, "__class__", None).__name__ == "UTCDateTime":
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names):
    """Full-text index tables (SQLite FTS5 virtual tables and their shadow tables, `*_fts*`) are made by raw SQL
    in their migrations and have no model: autogenerate must not try to drop them."""
    return not (type_ == "table" and name and "_fts" in name)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(compare_type=True, render_as_batch=True, render_item=_render_item, include_name=include_name)
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
mail = Mail()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
