"""The Telegram side of credbot: conversations, commands, nudges, sandbox and the CLI wiring."""
