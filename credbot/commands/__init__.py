"""The `credbot` subcommands, one module per command group; credbot/cli.py adds them to the root."""
