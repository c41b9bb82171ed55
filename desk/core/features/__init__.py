"""What desk makes of the records: search, Today's agenda, a partnership's story."""
