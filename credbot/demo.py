"""`make demo`: a short scripted tour of what credbot does today; no prompts, no token, no network."""

from __future__ import annotations

import sys

from credbot.cli import main as cli_main

STEPS = [
    ("How big is the catalog?", ["catalog", "stats"]),
    ("Full-text search: 'customer service email'", ["catalog", "search", "customer", "service", "email"]),
    (
        "A teacher who wants to become a data analyst, 5 h a week for 3 months, free only",
        ["recommend", "--role", "teacher", "--goal", "data analyst", "--hours-per-week", "5", "--weeks", "12",
         "--budget", "0"],
    ),
    (
        "A team lead who wants to run better meetings and manage people, 2 h a week",
        ["recommend", "--role", "team lead", "--goal", "run productive meetings and manage people",
         "--hours-per-week", "2", "--weeks", "6", "--top", "3"],
    ),
]  # fmt: skip


def run() -> None:
    for title, argv in STEPS:
        print(f"\n=== {title}\n$ credbot {' '.join(argv)}\n", flush=True)
        try:
            cli_main(argv)
        except SystemExit as exit_:
            if exit_.code not in (0, None):
                sys.exit(exit_.code)


if __name__ == "__main__":
    run()
