"""The alerts stage."""
