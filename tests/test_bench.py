"""The benchmark suite's machinery at a tiny size: everyone delivered once, every figure there.

No timing is asserted here; the figures themselves are for `python -m bench` (docs/BENCHMARKS.md).
"""

from __future__ import annotations

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
)


async def test_a_tiny_run_delivers_to_everyone_once_and_reports_every_figure():
    results = await run_all(TINY, BENCHMARKS, profile=False)

    burst, raw = results["burst"], results["raw"]
    assert (burst["delivered"], burst["lost"], burst["duplicated"]) == (40, 0, 0)
    assert burst["statuses"] == {"sent": 40}
    assert (raw["delivered"], raw["duplicated"], raw["sent"]) == (40, 0, 40)
    assert results["latency"]["updates"] == 4 * 7  # /start, the screen and five answers each
    assert results["latency"]["unfinished"] == 0
    assert results["punctuality"]["delivered"] == 20
    plan = " ".join(" ".join(lines) for lines in results["scale"]["plans"].values())
    assert "USING INDEX ix_users_next_due_at" in plan

    numbers = figures(results)
    assert list(numbers) == [
        "burst_users",
        "burst_rate_msgs_per_s",
        "burst_lost",
        "burst_duplicated",
        "raw_rate_msgs_per_s",
        "users_100k_startup_s",
        "users_100k_rss_mb",
        "baseline_100k_startup_s",
        "baseline_100k_rss_mb",
        "handler_p50_ms",
        "handler_p99_ms",
        "lateness_p99_s",
    ]
    assert all(value is not None for value in numbers.values())
    assert table(results).count("\n") == 7  # header, rule, six rows
