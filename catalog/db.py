"""Opening the SQLite database file shared by catalog, recommender cache and store (store/connect.py opens
either engine; this name stays for the SQLite-only callers)."""

from __future__ import annotations

from store.connect import open_sqlite as open_database

__all__ = ["open_database"]
