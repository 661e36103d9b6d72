"""Updates of different users are handled concurrently; one user's, one at a time and in order."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

# The library's own bound is taken before `do_process_update` and so would also count the
# updates that only wait for their user's earlier ones; ours counts running updates only.
_LIBRARY_BOUND = sys.maxsize


class PerUserOrder(BaseUpdateProcessor):
    """Run up to `running_limit` updates at once, but each user's strictly in order.

    A handler that waits for the database or the Bot API does not hold up everyone else,
    while two quick presses of one person still act one after the other. An update first
    waits for its user's earlier ones (FIFO), and only then for one of the running slots, so
    one person's backlog of 40 presses occupies one slot, not all of them, and another
    user's reply never queues behind it.
    """

    def __init__(self, running_limit: int) -> None:
        if running_limit < 1:
            raise ValueError("running_limit must be a positive integer")
        super().__init__(_LIBRARY_BOUND)
        self.running_limit = running_limit
        self._running = asyncio.Semaphore(running_limit)
        self._locks: dict[int | None, asyncio.Lock] = {}
        self._users: dict[int | None, int] = {}  # updates in flight or waiting, per user

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Handle `update` once the user's earlier updates are done and a slot is free."""
        key = _user_of(update)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock, self._running:
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
