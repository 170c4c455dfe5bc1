"""Benchmarks: each prints one JSON object on stdout (progress on stderr). Never timed asserts in tests."""
