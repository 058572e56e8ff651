"""Progress nudges: a pure policy (what to send, when), templates, a chart, and the SQLite-backed scheduler."""
