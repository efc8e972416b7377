"""Alembic environment: runs on the connection handed over by ``core.db.upgrade``."""

from __future__ import annotations

from alembic import context

from core.models import SCHEMA_METADATA, Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached when alembic runs without core
    raise SystemExit("Run migrations with `auxot db upgrade`.")

context.configure(
    connection=connection,
    target_metadata=[Base.metadata, SCHEMA_METADATA],
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
