"""The stories stage."""
