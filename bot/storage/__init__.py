"""Persistence: SQLAlchemy models, the database handle, repository functions, migrations."""
