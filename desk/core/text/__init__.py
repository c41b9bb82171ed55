"""What a person typed, made safe for each output: control characters shown, cells
that never become formulas."""
