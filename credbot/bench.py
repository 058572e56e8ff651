"""Bot and nudge figures for `credbot bench`: concurrent onboarding through the emulator, due-scan time over
100k people, and send throughput into the emulator with and without the outbound rate limiter."""

from __future__ import annotations

import asyncio
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from bot.app import build_application
from bot.runtime import make_services, running
from recommender.bench import p95
from sandbox.emulator import BotApiEmulator, Sent
from store.nudges import NudgeStore

SCRIPT = ["/start", "retail assistant", "front-end web developer", "html, css", "5", "3 months", "any", "either"]


def _to(chat_id: int) -> Callable[[Sent], bool]:
    return lambda s: s.chat_id == chat_id


async def onboarding_load(users: int = 200, think: tuple[float, float] = (1.0, 3.0), seed: int = 3) -> dict[str, float]:
    """`users` people onboard at once (closed loop, a think time between messages); reply time per update."""
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        async with BotApiEmulator() as emu:
            services = make_services(Path(tmp) / "load.db")
            app = build_application(services, emu.token, base_url=emu.base_url, rate_limit=False, nudge_every=None)
            async with running(app):
                await services.warm_up()  # steady state: the start-up load is measured on its own (first_start)
                latencies: list[float] = []
                by_step: dict[int, list[float]] = {i: [] for i in range(len(SCRIPT))}

                async def person(uid: int) -> None:
                    await asyncio.sleep(rng.uniform(0, think[1]))
                    for step, text in enumerate(SCRIPT):
                        start_index = len(emu.sent)
                        sent_at = time.monotonic()
                        emu.send_text(uid, text, first_name=f"U{uid}")
                        reply = await emu.wait_for(_to(uid), start=start_index, timeout=120)
                        latencies.append((reply.at - sent_at) * 1000)
                        by_step[step].append(latencies[-1])
                        await asyncio.sleep(rng.uniform(*think))

                t0 = time.monotonic()
                await asyncio.gather(*(person(10_000 + i) for i in range(users)))
                wall = time.monotonic() - t0
    total = users * len(SCRIPT)
    slowest = max(by_step, key=lambda k: p95(by_step[k]))
    return {
        "slowest_step": float(slowest),
        "slowest_step_p95_ms": p95(by_step[slowest]),
        **{f"step{k}_p95_ms": p95(v) for k, v in by_step.items()},
        "users": users,
        "updates": total,
        "wall_s": wall,
        "updates_per_s": total / wall,
        "median_ms": statistics.median(latencies),
        "p95_ms": p95(latencies),
    }


def due_scan_ms(people: int = 100_000, due_share: float = 0.01, rounds: int = 5) -> dict[str, float]:
    """Time to claim what is due among `people` scheduled rows (1% due), on a fresh SQLite file."""
    from catalog.db import open_database
    from store.repository import Store

    now = datetime(2026, 12, 1, 12, tzinfo=UTC)
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "scan.db")
        Store(db)
        rng = random.Random(5)
        db["users"].insert_all(  # type: ignore[union-attr]
            ({"id": i, "chat_id": i, "first_name": "x", "created_at": "", "last_seen_at": ""} for i in range(people)),
            batch_size=5000,
        )
        for _ in range(rounds):
            db.execute("delete from nudges")
            rows = (
                {"user_id": i, "status": "pending",
                 "due_at": (now - timedelta(minutes=1) if rng.random() < due_share else
                            now + timedelta(hours=rng.randint(1, 500))).isoformat(timespec="seconds")}
                for i in range(people)
            )  # fmt: skip
            db["nudges"].insert_all(rows, batch_size=5000)  # type: ignore[union-attr]
            t0 = time.perf_counter()
            claimed = NudgeStore(db).claim_due(now, limit=5000)
            samples.append((time.perf_counter() - t0) * 1000)
            assert claimed
    return {"people": people, "due": people * due_share, "median_ms": statistics.median(samples)}


async def send_throughput(messages: int = 600, chats: int = 300, limited: bool = False) -> dict[str, float]:
    """Messages/s the bot pushes into the emulator; with `limited`, through the bot's fair limiter
    (<= 30/s overall) while the emulator enforces Telegram's limits and answers 429 when they are broken."""
    from telegram.ext import ApplicationBuilder

    from bot.app import outbound_limiter

    async with BotApiEmulator(global_rate_limit=30 if limited else None) as emu:
        builder = ApplicationBuilder().token(emu.token).base_url(emu.base_url)
        if limited:
            builder = builder.rate_limiter(outbound_limiter())  # type: ignore[arg-type]
        app = builder.build()
        async with app:
            for c in range(chats):
                emu.send_text(50_000 + c, "hi")  # chats must exist before the bot can write to them
            queue = iter(range(messages))

            async def sender() -> None:  # like the scheduler: a bounded number of sends in flight
                for i in queue:
                    await app.bot.send_message(50_000 + (i % chats), f"message {i}")

            t0 = time.monotonic()
            await asyncio.gather(*(sender() for _ in range(16)))
            wall = time.monotonic() - t0
        too_many = sum(1 for _, code, _ in emu.errors if code == 429)
    return {"messages": messages, "per_s": messages / wall, "errors_429": too_many}


