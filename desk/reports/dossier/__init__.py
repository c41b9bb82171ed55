"""A partnership's hand-over dossier."""
