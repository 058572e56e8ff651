"""The Telegram conversation: handlers per flow, keyboards, rendering, nudges. The CLI lives in credbot/, the
emulator and terminal sandbox in sandbox/; this package imports neither."""
