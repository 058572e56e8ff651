"""The Bot API emulator answers the real python-telegram-bot stack over HTTP the way Telegram would, errors included.

Why these tests matter: the end-to-end suite trusts the emulator to reject what Telegram rejects. If it accepted
malformed HTML or oversized callback data, bot bugs would pass e2e and fail in production.
"""

from __future__ import annotations

import asyncio
import struct
import zlib
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
)

from sandbox.emulator import BotApiEmulator, parse_html

USER = 1001
Scenario = Callable[[BotApiEmulator, Bot], Awaitable[None]]


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(f"b{n}", callback_data=d) for n, d in enumerate(data)]])


def with_bot(scenario: Scenario, **emulator_options: Any) -> None:
    """Run `scenario` against a fresh emulator and a real PTB Bot; the user has written once, so the chat exists."""

    async def main() -> None:
        async with BotApiEmulator(**emulator_options) as emu:
            emu.send_text(USER, "hello")
            async with Bot(emu.token, base_url=emu.base_url, base_file_url=emu.base_file_url) as bot:
                await scenario(emu, bot)

    asyncio.run(main())


def tiny_png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


# ----------------------------------------------------------------------------------------- the happy paths


def test_get_me_and_send_message_return_messages_ptb_can_parse() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        me = await bot.get_me()
        assert me.is_bot and me.id == 123456 and me.username == "credbot_test_bot"
        first = await bot.send_message(USER, "one", reply_markup=keyboard("a", "b"))
        second = await bot.send_message(USER, "two")
        assert first.text == "one" and first.from_user is not None and first.from_user.id == me.id
        assert first.chat.id == USER and first.chat.type == "private" and first.chat.first_name == "Ana"
        assert second.message_id == first.message_id + 1 == 3  # the user's "hello" was message 1
        assert first.reply_markup == keyboard("a", "b")
        assert [s.method for s in emu.sent] == ["sendMessage", "sendMessage"]
        assert emu.buttons(emu.sent[0]) == [("b0", "a"), ("b1", "b")]
        assert [m["text"] for m in emu.chat(USER)] == ["one", "two"]
        assert emu.errors == []

    with_bot(scenario)


def test_html_becomes_entities_and_only_visible_text_counts_toward_the_limit() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        message = await bot.send_message(
            USER, "<b>Hi</b> &amp; <a href='https://x.org/?a=1&amp;b=2'>link</a> 🎓<i>é</i>", parse_mode=ParseMode.HTML
        )
        assert message.text == "Hi & link 🎓é"
        kinds = [(e.type, e.offset, e.length, e.url) for e in message.entities]
        assert kinds == [("bold", 0, 2, None), ("text_link", 5, 4, "https://x.org/?a=1&b=2"), ("italic", 12, 1, None)]
        assert emu.sent[-1].text is not None and emu.sent[-1].text.startswith("<b>Hi</b>")  # tests see what was sent
        at_limit = await bot.send_message(USER, "<b>" + "&amp;" * 4096 + "</b>", parse_mode=ParseMode.HTML)
        assert at_limit.text == "&" * 4096

    with_bot(scenario)


AppScenario = Callable[[BotApiEmulator, Application[Any, Any, Any, Any, Any, Any]], Awaitable[None]]


def with_application(scenario: AppScenario, *handlers: BaseHandler[Any, Any, Any]) -> None:
    """A minimal real Application polling the emulator, the way `credbot` runs it."""

    async def main() -> None:
        async with BotApiEmulator() as emu:
            builder = ApplicationBuilder().token(emu.token).base_url(emu.base_url).base_file_url(emu.base_file_url)
            app = builder.build()
            app.add_handlers(handlers)
            async with app:
                await app.start()
                assert app.updater is not None
                await app.updater.start_polling(poll_interval=0, timeout=1)
                try:
                    await scenario(emu, app)
                finally:
                    await app.updater.stop()
                    await app.stop()

    asyncio.run(main())


