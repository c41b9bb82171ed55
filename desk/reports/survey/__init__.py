"""The national survey's workbook: written, checked, compared and added up."""
