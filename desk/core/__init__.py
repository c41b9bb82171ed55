"""The records: SQLite storage, rules and queries. Never imports Qt."""