async def welcome(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text("Welcome!", reply_markup=keyboard("go"))


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer(f"Got {query.data}")
    await query.edit_message_text(f"You pressed {query.data}")


def test_application_replies_to_start_with_a_button_and_answers_the_press() -> None:
    async def scenario(emu: BotApiEmulator, app: Any) -> None:
        emu.send_text(USER, "/start")
        reply = await emu.wait_for(lambda s: s.method == "sendMessage")
        assert reply.text == "Welcome!" and emu.buttons(reply) == [("b0", "go")]
        mark = len(emu.sent)
        query_id = emu.press(USER, reply.message_id, "go")
        edited = await emu.wait_for(lambda s: s.method == "editMessageText", start=mark)
        assert edited.text == "You pressed go" and edited.message_id == reply.message_id
        assert emu.callback_answers[0]["callback_query_id"] == query_id
        assert emu.callback_answers[0]["text"] == "Got go"
        assert [s.method for s in emu.sent] == ["sendMessage", "answerCallbackQuery", "editMessageText"]
        await emu.wait_idle(quiet=0.1, timeout=5)
        # editing without reply_markup removes the keyboard, as on Telegram
        assert emu.chat(USER)[-1] == {"message_id": reply.message_id, "text": "You pressed go", "reply_markup": None}
        assert emu.errors == []

    with_application(scenario, CommandHandler("start", welcome), CallbackQueryHandler(on_button))


def test_wait_idle_with_a_watched_queue_waits_for_handlers_that_work_between_api_calls() -> None:
    async def thoughtful(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        total = await asyncio.to_thread(sum, range(300_000))  # work the emulator cannot see
        await update.effective_message.reply_text(f"Thought about it: {total}")

    async def scenario(emu: BotApiEmulator, app: Any) -> None:
        emu.watch_queue(app.update_queue)
        emu.send_text(USER, "/think")
        await emu.wait_idle(quiet=0.0, timeout=5)  # no grace at all: only the queue says when the bot is done
        assert [s.text for s in emu.sent] == [f"Thought about it: {sum(range(300_000))}"]

    with_application(scenario, CommandHandler("think", thoughtful))


def test_long_poll_returns_as_soon_as_an_update_arrives_and_honours_offset() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        first = await bot.get_updates(timeout=0)
        assert [u.message.text for u in first if u.message] == ["hello"]
        assert len(await bot.get_updates(timeout=0)) == 1  # not confirmed yet: delivered again
        poll = asyncio.create_task(bot.get_updates(offset=first[-1].update_id + 1, timeout=30))
        await emu.wait_polling(timeout=5)
        emu.send_text(USER, "/start@credbot_test_bot now", chat_type="group", chat_id=-100)
        updates = await asyncio.wait_for(poll, timeout=10)  # a guard only: the poll would otherwise run for 30 s
        assert len(updates) == 1 and updates[0].message is not None
        message = updates[0].message
        assert message.chat.id == -100 and message.chat.type == "group" and message.from_user is not None
        assert message.from_user.id == USER
        assert [(e.type, e.offset, e.length) for e in message.entities] == [("bot_command", 0, 23)]
        assert await bot.get_updates(offset=updates[0].update_id + 1, timeout=0) == ()
        await emu.wait_idle(quiet=0.05, timeout=5)

    with_bot(scenario)


def test_documents_and_photos_are_recorded_and_downloadable() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        doc = await bot.send_document(USER, document=b"id,title\n1,x\n", filename="plan.csv", caption="Your plan")
        assert doc.document is not None and doc.document.file_name == "plan.csv" and doc.caption == "Your plan"
        sent = emu.sent[-1]
        assert (sent.method, sent.document, sent.filename, sent.caption) == (
            "sendDocument",
            b"id,title\n1,x\n",
            "plan.csv",
            "Your plan",
        )
        file = await bot.get_file(doc.document.file_id)
        assert bytes(await file.download_as_bytearray()) == b"id,title\n1,x\n"
        photo = await bot.send_photo(USER, photo=tiny_png(3, 2), caption="<b>chart</b>", parse_mode=ParseMode.HTML)
        assert photo.photo[-1].width == 3 and photo.photo[-1].height == 2 and photo.caption == "chart"
        assert emu.sent[-1].photo == tiny_png(3, 2) and emu.sent[-1].caption == "<b>chart</b>"
        again = await bot.send_document(USER, document=doc.document.file_id)  # re-send by file_id
        assert emu.sent[-1].document == b"id,title\n1,x\n" and again.document is not None

    with_bot(scenario)


def test_edits_and_deletes_change_what_the_chat_shows() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        message = await bot.send_message(USER, "Pick one", reply_markup=keyboard("x"))
        await bot.edit_message_reply_markup(USER, message.message_id, reply_markup=keyboard("y"))
        assert emu.chat(USER)[0]["reply_markup"] == {"inline_keyboard": [[{"text": "b0", "callback_data": "y"}]]}
        assert emu.sent[-1].text == "Pick one"
        edited = await bot.edit_message_text("Picked", chat_id=USER, message_id=message.message_id)
        assert isinstance(edited, type(message)) and edited.text == "Picked" and edited.edit_date is not None
        assert await bot.delete_message(USER, message.message_id)
        assert emu.chat(USER) == []
        assert [s.method for s in emu.sent][-3:] == ["editMessageReplyMarkup", "editMessageText", "deleteMessage"]

    with_bot(scenario)


def test_commands_are_stored_per_scope() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        await bot.set_my_commands([("start", "Begin"), ("help", "What I can do")])
        assert emu.commands == [
            {"command": "start", "description": "Begin"},
            {"command": "help", "description": "What I can do"},
        ]
        assert [c.command for c in await bot.get_my_commands()] == ["start", "help"]
        await bot.delete_my_commands()
        assert await bot.get_my_commands() == ()
        with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
            await bot.set_my_commands([("Not Valid", "x")])

    with_bot(scenario)


def test_forged_presses_reach_the_bot_and_each_query_is_answered_once() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        message = await bot.send_message(USER, "Pick", reply_markup=keyboard("real"))
        query_id = emu.press(USER, message.message_id, "forged:admin")
        updates = await bot.get_updates(timeout=0)
        query = updates[-1].callback_query
        assert query is not None and query.id == query_id and query.data == "forged:admin"
        assert query.message is not None and query.message.message_id == message.message_id
        assert await bot.answer_callback_query(query_id)
        with pytest.raises(BadRequest, match="query is too old"):
            await bot.answer_callback_query(query_id)
        with pytest.raises(ValueError, match="no message 99"):
            emu.press(USER, 99, "x")

    with_bot(scenario)


# ------------------------------------------------------------------------------------ Telegram's refusals


async def _edit_same(emu: BotApiEmulator, bot: Bot) -> Any:
    message = await bot.send_message(USER, "<b>same</b>", parse_mode=ParseMode.HTML, reply_markup=keyboard("k"))
    return await bot.edit_message_text(
        "<b>same</b>", USER, message.message_id, parse_mode=ParseMode.HTML, reply_markup=keyboard("k")
    )


async def _blocked(emu: BotApiEmulator, bot: Bot) -> Any:
    emu.block(USER)
    return await bot.send_message(USER, "come back")


Call = Callable[[BotApiEmulator, Bot], Awaitable[Any]]
REFUSALS: list[tuple[str, Call, type[TelegramError], int, str]] = [
    ("empty", lambda e, b: b.send_message(USER, ""), BadRequest, 400, "Bad Request: message text is empty"),
    ("blank", lambda e, b: b.send_message(USER, "<b> </b>", parse_mode="HTML"), BadRequest, 400, "text is empty"),
    ("long", lambda e, b: b.send_message(USER, "x" * 4097), BadRequest, 400, "Bad Request: message is too long"),
    (
        "long_html",
        lambda e, b: b.send_message(USER, "<i>" + "&lt;" * 4097 + "</i>", parse_mode="HTML"),
        BadRequest,
        400,
        "Bad Request: message is too long",
    ),
    ("unclosed", lambda e, b: b.send_message(USER, "<b>bold", parse_mode="HTML"), BadRequest, 400, 'start tag "b"'),
    ("unknown_tag", lambda e, b: b.send_message(USER, "<p>x</p>", parse_mode="HTML"), BadRequest, 400, 'tag "p"'),
    ("bare_lt", lambda e, b: b.send_message(USER, "1 < 2", parse_mode="HTML"), BadRequest, 400, "can't parse entities"),
    ("bare_amp", lambda e, b: b.send_message(USER, "R&D", parse_mode="HTML"), BadRequest, 400, "can't parse entities"),
    ("mismatch", lambda e, b: b.send_message(USER, "<b>x</i>", parse_mode="HTML"), BadRequest, 400, 'found "</i>"'),
    (
        "span",
        lambda e, b: b.send_message(USER, '<span class="red">x</span>', parse_mode="HTML"),
        BadRequest,
        400,
        "can't parse entities",
    ),
    (
        "data_long",
        lambda e, b: b.send_message(USER, "k", reply_markup=keyboard("é" * 33)),
        BadRequest,
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    ),
    (
        "data_empty",
        lambda e, b: b.send_message(USER, "k", reply_markup=keyboard("")),
        BadRequest,
        400,
        "Bad Request: BUTTON_DATA_INVALID",
    ),
    ("not_modified", _edit_same, BadRequest, 400, "Bad Request: message is not modified"),
    (
        "edit_missing",
        lambda e, b: b.edit_message_text("x", chat_id=USER, message_id=999),
        BadRequest,
        400,
        "Bad Request: message to edit not found",
    ),
    (
        "delete_missing",
        lambda e, b: b.delete_message(USER, 999),
        BadRequest,
        400,
        "Bad Request: message to delete not found",
    ),
    (
        "caption",
        lambda e, b: b.send_document(USER, document=b"x", filename="a.txt", caption="c" * 1025),
        BadRequest,
        400,
        "Bad Request: message caption is too long",
    ),
    ("blocked", _blocked, Forbidden, 403, "Forbidden: bot was blocked by the user"),
    ("no_chat", lambda e, b: b.send_message(424242, "hi"), BadRequest, 400, "Bad Request: chat not found"),
]


@pytest.mark.parametrize(
    ("call", "error", "code", "description"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_telegram_refusals_reach_ptb_as_the_right_errors(
    call: Call, error: type[TelegramError], code: int, description: str
) -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        with pytest.raises(error) as raised:
            await call(emu, bot)
        _method, answered_code, answered = emu.errors[-1]
        assert answered_code == code and description in answered, emu.errors
        assert description.removeprefix("Bad Request: ").lower() in raised.value.message.lower()

    with_bot(scenario)


def test_parse_html_accepts_every_documented_tag() -> None:
    text = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s><strike>k</strike><del>d</del>"
        '<a href="tg://user?id=1">a</a><code>c</code><pre><code class="language-py">p</code></pre>'
        '<tg-spoiler>t</tg-spoiler><span class="tg-spoiler">p</span><blockquote expandable>q</blockquote>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji> &#60;&#x3E;&quot;'
    )
    plain, entities = parse_html(text)
    assert plain == 'bsieunskdacptpq👍 <>"'
    assert {e["type"] for e in entities} == {
        "bold", "italic", "underline", "strikethrough", "text_link", "code", "pre", "spoiler",
        "expandable_blockquote", "custom_emoji",
    }  # fmt: skip
    assert next(e for e in entities if e["type"] == "custom_emoji") == {
        "type": "custom_emoji",
        "custom_emoji_id": "5368324170671202286",
        "offset": 15,
        "length": 2,  # one emoji is two UTF-16 code units
    }


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")  # PTB's int -> timedelta notice
def test_injected_failures_and_rate_limits_surface_as_ptb_errors() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", retry_after=7)
        with pytest.raises(RetryAfter) as raised:
            await bot.send_message(USER, "x")
        assert raised.value.retry_after in (7, timedelta(seconds=7))
        emu.fail_next("sendMessage", 502, "Bad Gateway", times=2)
        for _ in range(2):
            with pytest.raises(NetworkError, match="Bad Gateway"):
                await bot.send_message(USER, "x")
        assert (await bot.send_message(USER, "finally")).text == "finally"
        with pytest.raises(RetryAfter) as limited:  # one message per second per chat, and "finally" was just sent
            await bot.send_message(USER, "too soon")
        assert limited.value.retry_after in (1, timedelta(seconds=1))
        assert emu.errors[-1] == ("sendMessage", 429, "Too Many Requests: retry after 1")
        assert [s.text for s in emu.sent] == ["finally"]

    with_bot(scenario, chat_rate_limit=1)


def test_wrong_token_and_unknown_method_are_refused_in_telegrams_shape() -> None:
    async def wrong_token() -> None:
        async with BotApiEmulator() as emu:
            bot = Bot("999:WRONG", base_url=emu.base_url)
            try:
                with pytest.raises(InvalidToken):
                    await bot.initialize()  # initialize() calls getMe
            finally:
                await bot.shutdown()
            assert emu.errors == [("getMe", 401, "Unauthorized")]

    asyncio.run(wrong_token())

    async def raw() -> None:
        async with BotApiEmulator() as emu, aiohttp.ClientSession() as http:
            emu.send_text(USER, "hi")
            async with http.post(f"{emu.base_url}{emu.token}/noSuchMethod") as response:
                assert response.status == 404
                assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}
            async with http.post(f"{emu.base_url}999:WRONG/getMe") as response:
                assert (response.status, (await response.json())["description"]) == (401, "Unauthorized")
            url = f"{emu.base_url}{emu.token}/sendMessage"
            async with http.post(url, json={"chat_id": USER, "text": "json body"}) as response:
                body = await response.json()
                assert body["ok"] is True and body["result"]["text"] == "json body"
            emu.fail_next("sendMessage", 429, "Too Many Requests: retry after 3", retry_after=3)
            async with http.post(url, data={"chat_id": str(USER), "text": "form"}) as response:
                assert (await response.json())["parameters"] == {"retry_after": 3}

    asyncio.run(raw())


def test_wait_for_explains_what_was_sent_when_nothing_matches() -> None:
    async def scenario(emu: BotApiEmulator, bot: Bot) -> None:
        await bot.send_message(USER, "only this")
        with pytest.raises(TimeoutError, match="only this"):
            await emu.wait_for(lambda s: s.text == "something else", timeout=0.05)
        assert (await emu.wait_for(lambda s: s.text == "only this", timeout=0.05)).method == "sendMessage"

    with_bot(scenario)
