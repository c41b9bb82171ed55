"""An agreement's renewal memo: one page for the mayor or the council."""
