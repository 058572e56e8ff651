"""A local Telegram Bot API emulator: the real python-telegram-bot stack talks HTTP to it on 127.0.0.1.

Why it exists: end-to-end tests and `credbot chat` must run the real Application (handlers, JobQueue, rate limiter,
request layer) without a Telegram account or network. The emulator answers like Telegram does, including the
errors Telegram gives for bad input (HTML that does not parse, over-long text, oversized callback data, unchanged
edits, blocked users, 429 flood control), so bugs that only show up against the real server show up here too.

Point PTB at it with `ApplicationBuilder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url)`.
Tests play the user with `send_text` / `press` and read what the bot did from `sent`, `chat()` and `errors`, waiting
with `wait_for` / `wait_idle` (event driven, no sleep polling).

Deliberate choices (stricter than, or simpler than, Telegram):
- HTML is validated as the Bot API documents it: a bare `&` that does not start `&lt;`, `&gt;`, `&amp;`, `&quot;` or a
  numeric entity is rejected (Telegram's own parser is lenient there; unescaped user input is still a bug).
- Markdown / MarkdownV2 text is passed through without validation.
- `sendChatAction` is recorded in `chat_actions`, not in `sent`, because it leaves nothing in the chat.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import math
import random
import re
import struct
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

JsonDict = dict[str, Any]

MAX_TEXT = 4096
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
QUERY_INVALID = "Bad Request: query is too old and response timeout expired or query ID is invalid"
CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)  # fmt: skip
BUTTON_ACTIONS = (
    "callback_data", "url", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)  # fmt: skip


@dataclass(frozen=True)
class Sent:
    """One successful bot action, as a test wants to read it.

    `text` is the text exactly as the bot sent it (HTML tags included) and, for edits, the message text after the
    edit; for `answerCallbackQuery` it is the notification text. `reply_markup` is the markup as sent.
    """

    method: str
    chat_id: int
    message_id: int
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: JsonDict | None = None
    document: bytes | None = None
    filename: str | None = None
    photo: bytes | None = None
    caption: str | None = None
    at: float = field(default_factory=time.monotonic)


FAULT_KINDS = ("429", "500", "502", "slow", "drop", "not_modified", "query_old")


@dataclass
class FaultPlan:
    """Random failures at given rates, drawn from a seeded RNG, for the methods listed (every method but getUpdates
    when none are). Kinds: "429" (flood control, `retry_after` seconds), "500" and "502" (server errors), "slow"
    (the answer waits `slow_seconds` before the request is even looked at, like a queue in front of a busy server;
    if the client gave up meanwhile, the request is dropped unprocessed), "drop" (the connection is cut before the
    request is processed), "not_modified" (400 on edits) and "query_old" (400 on answerCallbackQuery).

    A schedule: faults start after `start_after` requests and end after `stop_after` (None: until `stop_faults`).
    Every request that is processed either fully happens or does not happen at all, so a client that retries what
    failed can neither lose nor repeat a message: what the bot does about it is what the tests measure."""

    rates: dict[str, float]
    methods: frozenset[str] | None = None
    seed: int = 0
    slow_seconds: float = 1.5
    retry_after: int = 1
    start_after: int = 0
    stop_after: int | None = None
    polling: bool = False  # also fail getUpdates (network trouble while polling)
    max_in_a_row: int | None = None  # at most this many failures in a row for one method and chat (short bursts)

    def __post_init__(self) -> None:
        unknown = set(self.rates) - set(FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {sorted(unknown)}; known: {', '.join(FAULT_KINDS)}")
        if sum(self.rates.values()) > 1:
            raise ValueError("fault rates add up to more than 1")


class ApiError(Exception):
    """An error answer in Telegram's shape; raised anywhere inside a method handler."""

    def __init__(self, code: int, description: str, *, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


def bad_request(what: str) -> ApiError:
    return ApiError(400, f"Bad Request: {what}")


# --------------------------------------------------------------------------------------------------- HTML parsing

_TAG_RE = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)"
    r"((?:\s+[A-Za-z][A-Za-z0-9_-]*(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR_RE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_CHAR_REF_RE = re.compile(r"&(?:#([0-9]{1,7})|#[xX]([0-9A-Fa-f]{1,6})|(lt|gt|amp|quot));")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_OF_TAG = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline", "ins": "underline",
    "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough", "a": "text_link", "code": "code",
    "pre": "pre", "tg-spoiler": "spoiler", "span": "spoiler", "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}  # fmt: skip


def utf16_len(text: str) -> int:
    """Telegram measures entity offsets and lengths in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _cant_parse(text: str, index: int, what: str) -> ApiError:
    offset = len(text[:index].encode("utf-8"))
    return bad_request(f"can't parse entities: {what} at byte offset {offset}")


def _unescape_attr(value: str) -> str:
    if value[:1] in "\"'" and len(value) >= 2:
        value = value[1:-1]
    return _CHAR_REF_RE.sub(lambda m: _char_ref(m) or m.group(0), value)


def _char_ref(match: re.Match[str]) -> str | None:
    decimal, hexadecimal, named = match.groups()
    if named:
        return _NAMED_REFS[named]
    code = int(decimal) if decimal else int(hexadecimal, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return chr(code)


def parse_html(text: str) -> tuple[str, list[JsonDict]]:
    """Plain text and entities of Bot API HTML, or the 400 Telegram answers for markup it cannot parse."""
    out: list[str] = []
    pos16 = 0
    stack: list[tuple[str, int, JsonDict]] = []  # (tag, UTF-16 start, entity extras)
    entities: list[JsonDict] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "&":
            ref = _CHAR_REF_RE.match(text, i)
            decoded = _char_ref(ref) if ref else None
            if ref is None or decoded is None:
                raise _cant_parse(text, i, "Unsupported HTML entity or unescaped '&' (write &amp;)")
            out.append(decoded)
            pos16 += utf16_len(decoded)
            i = ref.end()
            continue
        if char != "<":
            out.append(char)
            pos16 += utf16_len(char)
            i += 1
            continue
        tag = _TAG_RE.match(text, i)
        if tag is None:
            word_match = re.match(r"</?([^\s<>/]*)", text[i:])
            word = word_match.group(1).lower() if word_match else ""
            if word in _ENTITY_OF_TAG:
                raise _cant_parse(text, i, f'Unclosed or malformed tag "{word}"')
            raise _cant_parse(text, i, f'Unsupported start tag "{word}"')
        closing, name, attr_text = tag.group(1) == "/", tag.group(2).lower(), tag.group(3)
        if name not in _ENTITY_OF_TAG:
            raise _cant_parse(text, i, f'Unsupported {"end" if closing else "start"} tag "{name}"')
        if closing:
            if attr_text.strip():
                raise _cant_parse(text, i, f'Unexpected attributes in end tag "{name}"')
            if not stack:
                raise _cant_parse(text, i, "Unexpected end tag")
            open_name, start16, extras = stack.pop()
            if open_name != name:
                raise _cant_parse(text, i, f'Unmatched end tag, expected "</{open_name}>", found "</{name}>"')
            if pos16 > start16 and extras.get("type"):
                entities.append({**extras, "offset": start16, "length": pos16 - start16})
        else:
            attrs = {m.group(1).lower(): _unescape_attr(m.group(2) or "") for m in _ATTR_RE.finditer(attr_text)}
            stack.append((name, pos16, _entity_extras(text, i, name, attrs)))
        i = tag.end()
    if stack:
        raise bad_request(f"can't parse entities: Can't find end tag corresponding to start tag \"{stack[-1][0]}\"")
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _entity_extras(text: str, index: int, name: str, attrs: dict[str, str]) -> JsonDict:
    kind = _ENTITY_OF_TAG[name]
    if name == "span" and attrs.get("class") != "tg-spoiler":
        raise _cant_parse(text, index, 'Tag "span" must have class "tg-spoiler"')
    if name == "a":
        href = attrs.get("href", "")
        return {"type": kind, "url": href} if href else {}
    if name == "tg-emoji":
        if not attrs.get("emoji-id"):
            raise _cant_parse(text, index, 'Tag "tg-emoji" must have an "emoji-id" attribute')
        return {"type": kind, "custom_emoji_id": attrs["emoji-id"]}
    if name == "blockquote" and "expandable" in attrs:
        return {"type": "expandable_blockquote"}
    if name == "code" and attrs.get("class", "").startswith("language-"):
        return {"type": kind, "language": attrs["class"].removeprefix("language-")}
    return {"type": kind}


def _command_entities(text: str) -> list[JsonDict]:
    """bot_command entities the way Telegram marks them: `/word` or `/word@botname` at a word start."""
    found = []
    for m in re.finditer(r"(?<!\S)/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w@/])", text):
        found.append({"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m.group())})
    return found


def _png_size(data: bytes) -> tuple[int, int]:
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return int(width), int(height)
    return 0, 0


# ------------------------------------------------------------------------------------------------------ internals


class _Pulse:
    """A broadcast wake-up that sync code in the loop can fire: each waiter sees every fire after it began waiting."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, timeout: float) -> bool:
        event = self._event
        try:
            await asyncio.wait_for(event.wait(), max(timeout, 0.0))
        except TimeoutError:
            return False
        return True


@dataclass
class _Upload:
    data: bytes
    filename: str | None
    content_type: str | None


@dataclass
class _Stored:
    message: JsonDict  # the Message object exactly as a client would receive it now
    raw: str | None  # text or caption as the bot sent it (HTML included); None for user messages with no text
    by_bot: bool


@dataclass
class _File:
    file_id: str
    unique_id: str
    data: bytes
    filename: str | None
    path: str


@dataclass
class _Failure:
    code: int
    description: str
    retry_after: int | None
    times: int


@dataclass
class _CallbackQuery:
    chat_id: int
    message_id: int
    data: str
    answered: bool = False


class _Params:
    """Request parameters from a query string, a form, a multipart body or a JSON body, with Telegram's coercions."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.values = values

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None or isinstance(value, _Upload):
            return None
        return value if isinstance(value, str) else json.dumps(value)

    def integer(self, name: str) -> int | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def number(self, name: str, default: float) -> float:
        value = self.values.get(name)
        try:
            return default if value in (None, "") else float(value)
        except (TypeError, ValueError):
            raise bad_request(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        return value is True or (isinstance(value, str) and value.lower() in ("true", "1"))

    def json(self, name: str) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except json.JSONDecodeError:
                raise bad_request(f"can't parse {name} JSON object") from None
        return value


Handler = Callable[[_Params, web.Request], Awaitable[Any]]


# ------------------------------------------------------------------------------------------------------ emulator


class BotApiEmulator:
    """An in-process Telegram Bot API server plus the test-side controls to play the user.

    Everything runs in the caller's event loop: the test API is plain methods (sync where nothing needs waiting)
    and the HTTP handlers mutate the same state, so no locks are needed.
    """

    def __init__(
        self,
        *,
        token: str = "123456:TEST-TOKEN",
        host: str = "127.0.0.1",
        port: int = 0,
        global_rate_limit: float | None = None,
        chat_rate_limit: float | None = None,
        bot_username: str = "credbot_test_bot",
    ) -> None:
        self.token = token
        self.host = host
        self.port = port
        self.global_rate_limit = global_rate_limit
        self.chat_rate_limit = chat_rate_limit
        bot_id = token.split(":", 1)[0]
        self.bot_user: JsonDict = {
            "id": int(bot_id) if bot_id.isdigit() else 1,
            "is_bot": True,
            "first_name": "credbot",
            "username": bot_username,
        }
        self.sent: list[Sent] = []
        self.errors: list[tuple[str, int, str]] = []
        self.callback_answers: list[JsonDict] = []
        self.commands: list[JsonDict] = []
        self.chat_actions: list[tuple[int, str]] = []
        self._commands_by_scope: dict[str, list[JsonDict]] = {}
        self._users: dict[int, JsonDict] = {}
        self._chats: dict[int, JsonDict] = {}
        self._messages: dict[tuple[int, int], _Stored] = {}
        self._next_message_id: dict[int, int] = {}
        self._blocked: set[int] = set()
        self._queue: list[JsonDict] = []
        self._history: dict[int, JsonDict] = {}  # every update handed out, by id (for redeliver)
        self._update_ids = itertools.count(1)
        self._query_ids = itertools.count(7_000_000_001)
        self._file_ids = itertools.count(1)
        self._queries: dict[str, _CallbackQuery] = {}
        self._files: dict[str, _File] = {}
        self._files_by_path: dict[str, _File] = {}
        self._failures: dict[str, deque[_Failure]] = {}
        self._faults: FaultPlan | None = None
        self._fault_rng: random.Random | None = None
        self._fault_seen = 0
        self._fault_streaks: Counter[tuple[str, str]] = Counter()
        self.fault_counts: Counter[str] = Counter()  # kind -> how many were injected
        self._global_window: deque[float] = deque()
        self._chat_windows: dict[int, deque[float]] = {}
        self._allowed_updates: list[str] = []
        self._poll_generation = 0
        self._parked_polls = 0
        self._inflight = 0
        self._last_activity = 0.0
        self._requests: deque[tuple[float, str, str]] = deque(maxlen=16)  # (when, method, outcome): for timeouts
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._watched: list[asyncio.Queue[Any]] = []
        self.webhook: JsonDict | None = None  # {"url", "secret_token"} once a bot called setWebhook
        self.menu_button: JsonDict | None = None  # the bot's default menu button (setChatMenuButton)
        self.webhook_stats: Counter[str] = Counter()  # delivered, and each failed answer ("503", "refused", ...)
        self._targets: list[str] = []
        self._delivery: asyncio.Task[None] | None = None
        self._make_signals()
        self._methods: dict[str, Handler] = {
            "getme": self._get_me,
            "getupdates": self._get_updates,
            "setwebhook": self._set_webhook,
            "setchatmenubutton": self._set_chat_menu_button,
            "deletewebhook": self._delete_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "sendmessage": self._send_message,
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "senddocument": self._send_document,
            "sendphoto": self._send_photo,
            "deletemessage": self._delete_message,
            "sendchataction": self._send_chat_action,
            "getfile": self._get_file,
            "close": self._true,
            "logout": self._true,
        }

    def _make_signals(self) -> None:
        # Re-created on start(): asyncio primitives bind to the loop that first waits on them.
        self._sent_cond = asyncio.Condition()
        self._updates_pulse = _Pulse()
        self._activity_pulse = _Pulse()
        self._poll_pulse = _Pulse()

    # --------------------------------------------------------------------------------------------- lifecycle

    @property
    def base_url(self) -> str:
        """What PTB's `base_url` wants: it appends the token and then `/method`."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        self._make_signals()
        self._closing = False
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        # handler_cancellation: a client that hangs up (PTB stopping its poller) must not leave a ghost long poll.
        runner = web.AppRunner(app, access_log=None, handler_cancellation=True, shutdown_timeout=1.0)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])

    async def stop(self) -> None:
        self._closing = True
        self._updates_pulse.fire()  # parked long polls answer [] at once instead of holding shutdown
        if self._delivery is not None:
            self._delivery.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._delivery
            self._delivery = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ------------------------------------------------------------------------------------------ the user side

    def send_text(
        self,
        user_id: int,
        text: str,
        *,
        first_name: str = "Ana",
        chat_type: str = "private",
        chat_id: int | None = None,
        language_code: str = "en",
    ) -> int:
        """Queue a message from a user (commands get bot_command entities); returns the user's message_id."""
        user = self._user(user_id, first_name, language_code)
        chat = self._chat(user, chat_type, chat_id)
        message: JsonDict = {
            "message_id": self._take_message_id(chat["id"]),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        entities = _command_entities(text)
        if entities:
            message["entities"] = entities
        self._messages[(chat["id"], message["message_id"])] = _Stored(message, text, by_bot=False)
        self._enqueue({"message": message})
        return int(message["message_id"])

    def meet(self, user_id: int, first_name: str = "Ana", language_code: str = "en") -> None:
        """Someone who started the bot long ago: their private chat exists, and no update is queued."""
        self._chat(self._user(user_id, first_name, language_code), "private", None)

    def press(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None) -> str:
        """Queue a callback_query for a button on a bot message; `data` need not be on the keyboard (forgeries)."""
        target = user_id if chat_id is None else chat_id
        stored = self._messages.get((target, message_id))
        if stored is None:
            raise ValueError(f"no message {message_id} in chat {target} to press a button on")
        user = self._users.get(user_id) or self._user(user_id, "Ana", "en")
        query_id = str(next(self._query_ids))
        self._queries[query_id] = _CallbackQuery(target, message_id, data)
        query = {
            "id": query_id,
            "from": user,
            "message": copy.deepcopy(stored.message),
            "chat_instance": f"ci{target}",
            "data": data,
        }
        self._enqueue({"callback_query": query})
        return query_id

    def block(self, user_id: int) -> None:
        """The user blocks the bot: sends and edits to their private chat get 403 from now on."""
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def fail_next(
        self, method: str, error_code: int, description: str, *, retry_after: int | None = None, times: int = 1
    ) -> None:
        """Make the next `times` calls of `method` fail (flood control, server errors, ...) before any other check."""
        if error_code == 429 and retry_after is None:
            retry_after = 1
        failure = _Failure(error_code, description, retry_after, times)
        self._failures.setdefault(method.lower(), deque()).append(failure)

    def inject_faults(self, plan: FaultPlan) -> None:
        """Start failing requests at random, as `plan` says (replaces any plan running)."""
        self._faults = plan
        self._fault_rng = random.Random(plan.seed)
        self._fault_seen = 0
        self._fault_streaks.clear()

    def stop_faults(self) -> None:
        self._faults = None

    def chat(self, chat_id: int) -> list[JsonDict]:
        """What the user sees from the bot in a chat now (after edits and deletions), oldest first."""
        visible = sorted(
            (mid, stored) for (cid, mid), stored in self._messages.items() if cid == chat_id and stored.by_bot
        )
        return [
            {"message_id": mid, "text": stored.raw, "reply_markup": stored.message.get("reply_markup")}
            for mid, stored in visible
        ]

    @staticmethod
    def buttons(sent: Sent) -> list[tuple[str, str]]:
        """(label, callback_data) of the inline keyboard of an action, row by row; URL buttons are left out."""
        rows = (sent.reply_markup or {}).get("inline_keyboard") or []
        return [(b["text"], b["callback_data"]) for row in rows for b in row if "callback_data" in b]

    async def wait_for(self, predicate: Callable[[Sent], bool], *, timeout: float = 10.0, start: int = 0) -> Sent:
        """The first action at index >= start that matches; woken by each new action, never by polling."""
        checked = start

        def find() -> Sent | None:
            nonlocal checked
            while checked < len(self.sent):
                item = self.sent[checked]
                checked += 1
                if predicate(item):
                    return item
            return None

        async with self._sent_cond:
            try:
                async with asyncio.timeout(timeout):
                    while (hit := find()) is None:
                        await self._sent_cond.wait()
            except TimeoutError:
                raise TimeoutError(
                    f"no matching bot action within {timeout}s; since #{start}: {self.describe(start)}"
                ) from None
        return hit

    async def wait_until(self, predicate: Callable[[], bool], *, timeout: float = 10.0, what: str = "") -> None:
        """Return once `predicate()` holds, looking again after every request, update or delivery."""
        deadline = time.monotonic() + timeout
        while not predicate():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"not within {timeout}s: {what or predicate}")
            await self._activity_pulse.wait(remaining)

    def watch_queue(self, queue: asyncio.Queue[Any]) -> None:
        """Also count the bot's own update queue as work: `wait_idle` then waits for every update to be handled.

        Pass PTB's `app.update_queue`: the Application calls task_done() only after the handlers of an update
        finished, so a handler that thinks for a while (a chart rendered in a thread) is not mistaken for silence.
        """
        self._watched.append(queue)

    async def wait_idle(self, *, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Return once every queued update was fetched and confirmed and no bot request came for `quiet` seconds.

        Confirmed updates are in the Application's hands; with `watch_queue` this also waits until it has handled
        them. Otherwise the emulator cannot see work the bot does between API calls, and `quiet` is the only grace.
        """
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = self._inflight > 0 or bool(self._queue)
            idle_for = now - self._last_activity
            if not busy and idle_for >= quiet:
                seen = self._last_activity
                try:
                    async with asyncio.timeout(max(deadline - now, 0.0)):
                        for queue in self._watched:
                            await queue.join()
                except TimeoutError:
                    raise TimeoutError(f"the bot still handles updates after {timeout}s") from None
                if seen == self._last_activity and not self._queue:
                    return
                continue  # the handlers called the API meanwhile: start a fresh quiet period
            if now >= deadline:
                recent = ", ".join(f"{m} {o} {t - now:+.2f}s" for t, m, o in self._requests)
                raise TimeoutError(
                    f"not idle after {timeout}s: {self._inflight} request(s) in flight, "
                    f"{len(self._queue)} update(s) not confirmed; last requests: {recent}; "
                    f"recent actions: {self.describe(len(self.sent) - 5)}"
                )
            wait = deadline - now if busy else min(quiet - idle_for, deadline - now)
            await self._activity_pulse.wait(wait)

    async def wait_polling(self, *, timeout: float = 10.0) -> None:
        """Return once a getUpdates long poll is parked here, so a test knows the next update wakes it."""
        deadline = time.monotonic() + timeout
        while self._parked_polls == 0:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no getUpdates long poll arrived within {timeout}s")
            await self._poll_pulse.wait(remaining)

    def describe(self, start: int = 0) -> str:
        """A one-line-per-action summary for assertion messages."""
        lines = [
            f"[{n}] {s.method} chat={s.chat_id} msg={s.message_id} {(s.text or s.caption or s.filename or '')[:80]!r}"
            for n, s in enumerate(self.sent[max(start, 0) :], start=max(start, 0))
        ]
        if self.errors:
            lines.append(f"errors: {self.errors[-5:]}")
        return "\n" + "\n".join(lines) if lines else "nothing"

    # ------------------------------------------------------------------------------------------------ state

    def _user(self, user_id: int, first_name: str, language_code: str) -> JsonDict:
        user = {"id": user_id, "is_bot": False, "first_name": first_name, "language_code": language_code}
        self._users[user_id] = user
        return user

    def _chat(self, user: JsonDict, chat_type: str, chat_id: int | None) -> JsonDict:
        if chat_type == "private":
            chat: JsonDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        else:
            if chat_id is None:
                raise ValueError(f"a {chat_type} chat needs an explicit chat_id")
            chat = {"id": chat_id, "type": chat_type, "title": f"Group {chat_id}"}
        self._chats[chat["id"]] = chat
        return chat

    def _take_message_id(self, chat_id: int) -> int:
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        return message_id

    def _touch(self) -> None:
        self._last_activity = time.monotonic()
        self._activity_pulse.fire()

    def _enqueue(self, payload: JsonDict) -> None:
        update = {"update_id": next(self._update_ids), **payload}
        self._history[update["update_id"]] = update
        self._queue.append(update)
        self._updates_pulse.fire()
        self._touch()

    def redeliver(self, update_id: int) -> None:
        """Hand out an update again, as Telegram does with updates a bot fetched but never confirmed (it crashed
        after the fetch): the bot must not act on it twice."""
        self._queue.append(copy.deepcopy(self._history[update_id]))
        self._updates_pulse.fire()
        self._touch()

    @property
    def pending_updates(self) -> int:
        """Updates handed out but not confirmed yet (a bot that dies now gets them again when it restarts)."""
        return len(self._queue)

    @property
    def last_update_id(self) -> int:
        return max(self._history, default=0)

    async def _record(self, item: Sent) -> None:
        self.sent.append(item)
        if item.method.startswith(("send", "edit")):
            self._global_window.append(item.at)
            self._chat_windows.setdefault(item.chat_id, deque()).append(item.at)
        async with self._sent_cond:
            self._sent_cond.notify_all()

    # -------------------------------------------------------------------------------------------------- HTTP

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return self._error(method, ApiError(401, "Unauthorized"))
        handler = self._methods.get(method.lower())
        if handler is None:
            return self._error(method, ApiError(404, "Not Found"))
        polling = method.lower() == "getupdates"
        if not polling:
            self._inflight += 1
            self._touch()
        outcome = "ok"
        try:
            params = await self._read_params(request)
            fault = self._draw_fault(method, params)
            if fault == "drop":
                if request.transport is not None:
                    request.transport.abort()
                return web.Response(status=499)  # never reaches the client: the connection is gone
            if fault == "slow":
                await asyncio.sleep(self._faults.slow_seconds if self._faults else 0)
                if request.transport is None or request.transport.is_closing():
                    self.fault_counts["slow_abandoned"] += 1
                    return web.Response(status=499)  # the client gave up: nothing was done
            elif fault is not None:
                raise self._fault_error(fault)
            self._injected_failure(method)
            self._check_rate(method, params)
            result = await handler(params, request)
        except ApiError as err:
            outcome = str(err.code)
            return self._error(method, err)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:  # input shapes Telegram would refuse
            outcome = "400"
            return self._error(method, bad_request(f"can't process request parameters: {exc!r}"))
        except BaseException:
            outcome = "aborted"
            raise
        finally:
            if not polling:
                self._inflight -= 1
                self._touch()
                self._requests.append((time.monotonic(), method, outcome))
        return web.json_response({"ok": True, "result": result})

    async def _handle_file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error("file", ApiError(401, "Unauthorized"))
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None:
            return self._error("file", ApiError(404, "Not Found"))
        return web.Response(body=stored.data, content_type="application/octet-stream")

    def _error(self, method: str, err: ApiError) -> web.Response:
        self.errors.append((method, err.code, err.description))
        body: JsonDict = {"ok": False, "error_code": err.code, "description": err.description}
        if err.retry_after is not None:
            body["parameters"] = {"retry_after": err.retry_after}
        return web.json_response(body, status=err.code)

    async def _read_params(self, request: web.Request) -> _Params:
        values: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except json.JSONDecodeError:
                raise bad_request("can't parse JSON body") from None
            if isinstance(body, dict):
                values.update(body)
        elif request.can_read_body:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    values[name] = _Upload(value.file.read(), value.filename, value.content_type)
                elif isinstance(value, bytes):
                    values[name] = value.decode("utf-8", "replace")
                else:
                    values[name] = value
        return _Params(values)

    def _draw_fault(self, method: str, params: _Params) -> str | None:
        plan = self._faults
        key = (method.lower(), str(params.text("chat_id") or params.text("callback_query_id") or ""))
        kind = self._pick_fault(method)
        capped = plan is not None and plan.max_in_a_row is not None and self._fault_streaks[key] >= plan.max_in_a_row
        if kind is not None and capped:
            self.fault_counts[kind] -= 1
            kind = None
        if kind is None:
            self._fault_streaks.pop(key, None)
        else:
            self._fault_streaks[key] += 1
        return kind

    def _pick_fault(self, method: str) -> str | None:
        plan, rng = self._faults, self._fault_rng
        name = method.lower()
        if plan is None or rng is None or (name == "getupdates" and not plan.polling):
            return None
        if plan.methods is not None and name not in plan.methods:
            return None
        self._fault_seen += 1
        if self._fault_seen <= plan.start_after:
            return None
        if plan.stop_after is not None and self._fault_seen > plan.stop_after:
            return None
        draw, acc = rng.random(), 0.0
        for kind in FAULT_KINDS:
            acc += plan.rates.get(kind, 0.0)
            if draw < acc:
                applies = {
                    "not_modified": name.startswith("edit"),
                    "query_old": name == "answercallbackquery",
                }.get(kind, True)
                if applies:
                    self.fault_counts[kind] += 1
                    return kind
                return None
        return None

    def _fault_error(self, kind: str) -> ApiError:
        retry_after = self._faults.retry_after if self._faults else 1
        return {
            "429": ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after),
            "500": ApiError(500, "Internal Server Error"),
            "502": ApiError(502, "Bad Gateway"),
            "not_modified": bad_request(NOT_MODIFIED.removeprefix("Bad Request: ")),
            "query_old": bad_request(QUERY_INVALID.removeprefix("Bad Request: ")),
        }[kind]

    def _injected_failure(self, method: str) -> None:
        pending = self._failures.get(method.lower())
        if not pending:
            return
        failure = pending[0]
        failure.times -= 1
        if failure.times <= 0:
            pending.popleft()
        raise ApiError(failure.code, failure.description, retry_after=failure.retry_after)

    def _check_rate(self, method: str, params: _Params) -> None:
        """Telegram's flood control for messages: a sliding one-second window overall and per chat."""
        name = method.lower()
        if not name.startswith(("send", "edit")) or name == "sendchataction":
            return
        try:
            chat_id = params.integer("chat_id")
        except ApiError:
            chat_id = None
        now = time.monotonic()
        windows: list[tuple[float | None, deque[float]]] = [(self.global_rate_limit, self._global_window)]
        if chat_id is not None:
            windows.append((self.chat_rate_limit, self._chat_windows.setdefault(chat_id, deque())))
        for limit, window in windows:
            while window and window[0] <= now - 1.0:
                window.popleft()
            if limit is not None and len(window) >= limit:
                retry_after = max(1, math.ceil(window[0] + 1.0 - now))
                raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)

    # ------------------------------------------------------------------------------------------- validation

    def _target_chat(self, params: _Params, *, sending: bool = True) -> JsonDict:
        raw = params.text("chat_id")
        if raw is None or raw == "":
            raise bad_request("chat_id is empty")
        try:
            chat = self._chats.get(int(raw))
        except ValueError:
            chat = None  # "@username": the emulator knows no public channels
        if chat is None:
            raise bad_request("chat not found")
        if sending and chat["type"] == "private" and chat["id"] in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _formatted(self, params: _Params, field_name: str, limit: int, *, required: bool) -> tuple[str, list[JsonDict]]:
        """Plain text and entities of a text/caption parameter, validated the way Telegram does."""
        raw = params.text(field_name) or ""
        mode = (params.text("parse_mode") or "").lower()
        if mode == "html":
            plain, entities = parse_html(raw)
        elif mode in ("", "markdown", "markdownv2"):
            plain = raw
            explicit = params.json("entities" if field_name == "text" else "caption_entities")
            entities = explicit if isinstance(explicit, list) else []
        else:
            raise bad_request("unsupported parse_mode")
        if required and not plain.strip():
            raise bad_request("message text is empty")
        if len(plain) > limit:
            raise bad_request("message is too long" if field_name == "text" else "message caption is too long")
        return plain, entities

    @staticmethod
    def _inline_markup(params: _Params) -> tuple[JsonDict | None, JsonDict | None]:
        """(markup as sent, inline keyboard to echo on the message); rejects buttons Telegram would reject."""
        markup = params.json("reply_markup")
        if markup is None or markup == "":
            return None, None
        if not isinstance(markup, dict):
            raise bad_request("can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return markup, None
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad_request('can\'t parse inline keyboard markup: field "inline_keyboard" must be an Array of Arrays')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not button.get("text"):
                    raise bad_request("can't parse inline keyboard button: Text must be non-empty")
                if "callback_data" in button:
                    data = button["callback_data"]
                    if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA:
                        raise bad_request("BUTTON_DATA_INVALID")
                elif not any(key in button for key in BUTTON_ACTIONS):
                    raise bad_request(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard"
                    )
        return markup, {"inline_keyboard": rows}

    def _reply_target(self, params: _Params, chat_id: int) -> JsonDict | None:
        reply = params.json("reply_parameters")
        reply_id = reply.get("message_id") if isinstance(reply, dict) else params.integer("reply_to_message_id")
        if reply_id is None:
            return None
        stored = self._messages.get((chat_id, int(reply_id)))
        if stored is None:
            lenient = isinstance(reply, dict) and reply.get("allow_sending_without_reply")
            if lenient or params.flag("allow_sending_without_reply"):
                return None
            raise bad_request("message to be replied not found")
        return {k: v for k, v in stored.message.items() if k != "reply_to_message"}

    def _new_bot_message(self, chat: JsonDict, params: _Params, content: JsonDict, inline: JsonDict | None) -> JsonDict:
        message: JsonDict = {
            "message_id": self._take_message_id(chat["id"]),
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        reply_to = self._reply_target(params, chat["id"])
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        message.update(content)
        if inline is not None:
            message["reply_markup"] = inline
        return message

    def _stored_for_edit(self, params: _Params) -> tuple[JsonDict, _Stored]:
        if params.text("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        chat = self._target_chat(params)
        message_id = params.integer("message_id")
        stored = self._messages.get((chat["id"], message_id or 0))
        if stored is None:
            raise bad_request("message to edit not found")
        if not stored.by_bot:
            raise bad_request("message can't be edited")
        return chat, stored

    def _upload(self, params: _Params, name: str) -> _File:
        value = params.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            value = params.values.get(value.removeprefix("attach://"))
        if isinstance(value, _Upload):
            if not value.data:
                raise bad_request("file must be non-empty")
            number = next(self._file_ids)
            kind = "photos" if name == "photo" else "documents"
            suffix = (value.filename or "").rpartition(".")[2] if "." in (value.filename or "") else "bin"
            stored = _File(
                f"BQ{number:08d}{name}", f"U{number:08d}", value.data, value.filename, f"{kind}/file_{number}.{suffix}"
            )
            self._files[stored.file_id] = stored
            self._files_by_path[stored.path] = stored
            return stored
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")
        if not value:
            raise bad_request(f"there is no {name} in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    # ---------------------------------------------------------------------------------------------- methods

    async def _true(self, params: _Params, request: web.Request) -> bool:
        return True

    async def _get_me(self, params: _Params, request: web.Request) -> JsonDict:
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def _get_updates(self, params: _Params, request: web.Request) -> list[JsonDict]:
        """Long polling as Telegram does it: answer at once if anything is queued, else park until an update."""
        if self.webhook is not None:
            raise ApiError(409, WEBHOOK_CONFLICT)
        offset = params.integer("offset") or 0
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(params.number("timeout", 0.0), 0.0)
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = [str(kind) for kind in allowed]
        pending = len(self._queue)
        if offset > 0:
            self._queue = [u for u in self._queue if u["update_id"] >= offset]
        elif offset < 0:
            self._queue = self._queue[offset:]
        if len(self._queue) != pending:
            self._touch()  # confirmation is progress; an empty re-poll is not (else wait_idle never settles)
        self._poll_generation += 1
        generation = self._poll_generation
        self._updates_pulse.fire()  # an older parked poll is terminated by this one, as on Telegram
        deadline = time.monotonic() + timeout
        while True:
            if generation != self._poll_generation:
                if request.transport is None or request.transport.is_closing():
                    return []  # its client already hung up; nobody to tell
                raise ApiError(409, CONFLICT)
            if self._allowed_updates:
                self._queue = [u for u in self._queue if any(k in u for k in self._allowed_updates)]
            batch = self._queue[:limit]
            if batch:
                self._touch()
                return copy.deepcopy(batch)
            remaining = deadline - time.monotonic()
            if self._closing or remaining <= 0:
                return []
            self._parked_polls += 1
            self._poll_pulse.fire()
            try:
                await self._updates_pulse.wait(remaining)
            finally:
                self._parked_polls -= 1

    async def _set_chat_menu_button(self, params: _Params, request: web.Request) -> bool:
        button = params.json("menu_button")
        kinds = ("commands", "web_app", "default")
        if button is not None and (not isinstance(button, dict) or button.get("type") not in kinds):
            raise bad_request("can't parse menu button")
        if isinstance(button, dict) and button.get("type") == "web_app" and not str(
            (button.get("web_app") or {}).get("url", "")
        ).startswith(("https://", "http://")):
            raise bad_request("BUTTON_URL_INVALID")
        self.menu_button = button
        self._touch()
        return True

    async def _set_webhook(self, params: _Params, request: web.Request) -> bool:
        url = params.text("url") or ""
        if not url:
            return await self._delete_webhook(params, request)
        secret = params.text("secret_token") or ""
        if not re.fullmatch(r"[A-Za-z0-9_-]{0,256}", secret):
            raise bad_request("secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret}
        if params.flag("drop_pending_updates"):
            self._queue.clear()
        self._updates_pulse.fire()
        self._touch()
        return True

    def deliver_to(self, targets: list[str], *, concurrency: int = 40) -> None:
        """Play Telegram's webhook delivery and the load balancer in front of the replicas: each queued update is
        POSTed to the next of `targets` in turn (with the secret the bot registered), one at a time per chat and
        up to `concurrency` at once; an answer other than 200 (a replica down, 503 while it stops) sends it to
        the next target after a short wait, until one takes it. Without a setWebhook call nothing is sent."""
        self._targets = list(targets)
        if self._delivery is None or self._delivery.done():
            self._delivery = asyncio.create_task(self._deliver(concurrency), name="emulator-webhook-delivery")

    async def _deliver(self, concurrency: int) -> None:
        import aiohttp

        busy_chats: set[Any] = set()
        taking: set[int] = set()
        slots = asyncio.Semaphore(concurrency)
        turn = itertools.count()
        tasks: set[asyncio.Task[None]] = set()

        async def post(session: aiohttp.ClientSession, update: JsonDict, chat: Any) -> None:
            try:
                for attempt in itertools.count():
                    hook = self.webhook
                    if hook is None or self._closing:
                        return
                    url = self._targets[next(turn) % len(self._targets)] if self._targets else hook["url"]
                    headers = {"X-Telegram-Bot-Api-Secret-Token": hook["secret_token"]}
                    try:
                        async with session.post(url, json=update, headers=headers) as answer:
                            status = str(answer.status)
                    except (aiohttp.ClientError, TimeoutError):
                        status = "refused"
                    if status == "200":
                        self.webhook_stats["delivered"] += 1
                        self._queue = [u for u in self._queue if u is not update]
                        self._touch()
                        return
                    self.webhook_stats[status] += 1
                    await asyncio.sleep(min(0.02 * 2**attempt, 0.5))
            finally:
                taking.discard(id(update))
                busy_chats.discard(chat)
                slots.release()
                self._updates_pulse.fire()

        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while not self._closing:
                ready = None
                if self.webhook is not None:
                    ready = next(
                        (u for u in self._queue if id(u) not in taking and _update_chat(u) not in busy_chats), None
                    )
                if ready is None:
                    await self._updates_pulse.wait(0.5)
                    continue
                await slots.acquire()
                chat = _update_chat(ready)
                taking.add(id(ready))
                if chat is not None:
                    busy_chats.add(chat)
                task = asyncio.create_task(post(session, ready, chat))
                tasks.add(task)
                task.add_done_callback(tasks.discard)

    async def _delete_webhook(self, params: _Params, request: web.Request) -> bool:
        self.webhook = None
        if params.flag("drop_pending_updates"):
            self._queue.clear()
            self._touch()
        return True

    async def _get_webhook_info(self, params: _Params, request: web.Request) -> JsonDict:
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": len(self._queue)}

    @staticmethod
    def _scope_key(params: _Params) -> str:
        scope = params.json("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True) + "|" + (params.text("language_code") or "")

    async def _set_my_commands(self, params: _Params, request: web.Request) -> bool:
        commands = params.json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            name = command.get("command", "") if isinstance(command, dict) else ""
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(name).lstrip("/")):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self._commands_by_scope[self._scope_key(params)] = commands
        self.commands = list(commands)
        return True

    async def _get_my_commands(self, params: _Params, request: web.Request) -> list[JsonDict]:
        return self._commands_by_scope.get(self._scope_key(params), [])

    async def _delete_my_commands(self, params: _Params, request: web.Request) -> bool:
        self._commands_by_scope.pop(self._scope_key(params), None)
        self.commands = []
        return True

    async def _send_message(self, params: _Params, request: web.Request) -> JsonDict:
        chat = self._target_chat(params)
        plain, entities = self._formatted(params, "text", MAX_TEXT, required=True)
        markup, inline = self._inline_markup(params)
        content: JsonDict = {"text": plain}
        if entities:
            content["entities"] = entities
        message = self._new_bot_message(chat, params, content, inline)
        raw = params.text("text")
        self._messages[(chat["id"], message["message_id"])] = _Stored(message, raw, by_bot=True)
        await self._record(
            Sent("sendMessage", chat["id"], message["message_id"], raw, params.text("parse_mode"), markup)
        )
        return message

    async def _edit_message_text(self, params: _Params, request: web.Request) -> JsonDict:
        chat, stored = self._stored_for_edit(params)
        if "text" not in stored.message:
            raise bad_request("there is no text in the message to edit")
        plain, entities = self._formatted(params, "text", MAX_TEXT, required=True)
        markup, inline = self._inline_markup(params)
        old = stored.message
        if (old["text"], old.get("entities", []), old.get("reply_markup")) == (plain, entities, inline):
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in old.items() if k not in ("text", "entities", "reply_markup")}
        message.update(text=plain, edit_date=int(time.time()))
        if entities:
            message["entities"] = entities
        if inline is not None:
            message["reply_markup"] = inline
        raw = params.text("text")
        stored.message, stored.raw = message, raw
        await self._record(
            Sent("editMessageText", chat["id"], message["message_id"], raw, params.text("parse_mode"), markup)
        )
        return message

    async def _edit_message_caption(self, params: _Params, request: web.Request) -> JsonDict:
        chat, stored = self._stored_for_edit(params)
        if "text" in stored.message:
            raise bad_request("there is no caption in the message to edit")
        plain, entities = self._formatted(params, "caption", MAX_CAPTION, required=False)
        markup, inline = self._inline_markup(params)
        old = stored.message
        if (old.get("caption", ""), old.get("caption_entities", []), old.get("reply_markup")) == (
            plain,
            entities,
            inline,
        ):
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in old.items() if k not in ("caption", "caption_entities", "reply_markup")}
        message["edit_date"] = int(time.time())
        if plain:
            message["caption"] = plain
        if entities:
            message["caption_entities"] = entities
        if inline is not None:
            message["reply_markup"] = inline
        raw = params.text("caption")
        stored.message, stored.raw = message, raw
        await self._record(
            Sent(
                "editMessageCaption", chat["id"], message["message_id"], None, params.text("parse_mode"), markup,
                caption=raw,
            )
        )  # fmt: skip
        return message

    async def _edit_message_reply_markup(self, params: _Params, request: web.Request) -> JsonDict:
        chat, stored = self._stored_for_edit(params)
        markup, inline = self._inline_markup(params)
        if stored.message.get("reply_markup") == inline:
            raise bad_request(NOT_MODIFIED)
        message = {k: v for k, v in stored.message.items() if k != "reply_markup"}
        message["edit_date"] = int(time.time())
        if inline is not None:
            message["reply_markup"] = inline
        stored.message = message
        text = stored.raw if "text" in message else None
        await self._record(Sent("editMessageReplyMarkup", chat["id"], message["message_id"], text, None, markup))
        return message

    async def _answer_callback_query(self, params: _Params, request: web.Request) -> bool:
        query_id = params.text("callback_query_id") or ""
        query = self._queries.get(query_id)
        if query is None or query.answered:
            raise bad_request(QUERY_INVALID)
        text = params.text("text")
        if text is not None and len(text) > 200:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        self.callback_answers.append(
            {
                "callback_query_id": query_id,
                "text": text,
                "show_alert": params.flag("show_alert"),
                "url": params.text("url"),
                "cache_time": params.integer("cache_time"),
                "chat_id": query.chat_id,
                "message_id": query.message_id,
                "data": query.data,
            }
        )
        await self._record(Sent("answerCallbackQuery", query.chat_id, query.message_id, text))
        return True

    async def _send_media(self, params: _Params, kind: str) -> JsonDict:
        chat = self._target_chat(params)
        plain, entities = self._formatted(params, "caption", MAX_CAPTION, required=False)
        markup, inline = self._inline_markup(params)
        upload = self._upload(params, kind)
        content: JsonDict
        if kind == "photo":
            width, height = _png_size(upload.data)
            size = {"file_id": upload.file_id, "file_unique_id": upload.unique_id, "width": width, "height": height}
            content = {"photo": [{**size, "file_size": len(upload.data)}]}
        else:
            content = {
                "document": {
                    "file_id": upload.file_id,
                    "file_unique_id": upload.unique_id,
                    "file_name": upload.filename,
                    "file_size": len(upload.data),
                }
            }
        if plain:
            content["caption"] = plain
        if entities:
            content["caption_entities"] = entities
        message = self._new_bot_message(chat, params, content, inline)
        raw = params.text("caption")
        self._messages[(chat["id"], message["message_id"])] = _Stored(message, raw, by_bot=True)
        method = "sendPhoto" if kind == "photo" else "sendDocument"
        await self._record(
            Sent(
                method, chat["id"], message["message_id"], None, params.text("parse_mode"), markup,
                document=upload.data if kind == "document" else None,
                filename=upload.filename,
                photo=upload.data if kind == "photo" else None,
                caption=raw,
            )
        )  # fmt: skip
        return message

    async def _send_document(self, params: _Params, request: web.Request) -> JsonDict:
        return await self._send_media(params, "document")

    async def _send_photo(self, params: _Params, request: web.Request) -> JsonDict:
        return await self._send_media(params, "photo")

    async def _delete_message(self, params: _Params, request: web.Request) -> bool:
        chat = self._target_chat(params, sending=False)
        message_id = params.integer("message_id") or 0
        if self._messages.pop((chat["id"], message_id), None) is None:
            raise bad_request("message to delete not found")
        await self._record(Sent("deleteMessage", chat["id"], message_id))
        return True

    async def _send_chat_action(self, params: _Params, request: web.Request) -> bool:
        chat = self._target_chat(params)
        action = params.text("action") or ""
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((chat["id"], action))
        return True

    async def _get_file(self, params: _Params, request: web.Request) -> JsonDict:
        stored = self._files.get(params.text("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.unique_id,
            "file_size": len(stored.data),
            "file_path": stored.path,
        }


def _update_chat(update: JsonDict) -> Any:
    """The chat an update belongs to (None for kinds without one), for one-at-a-time delivery per chat."""
    for value in update.values():
        if isinstance(value, dict):
            chat = value.get("chat") or (value.get("message") or {}).get("chat")
            if isinstance(chat, dict):
                return chat.get("id")
            sender = value.get("from")
            if isinstance(sender, dict):
                return sender.get("id")
    return None


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now, for a server a test or benchmark is about to start in another process."""
    import socket

    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])
