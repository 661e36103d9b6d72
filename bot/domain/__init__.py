"""Pure logic: no Telegram, no database, no event loop."""
