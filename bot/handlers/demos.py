"""Sending the demonstrations: guided steps, "👀 Show me" on the session and "This hurts".

Each animation is rendered once (off the event loop) and uploaded once per bot; Telegram's
file_id is stored by the demonstration's content hash and reused, so later sends cost one
small request. A changed keyframe changes the hash: a new render and a new upload.

"Show me" sends the day's animations one after another, not as a media group: the Bot API
does not take animations in sendMediaGroup (audio, document, photo and video only), a GIF sent
there as a document shows as a file to download rather than a looping picture, and stills in
a photo album would not show the movement. A few animations in a row play in the chat as they
arrive, each captioned with its exercise and dose.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import re
from datetime import date

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message, Update
from telegram.error import BadRequest, NetworkError

from bot import demos, render
from bot.content import Content, Exercise
from bot.handlers.common import HipContext, ids, say
from bot.usecases import demos as demo_uses
from bot.usecases.common import Deps
from bot.usecases.reports import ReportData

log = logging.getLogger(__name__)

CAPTION_LIMIT = 1024  # Telegram's limit for a caption, after entities are parsed


async def send_demo(
    bot: Bot,
    deps: Deps,
    content: Content,
    chat_id: int,
    exercise: Exercise,
    caption: str | None,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Send `exercise`'s animation with `caption` (HTML); None when it has no demonstration.

    By stored file_id when this bot uploaded it before; otherwise rendered, uploaded, and its
    file_id stored for next time.
    """
    demo = content.demos.get(exercise.id)  # its captions in the reader's language
    if demo is None:
        return None
    key = demo.content_hash
    if exercise.name != deps.content.exercises[exercise.id].name:
        # The title drawn in is the exercise's name in the user's language: one upload each.
        key = hashlib.sha256(f"{key}:{exercise.name}".encode()).hexdigest()
    known = await demo_uses.uploaded_file_id(deps.db, key, bot.id)
    if known is not None:
        try:
            return await bot.send_animation(chat_id, known, caption=caption, reply_markup=markup)
        except BadRequest as e:  # a file_id Telegram no longer knows: upload again
            log.warning("stored demonstration of %s refused (%s); uploading", exercise.id, e)
    gif = await asyncio.to_thread(demos.animation, demo, exercise.name)
    upload = InputFile(gif, filename=f"{exercise.id}.gif")
    message = await bot.send_animation(chat_id, upload, caption=caption, reply_markup=markup)
    sent = message.animation or message.document
    if sent is not None:
        await demo_uses.remember_upload(deps.db, key, bot.id, sent.file_id, deps.clock())
    return message


def plain_length(text: str) -> int:
    """About how long `text` is once Telegram strips the tags (the caption limit counts that)."""
    return len(html.unescape(re.sub(r"<[^>]+>", "", text)))


async def send_step(
    update: Update,
    context: HipContext,
    exercise: Exercise,
    text: str,
    markup: InlineKeyboardMarkup | None,
) -> None:
    """A guided step: the exercise's animation carrying the step's text and buttons (or, when
    the text is too long for a caption, the animation and then the text)."""
    deps, (_, chat_id) = context.deps, ids(update)
    fits = plain_length(text) <= CAPTION_LIMIT
    try:
        sent = await send_demo(
            context.bot,
            deps,
            context.content,
            chat_id,
            exercise,
            text if fits else None,
            markup if fits else None,
        )
    except (BadRequest, NetworkError) as e:  # never lose the step over its picture
        log.warning("demonstration of %s not sent: %s", exercise.id, e)
        sent = None
    if sent is None or not fits:
        await say(update, context, text, markup)


def demo_caption(exercise: Exercise, dose: str) -> str:
    return f"<b>{render.escape(exercise.name)}</b> · {render.escape(dose)}"


async def show_me(update: Update, context: HipContext, day: date) -> str | None:
    """Send the animations of the day's exercises, as this user does them."""
    deps, (user_id, chat_id) = context.deps, ids(update)
    content = context.content
    steps = await demo_uses.show_me(deps.db, user_id, day, deps.clock(), content)
    for step in steps:
        exercise = content.exercises[step.exercise_id]
        caption = demo_caption(exercise, exercise.level(step.level).dose)
        try:
            await send_demo(context.bot, deps, content, chat_id, exercise, caption)
        except (BadRequest, NetworkError) as e:  # the others still go
            log.warning("demonstration of %s not sent: %s", exercise.id, e)
    return None


def key_poses(content: Content, data: ReportData) -> dict[str, bytes]:
    """The key pose (PNG) of each exercise in the report; CPU-bound, run it in a thread."""
    return {
        line.exercise_id: demos.still(demo, content.exercises[line.exercise_id].name)
        for line in data.exercises
        if (demo := content.demos.get(line.exercise_id)) is not None
    }
