"""Benchmarks of Hip Check against Telegram's limits: `python -m bench` (see docs/BENCHMARKS.md)."""
