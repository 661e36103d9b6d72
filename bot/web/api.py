"""The Mini App's JSON API (see WEBAPP_CONTRACT): each handler checks the launch data, parses
the request, calls the chat's use cases (bot/usecases) and answers JSON.

The user is the one Telegram signed into the launch data, never one named in the URL or body.
"""

from __future__ import annotations

import asyncio
import html
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from aiohttp import web
from telegram.error import BadRequest, TelegramError

from bot import demos, render
from bot.domain.progress import DayStatus
from bot.domain.schedule import BadTime, format_time, on_day, parse_time
from bot.handlers.common import HipApp
from bot.usecases import guided, language, schedule, sessions, webapp
from bot.usecases.common import Deps, Expired, NeedsSetup, Refused
from bot.web.auth import Launch, Unauthorized, verify
from bot.web.ratelimit import RateLimiter
from bot.web.views import exercise_json, texts_json

log = logging.getLogger(__name__)

BOT_APP = web.AppKey("bot_app", HipApp)
LIMITER = web.AppKey("limiter", RateLimiter)
MAX_PAUSE_DAYS = 90

Handler = Callable[[web.Request, Deps, int], Awaitable[Any]]


class BadInput(Exception):
    """A request the API cannot read; the message is a text for the user (400)."""


def _error(status: int, error: str) -> web.Response:
    return web.json_response({"error": error}, status=status)


def _deps(request: web.Request) -> Deps:
    deps: Deps = request.app[BOT_APP].bot_data["deps"]
    return deps


def launch_of(request: web.Request, deps: Deps) -> Launch:
    """The signed launch data of the request's `Authorization: tma <initData>`."""
    scheme, _, init_data = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "tma":
        raise Unauthorized("missing")
    max_age = timedelta(seconds=deps.settings.webapp_max_age_seconds)
    return verify(init_data.strip(), deps.settings.token(), deps.clock(), max_age)


async def in_users_language(deps: Deps, launch: Launch) -> Deps:
    """`deps` whose content is in the user's language, as the chat's replies are: the stored
    choice, else the language Telegram reports, else English."""
    stored = await language.language_of(deps.db, launch.user_id)
    code = stored or deps.content.supported(launch.language_code)
    return replace(deps, content=deps.content.for_language(code))


def endpoint(handler: Handler) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
    """Authenticate, rate-limit, run `handler`, and map refusals to the contract's errors."""

    async def run(request: web.Request) -> web.StreamResponse:
        deps = _deps(request)
        try:
            launch = launch_of(request, deps)
        except Unauthorized:
            return _error(401, "unauthorized")
        user_id = launch.user_id
        if not request.app[LIMITER].allow(user_id):
            return _error(429, "slow down")
        try:
            deps = await in_users_language(deps, launch)
            return web.json_response(await handler(request, deps, user_id))
        except BadInput as e:
            return _error(400, str(e))
        except NeedsSetup:
            return _error(409, "needs_setup")
        except Expired:
            return _error(409, "expired")
        except Refused as e:
            return _error(409, str(e) or "refused")
        except web.HTTPException:
            raise
        except Exception:  # logged for us; the page gets a plain error, never a traceback
            log.exception(
                "Mini App request %s %s of user %s failed", request.method, request.path, user_id
            )
            return _error(500, "server")

    return run


async def _body(request: web.Request, deps: Deps) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise BadInput(deps.content.webapp("error_body")) from None
    if not isinstance(body, dict):
        raise BadInput(deps.content.webapp("error_body"))
    return body


