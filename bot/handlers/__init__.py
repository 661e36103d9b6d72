"""Telegram glue, one module per area; each exposes HANDLERS in the order they must match."""
