"""The year's report for the mayor, the council or a transition team."""
