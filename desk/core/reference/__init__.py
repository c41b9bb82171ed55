"""Reference data shipped with desk: countries, places, the gazetteer's positions."""