ROOT = Path(__file__).resolve().parent.parent


async def first_start_s(db: Path) -> float:
    """Seconds from starting `credbot run` on an empty database to its first getUpdates (model warm-up included)."""
    import os
    import sys

    async with BotApiEmulator() as emu:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_API_BASE_URL": emu.base_url,
               "CREDBOT_DB": str(db), "HF_HUB_OFFLINE": "1"}  # fmt: skip
        t0 = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "credbot", "run", env=env, cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            await emu.wait_polling(timeout=120)
            return time.monotonic() - t0
        finally:
            proc.terminate()
            await proc.wait()


CHILD = """
import sys
from credbot.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM:")]
print(f"rss_kb={hwm[0] if hwm else 0}", file=sys.stderr)
"""  # VmHWM: this process's own peak; ru_maxrss would keep the forking parent's across exec


def first_recommend_s(db: Path) -> tuple[float, float]:
    """Seconds for a first `credbot recommend` on an empty database (a new process: imports, model, index), and
    that process's own peak RSS in MB, read inside it."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "CREDBOT_DB": str(db), "HF_HUB_OFFLINE": "1"}
    t0 = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "recommend", "--role", "web developer", "--goal",
         "build mobile apps for Android and iOS", "--json"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True,
    )  # fmt: skip
    seconds = time.monotonic() - t0
    kb = [int(line.split("=", 1)[1]) for line in done.stderr.splitlines() if line.startswith("rss_kb=")]
    return seconds, (kb[-1] / 1024 if kb else 0.0)


def first_start(rounds: int) -> dict[str, float]:
    runs, recs, rss = [], [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(asyncio.run(first_start_s(Path(tmp) / "run.db")))
        with tempfile.TemporaryDirectory() as tmp:
            seconds, mb = first_recommend_s(Path(tmp) / "rec.db")
            recs.append(seconds)
            rss.append(mb)
    child_mb = max(rss)
    return {"run_s": statistics.median(runs), "run_max_s": max(runs),
            "recommend_s": statistics.median(recs), "recommend_max_s": max(recs), "rss_mb": child_mb}  # fmt: skip


def run_bot_bench(*, quick: bool, echo: Callable[[str], None]) -> list[str]:
    start = first_start(1 if quick else 3)
    echo(f"first start: run -> getUpdates {start['run_s']:.1f} s, first recommend {start['recommend_s']:.1f} s")
    users = 50 if quick else 200
    gc.collect()  # leave the 100k-record run's garbage behind: its collection pauses are not the bot's
    gc.freeze()
    load = asyncio.run(onboarding_load(users))
    echo(f"onboarding: {load['updates_per_s']:.0f} updates/s, p95 {load['p95_ms']:.0f} ms")
    scan = due_scan_ms(10_000 if quick else 100_000, rounds=2 if quick else 5)
    echo(f"due scan: {scan['median_ms']:.1f} ms over {scan['people']:.0f} people")
    fast = asyncio.run(send_throughput(300 if quick else 1000))
    echo(f"unthrottled send: {fast['per_s']:.0f} msg/s")
    slow = asyncio.run(send_throughput(90 if quick else 300, limited=True))
    echo(f"throttled send: {slow['per_s']:.1f} msg/s, {slow['errors_429']:.0f} x 429")
    replicas = webhook_scaling(quick=quick, echo=echo)
    web = webapp_query_ms(10_000, rounds=100 if quick else 300)
    echo(f"web query, {web['records']:.0f} records: median {web['median_ms']:.1f} ms, p95 {web['p95_ms']:.1f} ms")
    return [
        "## Bot and nudges",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| `credbot run` on an empty CREDBOT_DB to its first getUpdates (the index and the model then load in the "
        "background; the first recommendation waits for them), median / "
        f"max | {start['run_s']:.1f} / {start['run_max_s']:.1f} s | <= 10 s |",
        f"| first `credbot recommend` on an empty CREDBOT_DB (a new process), median / max | "
        f"{start['recommend_s']:.1f} / {start['recommend_max_s']:.1f} s | <= 10 s |",
        f"| peak RSS of that `credbot recommend` process (model loaded, the bundled catalog indexed, one answer) | "
        f"{start['rss_mb']:.0f} MB | <= 900 MB |",
        f"| {load['users']:.0f} people onboarding at once (8 messages each, 1-3 s think time, real model, "
        f"no outbound limiter): updates handled | {load['updates_per_s']:.0f} updates/s | >= 50 |",
        f"| reply time per update, median / p95 | {load['median_ms']:.0f} / {load['p95_ms']:.0f} ms | p95 <= 200 ms |",
        f"| due scan (claim) over {scan['people']:.0f} scheduled people, 1% due, median | "
        f"{scan['median_ms']:.1f} ms | <= 50 ms |",
        f"| unthrottled send into the emulator ({fast['messages']:.0f} messages) | {fast['per_s']:.0f} msg/s | "
        ">= 500 |",
        f"| throttled send (fair limiter, emulator enforcing 30/s) | {slow['per_s']:.1f} msg/s, "
        f"{slow['errors_429']:.0f} x 429 | 25-30 msg/s, no 429 |",
        "",
        f"Measured {date.today().isoformat()}.",
        "",
        *replicas,
        "## Mini App",
        "",
        "| measure | value | target |",
        "|---|---|---|",
        f"| catalog page query over {web['records']:.0f} records (random filters, text, sort, page; server time, "
        f"SQLite), median / p95 | {web['median_ms']:.1f} / {web['p95_ms']:.1f} ms | p95 <= 100 ms |",
        "",
    ]


WEBHOOK_SCRIPT = ["/start", "retail assistant", "front-end web developer", "/help", "/settings"]


async def webhook_load(replicas: int, url: str, people: int, seed: int = 7) -> dict[str, float]:
    """`replicas` `credbot run --webhook` processes on one PostgreSQL store, updates delivered round-robin (one at a
    time per chat, up to 40 at once, as Telegram does); `people` talk without pause (closed loop), so what is
    measured is how many updates the replicas handle per second and the reply time of each."""
    import os
    import sys

    from sandbox.emulator import free_port

    rng = random.Random(seed)
    async with BotApiEmulator() as emu:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": emu.token, "TELEGRAM_API_BASE_URL": emu.base_url,
               "CREDBOT_DB": url, "HF_HUB_OFFLINE": "1"}  # fmt: skip
        ports = [free_port() for _ in range(replicas)]
        procs = [
            await asyncio.create_subprocess_exec(
                sys.executable, "-m", "credbot", "run", "--no-warm-up", "--nudge-every", "3600",
                "--send-rate", "2000", "--webhook", f"http://127.0.0.1:{port}/tg", "--port", str(port),
                env=env, cwd=ROOT, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
            )
            for port in ports
        ]
        try:
            await emu.wait_until(lambda: emu.webhook is not None, timeout=120, what="setWebhook")
            await _all_healthy(ports)
            emu.deliver_to([f"http://127.0.0.1:{port}/tg" for port in ports])
            latencies: list[float] = []

            async def person(uid: int) -> None:
                await asyncio.sleep(rng.uniform(0, 0.2))  # not all in the same millisecond
                for text in WEBHOOK_SCRIPT:
                    start_index = len(emu.sent)
                    sent_at = time.monotonic()
                    emu.send_text(uid, text, first_name=f"W{uid}")
                    reply = await emu.wait_for(_to(uid), start=start_index, timeout=120)
                    latencies.append((reply.at - sent_at) * 1000)

            t0 = time.monotonic()
            await asyncio.gather(*(person(90_000 + i) for i in range(people)))
            wall = time.monotonic() - t0
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                await proc.wait()
    total = people * len(WEBHOOK_SCRIPT)
    return {"replicas": replicas, "updates": total, "updates_per_s": total / wall,
            "median_ms": statistics.median(latencies), "p95_ms": p95(latencies)}  # fmt: skip


async def _all_healthy(ports: list[int], timeout: float = 120) -> None:
    import aiohttp

    deadline = time.monotonic() + timeout
    async with aiohttp.ClientSession() as session:
        for port in ports:
            while True:
                try:
                    async with session.get(f"http://127.0.0.1:{port}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    pass
                if time.monotonic() > deadline:
                    raise TimeoutError(f"replica on port {port} not healthy within {timeout}s")
                await asyncio.sleep(0.1)


def webhook_scaling(*, quick: bool, echo: Callable[[str], None]) -> list[str]:
    """1 and 3 replicas, each run on a fresh PostgreSQL schema, median of the rounds; a table, or why not."""
    import os
    import uuid

    url = os.environ.get("CREDBOT_TEST_PG") or "postgresql://postgres@127.0.0.1:5432/test"
    try:
        import psycopg

        with psycopg.connect(url, connect_timeout=3) as conn:
            conn.execute("select 1")
    except Exception as err:
        echo(f"webhook replicas: skipped, no PostgreSQL at {url} ({type(err).__name__})")
        return ["## Webhook replicas", "", f"Not measured: no PostgreSQL server answered at {url}.", ""]
    from urllib.parse import quote

    people, rounds = (20, 1) if quick else (60, 3)
    results: dict[int, list[dict[str, float]]] = {1: [], 3: []}
    for _ in range(rounds):
        for n in (1, 3):
            schema = f"credbot_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(f'create schema "{schema}"')
            try:
                scoped = f"{url}{'&' if '?' in url else '?'}options={quote(f'-csearch_path={schema}')}"
                results[n].append(asyncio.run(webhook_load(n, scoped, people)))
            finally:
                with psycopg.connect(url, autocommit=True) as conn:
                    conn.execute(f'drop schema if exists "{schema}" cascade')

    def med(n: int, key: str) -> float:
        return statistics.median(r[key] for r in results[n])

    ratio = med(3, "updates_per_s") / med(1, "updates_per_s")
    echo(f"webhook: 1 replica {med(1, 'updates_per_s'):.0f} updates/s, 3 replicas {med(3, 'updates_per_s'):.0f}"
         f" ({ratio:.2f}x)")  # fmt: skip
    return [
        "## Webhook replicas (PostgreSQL store)",
        "",
        f"{people} people talking without pause ({len(WEBHOOK_SCRIPT)} updates each: /start, two answers, /help, "
        "/settings), updates delivered round-robin to the replicas as Telegram's webhook would (one at a time per "
        f"chat, up to 40 at once); outbound limit raised for the test. Median of {rounds} round(s), each on a fresh "
        "schema. Both the replicas and the load generator share this machine's 2 cores, so the ratio is what "
        "2 cores allow, not what 3 machines would.",
        "",
        "| replicas | updates/s | reply median / p95 |",
        "|---|---|---|",
        *(f"| {n} | {med(n, 'updates_per_s'):.0f} | {med(n, 'median_ms'):.0f} / {med(n, 'p95_ms'):.0f} ms |"
          for n in (1, 3)),
        f"| 3 / 1 throughput | {ratio:.2f}x | |",
        "",
    ]


def webapp_query_ms(records: int = 10_000, rounds: int = 300, seed: int = 11) -> dict[str, float]:
    """The Mini App's catalog query (webapp/catalog_query.py) over `records` credentials in a SQLite file: random
    filter combinations, text searches, sorts and pages, timed as the server runs them (fit order excluded: it
    adds the recommender's own pass, measured in the recommend rows above)."""
    from dataclasses import replace as with_

    from catalog.repository import CatalogRepository, load_bundled
    from store.connect import open_engine
    from webapp.catalog_query import CatalogQuery, search

    rng = random.Random(seed)
    base = load_bundled().credentials
    rows = list(base)
    k = 0
    while len(rows) < records:
        c = base[k % len(base)]
        rows.append(with_(c, id=f"{c.id}-w{k}", hours=round(max(1.0, c.hours * rng.uniform(0.6, 1.6)), 1)))
        k += 1
    words = ["python", "data", "nursing", "management", "design", "cloud", "safety", "marketing", "sql", "excel"]
    samples = []
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_engine(Path(tmp) / "webapp.db")
        CatalogRepository(engine, load_bundled_data=False).upsert(rows[:records])
        providers = [r["provider"] for r in engine.query("select distinct provider from credentials limit 50")]
        for _ in range(rounds):
            q = CatalogQuery(
                text=rng.choice(["", "", *words]),
                max_cost=rng.choice([None, None, 0.0, 100.0, 500.0]),
                max_hours=rng.choice([None, None, 10.0, 40.0, 200.0]),
                levels=rng.choice([(), (), ("beginner",), ("intermediate", "advanced")]),
                formats=rng.choice([(), (), ("online",)]),
                providers=rng.choice([(), (), (), (rng.choice(providers),)]),
                sort=rng.choice(["hours", "cost", "title"]),
                page=rng.choice([1, 1, 2, 5]),
            )
            t0 = time.perf_counter()
            search(engine, q)
            samples.append((time.perf_counter() - t0) * 1000)
        engine.close()
    return {"records": records, "median_ms": statistics.median(samples), "p95_ms": p95(samples)}
