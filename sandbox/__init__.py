"""The sandbox: a local Telegram Bot API emulator (emulator.py) and the terminal chat on top of it (chat.py).

It drives the real bot in bot/ over HTTP, for `credbot chat`, the end-to-end tests and `credbot bench`; bot/ never
imports it, so the conversation does not depend on its stand-in for Telegram.
"""
