"""Settings read once from the environment (or a .env file) and passed down explicitly."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/hipcheck.db"
# What Telegram accepts as a webhook's secret_token.
WEBHOOK_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")


class MissingTokenError(Exception):
    """BOT_TOKEN is not set."""


def normalize_database_url(url: str) -> str:
    """Map the URL shapes hosting platforms hand out onto the async drivers we use."""
    for prefix, async_prefix in (
        ("postgres://", "postgresql+asyncpg://"),
        ("postgresql://", "postgresql+asyncpg://"),
        ("postgresql+psycopg2://", "postgresql+asyncpg://"),
        ("sqlite://", "sqlite+aiosqlite://"),
    ):
        if url.startswith(prefix):
            return async_prefix + url.removeprefix(prefix)
    return url


class Settings(BaseSettings):
    """Everything configurable, with the defaults of PRODUCT.md's table."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    port: int = 8080
    log_level: str = "INFO"
    # Delivery tuning; the defaults suit production.
    tick_seconds: float = Field(default=20.0, gt=0)
    grace_hours: float = Field(default=3.0, ge=0)
    # A session claimed this long ago and still not recorded as sent was abandoned by a crash.
    claim_lease_seconds: float = Field(default=120.0, gt=0)
    content_dir: Path | None = None
    # Users who blocked the bot and stayed inactive this many days are deleted, every row.
    retention_days: int = Field(default=365, ge=1)
    # How long a Bot API call waits for Telegram's answer before it counts as timed out.
    telegram_read_timeout: float = Field(default=5.0, gt=0)
    # The Mini App (bot/web): the page's public HTTPS address (unset: no Mini App buttons), the
    # port its server listens on in polling mode (webhook mode serves it on PORT), and how old
    # a launch's signed initData may be.
    webapp_url: str | None = None
    webapp_port: int = Field(default=8081, ge=1, le=65535)
    webapp_max_age_seconds: int = Field(default=86_400, gt=0)

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, value: str) -> str:
        return normalize_database_url(value)

    @field_validator("bot_token", "webhook_secret", "webhook_url", "webapp_url", mode="before")
    @classmethod
    def _blank_is_unset(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        if self.webhook_url and not self.webhook_secret:
            raise ValueError("WEBHOOK_URL is set but WEBHOOK_SECRET is not; set both")
        if self.webhook_secret and not WEBHOOK_SECRET.fullmatch(
            self.webhook_secret.get_secret_value()
        ):
            raise ValueError("WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
        if self.webapp_url and not self.webapp_url.startswith("https://"):
            raise ValueError("WEBAPP_URL must be an https:// address (Telegram opens only those)")
        return self

    @property
    def grace(self) -> timedelta:
        return timedelta(hours=self.grace_hours)

    @property
    def retention(self) -> timedelta:
        return timedelta(days=self.retention_days)

    @property
    def claim_lease(self) -> timedelta:
        return timedelta(seconds=self.claim_lease_seconds)

    def token(self) -> str:
        if self.bot_token is None:
            raise MissingTokenError
        return self.bot_token.get_secret_value()

    def ensure_sqlite_directory(self) -> None:
        """Create the folder of a SQLite database file, so the default works on a fresh clone."""
        prefix = "sqlite+aiosqlite:///"
        if self.database_url.startswith(prefix):
            path = self.database_url.removeprefix(prefix).split("?", 1)[0]
            if path and path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
