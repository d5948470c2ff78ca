"""Loket server: queue engine, storage, HTTP API and CLI."""

__version__ = "0.1.0"
