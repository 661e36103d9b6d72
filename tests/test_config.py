"""Configuration: defaults, URL mapping, and the missing-token message."""

import subprocess
import sys

import pytest

from bot.config import DEFAULT_DATABASE_URL, Settings, normalize_database_url


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
        ("postgres://u:p@h/db", "postgresql+asyncpg://u:p@h/db"),
        ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite+aiosqlite:///x.db", "sqlite+aiosqlite:///x.db"),
    ],
)
def test_platform_database_urls_map_to_async_drivers(given, expected):
    assert normalize_database_url(given) == expected


def test_defaults_follow_the_product_table(monkeypatch):
    for name in ("BOT_TOKEN", "DATABASE_URL", "TELEGRAM_BASE_URL", "LOG_LEVEL", "WEBHOOK_URL"):
        monkeypatch.delenv(name, raising=False)
    settings = Settings(_env_file=None)
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.telegram_base_url == "https://api.telegram.org/bot"
    assert settings.log_level == "INFO"
    assert settings.bot_token is None


def test_the_token_is_never_shown_in_the_settings_repr():
    settings = Settings(_env_file=None, bot_token="123456:SECRET-TOKEN")
    assert "SECRET-TOKEN" not in repr(settings)


def test_a_webhook_without_a_secret_is_refused():
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        Settings(_env_file=None, bot_token="1:x", webhook_url="https://example.org/hook")


@pytest.mark.parametrize("secret", ["has space", "x" * 257, "ünïcode"])
def test_a_webhook_secret_telegram_would_refuse_is_refused_at_start(secret):
    with pytest.raises(ValueError, match="WEBHOOK_SECRET must be"):
        Settings(
            _env_file=None,
            bot_token="1:x",
            webhook_url="https://example.org/hook",
            webhook_secret=secret,
        )


def test_no_token_exits_2_with_a_pointer_to_botfather_and_no_traceback(tmp_path):
    env = {"PATH": "", "PYTHONPATH": ""}
    result = subprocess.run(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "@BotFather" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
