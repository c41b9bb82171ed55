"""The briefing packet for a visit."""
