"""What the records are: kinds and their fields, field types, rules, vocabularies,
dates, money and the words desk uses for counts."""
