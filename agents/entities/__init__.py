"""The entities stage."""