def _day(deps: Deps, value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(deps.content.webapp("error_body")) from None


def _int(deps: Deps, value: object, low: int, high: int, *, key: str = "error_body") -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise BadInput(deps.content.webapp(key))
    return value


def _score(deps: Deps, value: object) -> int | None:
    return None if value is None else _int(deps, value, 0, 10, key="error_pain")


async def get_texts(_request: web.Request, deps: Deps, _user_id: int) -> object:
    return {"texts": texts_json(deps.content)}


async def get_session(_request: web.Request, deps: Deps, user_id: int) -> object:
    content = deps.content
    page = await webapp.session_page(deps.db, user_id, deps.clock(), content)
    m = content.messages
    return {
        "day": page.day.isoformat(),
        "status": str(page.status),
        "routine": {"id": page.routine.id, "name": page.routine.name},
        "minutes": content.plan_duration(page.steps).label,
        "doctor_note": m("doctor_note"),
        "stop_cue": m("stop_cue"),
        "exercises": [exercise_json(content, i, s) for i, s in enumerate(page.steps)],
        "pain_before": page.pain_before,
    }


async def post_ease(request: web.Request, deps: Deps, user_id: int) -> object:
    body = await _body(request, deps)
    day, step = _day(deps, body.get("day")), _int(deps, body.get("step"), 0, 50)
    done = await guided.ease_step(deps.db, user_id, day, step, deps.clock(), deps.content)
    if done.eased.easier is None:
        raise Refused("gentlest")
    return exercise_json(deps.content, step, done.steps[min(step, len(done.steps) - 1)])


async def post_finish(request: web.Request, deps: Deps, user_id: int) -> object:
    body = await _body(request, deps)
    day = _day(deps, body.get("day"))
    outcome = body.get("outcome")
    if outcome not in ("done", "partly"):
        raise BadInput(deps.content.webapp("error_body"))
    before, after = _score(deps, body.get("pain_before")), _score(deps, body.get("pain_after"))
    now = deps.clock()
    checked = await sessions.mark_done(deps.db, user_id, day, now, partly=outcome == "partly")
    # What the chat would answer to the same ratings: advice for a high pain, the outcome of
    # the progression rule. Sent to the chat too, where the levels' changes are told.
    said: list[str] = []
    if before is not None and await sessions.rate_pain_before(deps.db, user_id, day, before, now):
        said.append(deps.content.messages("pain_high", pain=f"{before}/10"))
    if after is not None:
        rated = await sessions.rate_pain(deps.db, user_id, day, after, now, deps.content)
        said.append(render.rating_message(deps.content, rated.review, after, rated.needs_care))
    await _tell_chat(request.app[BOT_APP], deps, user_id, checked, said)
    return {
        "status": str(checked.status),
        "streak": checked.streak,
        "changed": checked.changed,
        "advice": [plain_text(text) for text in said],
    }


def plain_text(html_text: str) -> str:
    """A message's words without its Telegram HTML (the page shows text, not markup)."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


async def _tell_chat(
    bot_app: HipApp, deps: Deps, user_id: int, checked: sessions.CheckedIn, said: list[str]
) -> None:
    """Edit the session card to show the check-in; send the ratings' answer and, when due, the
    quiz re-check offer, as the chat's own buttons would."""
    chat_id = await _edit_session_message(bot_app, deps, user_id, checked)
    try:
        if said:
            note = render.note_button(deps.content, checked.day)
            await bot_app.bot.send_message(chat_id, "\n\n".join(said), reply_markup=note)
        if checked.recheck:
            await bot_app.bot.send_message(chat_id, *render.recheck_offer(deps.content))
    except TelegramError as e:
        log.warning("could not message user %s after a Mini App check-in: %s", user_id, e)


async def _edit_session_message(
    bot_app: HipApp, deps: Deps, user_id: int, checked: sessions.CheckedIn
) -> int:
    """Show the check-in on the chat's session card, as its Done button would (no buttons);
    return the chat's id."""
    found = await webapp.session_message(deps.db, user_id, checked.day, deps.content)
    if found.message_id is None:
        return found.chat_id
    text = render.checked_in_card(
        deps.content,
        found.routine,
        found.day,
        found.steps,
        found.late,
        checked.status,
        checked.streak,
    )
    try:
        await bot_app.bot.edit_message_text(text, found.chat_id, found.message_id)
    except BadRequest as e:
        if "not modified" not in e.message.lower():
            log.info("could not edit the session message of user %s: %s", user_id, e.message)
    except TelegramError as e:
        log.warning("could not edit the session message of user %s: %s", user_id, e)
    return found.chat_id


def _calendar_status(status: DayStatus | None, day: date, page: webapp.ProgressPage) -> str:
    if day > page.today:
        return "future"
    if status in (DayStatus.DONE, DayStatus.PARTLY, DayStatus.SKIPPED, DayStatus.MISSED):
        return str(status)
    if day == page.today:
        return "today"
    started = page.first_day is not None and day >= page.first_day
    if status is None and started and on_day(page.session_days, day):
        return "missed"
    return "rest"


async def get_progress(_request: web.Request, deps: Deps, user_id: int) -> object:
    page = await webapp.progress_page(deps.db, user_id, deps.clock(), deps.content)
    summary = page.summary
    return {
        "streak": summary.current_streak,
        "best_streak": summary.best_streak,
        "completion_rate": summary.completion_rate,
        "done_this_week": summary.done_this_week,
        "calendar": [
            {"day": d.isoformat(), "status": _calendar_status(status, d, page)}
            for d, status in summary.calendar
        ],
        "pain": [
            {"day": r.day.isoformat(), "before": r.pain_before, "after": r.pain_after}
            for r in page.days
            if r.pain_before is not None or r.pain_after is not None
        ],
        "levels": [
            {"name": lv.name, "level": lv.level, "max_level": lv.max_level} for lv in page.levels
        ],
        "next_check": None if page.next_check is None else page.next_check.isoformat(),
    }


async def _settings_json(deps: Deps, user_id: int) -> object:
    page = await webapp.settings_page(deps.db, user_id, deps.clock())
    view = page.view
    if view.reminder_time is None or view.timezone is None:
        raise NeedsSetup
    return {
        "time": format_time(view.reminder_time),
        "zone": view.timezone,
        "days": [d for d in range(7) if view.days & (1 << d)],
        "summary_day": page.summary_day,
        "paused_until": None if page.paused_until is None else page.paused_until.isoformat(),
        "next_reminder": None if page.next_reminder is None else page.next_reminder.isoformat(),
        "standing": str(view.standing),
    }


async def get_settings(_request: web.Request, deps: Deps, user_id: int) -> object:
    return await _settings_json(deps, user_id)


async def post_settings(request: web.Request, deps: Deps, user_id: int) -> object:
    """Check every field first (a bad one changes nothing), then apply each through the chat's
    use case: time and zone, days, summary day, pause, resume."""
    body = await _body(request, deps)
    t = deps.content.webapp
    at = zone = None
    if "time" in body:
        try:
            at = parse_time(str(body["time"]))
        except BadTime:
            raise BadInput(t("error_time")) from None
    if "zone" in body:
        zone = str(body["zone"])
        if zone not in deps.zones:
            raise BadInput(t("error_zone"))
    days = None
    if "days" in body:
        picked = body["days"]
        if not isinstance(picked, list) or not picked:
            raise BadInput(t("error_days"))
        days = sum(1 << _int(deps, d, 0, 6, key="error_days") for d in set(picked))
    summary_day: int | None = None
    if "summary_day" in body and body["summary_day"] is not None:
        summary_day = _int(deps, body["summary_day"], 0, 6)
    pause = body.get("pause_days")
    if pause is not None:
        pause = _int(deps, pause, 1, MAX_PAUSE_DAYS, key="error_pause")
    now = deps.clock()
    await webapp.settings_page(deps.db, user_id, now)  # no user: 409 before anything changes
    if at is not None or zone is not None:
        await schedule.set_schedule(deps.db, user_id, now, reminder_time=at, timezone=zone)
    if days is not None:
        await schedule.save_days(deps.db, user_id, days, now)
    if "summary_day" in body:
        await schedule.set_summary_day(deps.db, user_id, summary_day, now)
    if pause is not None:
        await schedule.pause(deps.db, user_id, pause)
    if body.get("resume") is True:
        await schedule.resume(deps.db, user_id, now)
    return await _settings_json(deps, user_id)


async def get_demo(request: web.Request) -> web.StreamResponse:
    """An exercise's animation, its name in the language asked for (`?lang=`, English by
    default); it holds no user data, so no launch data is needed."""
    content = _deps(request).content.for_language(request.query.get("lang"))
    exercise_id = request.match_info["exercise_id"]
    demo = content.demos.get(exercise_id)
    if demo is None or exercise_id not in content.exercises:
        return _error(404, "not found")
    gif = await asyncio.to_thread(demos.animation, demo, content.exercises[exercise_id].name)
    return web.Response(
        body=gif, content_type="image/gif", headers={"Cache-Control": "public, max-age=86400"}
    )


def add_routes(app: web.Application) -> None:
    app.router.add_get("/api/texts", endpoint(get_texts))
    app.router.add_get("/api/session", endpoint(get_session))
    app.router.add_post("/api/session/ease", endpoint(post_ease))
    app.router.add_post("/api/session/finish", endpoint(post_finish))
    app.router.add_get("/api/progress", endpoint(get_progress))
    app.router.add_get("/api/settings", endpoint(get_settings))
    app.router.add_post("/api/settings", endpoint(post_settings))
    app.router.add_get("/api/demo/{exercise_id}.gif", get_demo)
