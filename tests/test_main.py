"""`python -m bot` as an operator runs it: a real process against the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
import shutil
import signal
import sys
from pathlib import Path

import pytest

from bot.logs import REDACTED, RedactingFormatter
from bot.storage import migrate
from bot.storage.db import Database
from tests import processes
from tests.conftest import onboard, step

TOKEN = "123456:TEST-TOKEN"


def bot_env(tmp_path: Path, base_url: str, **extra: str) -> dict[str, str]:
    """The SQLite default's URL shape, in a folder that does not exist yet."""
    database_url = f"sqlite:///{tmp_path / 'data' / 'bot.db'}"
    return processes.bot_env(base_url, database_url, LOG_LEVEL="DEBUG", **extra)


async def test_python_m_bot_runs_a_whole_chat_never_logs_the_token_and_stops_on_sigterm(
    tmp_path, telegram
):
    log_file = tmp_path / "bot.log"  # a file, not a pipe: a full pipe would stall the bot
    with log_file.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot",
            cwd=tmp_path,
            env=bot_env(tmp_path, telegram.base_url),
            stdout=sink,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
    try:
        ana = telegram.user(1001, "Ana")
        await onboard(ana)
        assert (tmp_path / "data" / "bot.db").exists()
        # Error paths: a reply Telegram refuses, and an outage of getUpdates.
        telegram.fail("sendMessage", status=400, description="Bad Request: can't parse entities")
        await step(ana, "/help", "went wrong", tap=False)
        telegram.fail("getUpdates", status=502, description="Bad Gateway", times=2)
        await step(ana, "/progress", "Your progress", tap=False)
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
    log = log_file.read_text()
    assert process.returncode == 0, log
    assert TOKEN not in log and TOKEN.replace(":", "%3A") not in log
    # The library's DEBUG lines (the API URL with the token, every update and call with its
    # data) are withheld; the formatter's redaction is unit-tested below.
    assert " DEBUG telegram" not in log and " DEBUG aiosqlite" not in log
    assert "running on uvloop" in log  # the event loop the benchmarks were measured on
    # The error path ran, and was logged.
    assert "error handling update" in log and "can't parse entities" in log.lower()


async def test_broken_content_stops_start_up_naming_the_file_and_entry(tmp_path, telegram):
    content = tmp_path / "content"
    shutil.copytree(Path(__file__).parent.parent / "content", content)
    routines = content / "en" / "routines.yaml"
    broken = routines.read_text().replace(
        "glute-bridge, lateral-lunge]", "glute-bridge, moon-walk]", 1
    )
    assert "moon-walk" in broken
    routines.write_text(broken)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot",
        cwd=tmp_path,
        env=bot_env(tmp_path, telegram.base_url, CONTENT_DIR=str(content)),
        stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 1
    message = errors.decode()
    assert "routines.yaml" in message and "moon-walk" in message
    assert "Traceback" not in message


def test_the_formatter_redacts_the_token_in_messages_and_tracebacks():
    formatter = RedactingFormatter("%(message)s", [TOKEN])
    try:
        raise RuntimeError(f"GET https://api.telegram.org/bot{TOKEN}/getMe failed")
    except RuntimeError:
        record = logging.LogRecord(
            "x", logging.ERROR, __file__, 1, "url %s", (f"/bot{TOKEN}/",), sys.exc_info()
        )
    text = formatter.format(record)
    assert TOKEN not in text
    assert text.count(REDACTED) == 2


async def test_a_rejected_token_gets_one_clear_line_and_no_traceback(tmp_path, telegram):
    env = bot_env(tmp_path, telegram.base_url)
    env["BOT_TOKEN"] = "999999:WRONG-TOKEN"
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 2
    message = errors.decode()
    assert "rejected BOT_TOKEN" in message and "@BotFather" in message
    assert "Traceback" not in message and "WRONG-TOKEN" not in message


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_an_unreachable_bot_api_gets_one_clear_line_and_leaves_nothing_open(tmp_path, mode):
    env = processes.bot_env("http://127.0.0.1:9/bot", f"sqlite:///{tmp_path / 'x.db'}")
    if mode == "webhook":
        port = str(processes.free_port())
        env.update(WEBHOOK_URL="https://bot.example.org/hook", WEBHOOK_SECRET="s3", PORT=port)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", mode, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    message = errors.decode()
    assert process.returncode == 1, message
    assert "Could not reach the Telegram Bot API" in message
    # The HTTP sessions are closed, not left to the garbage collector's error log.
    assert "Unclosed" not in message and "Traceback" not in message
    assert "TEST-TOKEN" not in message


async def test_migrate_needs_no_token_and_brings_an_empty_database_to_the_latest_revision(
    tmp_path, database_url
):
    env = processes.bot_env("http://127.0.0.1:9/bot", database_url)
    del env["BOT_TOKEN"]
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "migrate", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, errors.decode()
    database = Database(database_url)
    try:
        head = await migrate.current_revision(database.engine)
    finally:
        await database.dispose()
    assert head is not None and out.decode().strip() == f"Database migrated to revision {head}."


@pytest.mark.parametrize(
    ("args", "expected"),
    [(["serve"], "usage: python -m bot"), (["webhook"], "needs WEBHOOK_URL")],
)
async def test_a_wrong_mode_gets_one_clear_message_and_exit_2(tmp_path, args, expected):
    env = processes.bot_env("http://127.0.0.1:9/bot", f"sqlite:///{tmp_path / 'x.db'}")
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, errors = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert expected in errors.decode() and "Traceback" not in errors.decode()
