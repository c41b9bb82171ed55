"""The store: the one database file, its schema and migrations, writes as
operations with history, undo, the search index's upkeep, attachments and queries."""
