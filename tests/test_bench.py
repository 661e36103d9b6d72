"""The benchmark suite's machinery at a tiny size: everyone delivered once, every figure there.

No timing is asserted here; the figures themselves are for `python -m bench` (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import importlib.util

from bench.__main__ import figures, run_all, table
from bench.runs import BENCHMARKS, Sizes

TINY = Sizes(
    burst_users=40,
    raw_users=40,
    scale_users=300,
    scale_repeats=1,
    quiz_users=4,
    quiz_start_spread_s=0.1,
    quiz_think_s=(0.01, 0.05),
    punctual_users=20,
    punctual_due_in_s=1.5,
    tick_seconds=1.0,
    settle_s=0.2,
    tap_burst_users=40,
    tap_seconds=1.0,
    tap_rates=(10.0,),
    tap_step_seconds=1.0,
    million_users=2_000,
    aiogram_messages=40,
    aiogram_venv=False,  # never a venv or a registry in the test suite
)
HAS_AIOGRAM = importlib.util.find_spec("aiogram") is not None  # a bench extra


async def test_a_tiny_run_delivers_to_everyone_once_and_reports_every_figure():
    results = await run_all(TINY, BENCHMARKS, profile=False)

    burst, raw = results["burst"], results["raw"]
    assert (burst["delivered"], burst["lost"], burst["duplicated"]) == (40, 0, 0)
    assert burst["statuses"] == {"sent": 40}
    assert (raw["delivered"], raw["duplicated"], raw["sent"]) == (40, 0, 40)
    # /start, the privacy notice, the age band, three red-flag tiers and five answers each
    assert results["latency"]["updates"] == 4 * 11
    assert results["latency"]["unfinished"] == 0
    assert results["punctuality"]["delivered"] == 20
    plan = " ".join(" ".join(lines) for lines in results["scale"]["plans"].values())
    assert "USING INDEX ix_users_next_due_at" in plan
    taps = results["taps"]
    # Every press made was answered; one finding no user ready (the bot behind) is counted.
    assert taps["answered_at_30"] == taps["sent_at_30"] > 0
    assert taps["sent_at_30"] + taps["starved_at_30"] == 30  # 30/s for 1 s
    assert [step["answered"] for step in taps["steps"]] == [step["sent"] for step in taps["steps"]]
    assert results["million"]["users"] == 2_000
    for key in ("aiogram", "aiogram_uvloop"):  # on asyncio's loop and on uvloop
        if HAS_AIOGRAM:
            assert results[key]["delivered"] == 40
        else:  # reported as missing, with the reason
            assert "not installed" in results[key]["reason"]
    webapi = results["webapi"]  # 50 API requests (50/s for 1 s) during a burst, all answered
    assert (webapi["requests"], webapi["errors"]) == (50, {})

    numbers = figures(results)
    assert list(numbers) == [
        "burst_users",
        "burst_rate_msgs_per_s",
        "burst_lost",
        "burst_duplicated",
        "raw_rate_msgs_per_s",
        "cpu_ms_per_send",
        "cpu_ms_per_tap",
        "tap_p99_ms_at_30_per_s",
        "tap_capacity_per_s",
        "users_100k_startup_s",
        "users_100k_rss_mb",
        "baseline_100k_startup_s",
        "baseline_100k_rss_mb",
        "users_1m_startup_s",
        "users_1m_rss_mb",
        "users_1m_startup_cpu_s",
        "baseline_aiogram_msgs_per_s",
        "baseline_aiogram_uvloop_msgs_per_s",
        "baseline_aiogram_cpu_ms_per_send",
        "baseline_aiogram_uvloop_cpu_ms_per_send",
        "handler_p50_ms",
        "handler_p99_ms",
        "lateness_p99_s",
        "webapp_api_p99_ms_at_50_per_s",
        "users_1m_count",
        "tap_load_avg_1m",
        "baseline_aiogram_note",
        "machine_ref_ms",
        "event_loop",
    ]
    assert numbers["users_1m_count"] == 2_000
    # the loop the figures were taken on: the test's own here; `python -m bench` uses uvloop
    assert numbers["event_loop"] == "asyncio" and numbers["machine_ref_ms"] > 0
    missing = {key for key, value in numbers.items() if value is None}
    aiogram_keys = {
        key for key in numbers if key.startswith("baseline_aiogram_") and "note" not in key
    }
    assert missing == (set() if HAS_AIOGRAM else aiogram_keys)
    # header, rule, thirteen rows (fifteen with aiogram's two)
    assert table(results).count("\n") == (15 if HAS_AIOGRAM else 13)
