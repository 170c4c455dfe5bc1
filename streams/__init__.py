"""The streaming edge of newsstream: settings, wire contract, topics, the Faust app, broker, CLI, web."""

__version__ = "0.1.0"
