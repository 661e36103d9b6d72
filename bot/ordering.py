"""Updates of different users are handled concurrently; one user's, one at a time and in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor


class PerUserOrder(BaseUpdateProcessor):
    """Run up to `max_concurrent_updates` updates at once, but each user's strictly in order.

    A handler that waits for the database or the Bot API no longer holds up everyone else,
    while two quick presses of one person still act one after the other, as they did when
    updates ran one at a time. Updates arrive here in order, and each user's lock is FIFO.
    """

    def __init__(self, max_concurrent_updates: int) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._users: dict[int | None, int] = {}  # updates in flight or waiting, per user

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle `update` once the user's earlier updates are done."""
        key = _user_of(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _user_of(update: object) -> int | None:
    """The user (else the chat) an update comes from; None for updates from no one."""
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return None
