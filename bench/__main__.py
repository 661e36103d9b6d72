"""`python -m bench [--quick] [--json PATH]`: every benchmark against the real bot, one table.

The bot runs in this process (or as `python -m bot` for start-up), the fake Bot API in a
process of its own on 127.0.0.1. Floors are from issue 4; docs/BENCHMARKS.md has a full run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import runs
from bench.harness import FakeApiProcess, quiet_logging
from bench.runs import BENCHMARKS


async def run_all(sizes: runs.Sizes, only: tuple[str, ...], profile: bool) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="hipcheck-bench-") as folder:
        work = Path(folder)
        async with FakeApiProcess() as api:
            if "burst" in only:
                results["burst"] = await runs.burst(api, work, sizes.burst_users)
            if "raw" in only:
                results["raw"] = await runs.raw(
                    api, work, sizes.raw_users, profile=_profiler() if profile else None
                )
            if "scale" in only:
                results["scale"] = await runs.scale(api, work, sizes)
            if "latency" in only:
                results["latency"] = await runs.latency(api, work, sizes)
            if "punctuality" in only:
                results["punctuality"] = await runs.punctuality(api, work, sizes)
    return results


def _profiler() -> Any:
    from pyinstrument import Profiler  # a bench extra: pip install -e ".[bench]"

    return lambda: Profiler(async_mode="disabled")


def figures(results: dict[str, Any]) -> dict[str, Any]:
    """The issue's JSON keys (None for a benchmark that was not run)."""
    b, r, s = results.get("burst", {}), results.get("raw", {}), results.get("scale", {})
    lat, p = results.get("latency", {}), results.get("punctuality", {})
    return {
        "burst_users": b.get("users"),
        "burst_rate_msgs_per_s": _round(b.get("rate")),
        "burst_lost": b.get("lost"),
        "burst_duplicated": b.get("duplicated"),
        "raw_rate_msgs_per_s": _round(r.get("rate")),
        "users_100k_startup_s": _round(s.get("startup_s"), 3),
        "users_100k_rss_mb": _round(s.get("rss_mb")),
        "baseline_100k_startup_s": _round(s.get("baseline_startup_s"), 3),
        "baseline_100k_rss_mb": _round(s.get("baseline_rss_mb")),
        "handler_p50_ms": _round(lat.get("p50_ms"), 2),
        "handler_p99_ms": _round(lat.get("p99_ms"), 2),
        "lateness_p99_s": _round(p.get("p99_s"), 2),
    }


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def table(results: dict[str, Any]) -> str:
    """A Markdown table: benchmark, figure, floor, met."""
    lines = ["| benchmark | measured | floor | met |", "| --- | --- | --- | --- |"]

    def row(name: str, measured: str, floor: str, met: bool | None) -> None:
        mark = "—" if met is None else ("yes" if met else "**no**")
        lines.append(f"| {name} | {measured} | {floor} | {mark} |")

    if b := results.get("burst"):
        row(
            f"1. burst, {b['users']:,} users at 30/s + 1/s/chat",
            f"{b['rate']:.2f} msg/s over {b['seconds']:.0f} s; lost {b['lost']}, "
            f"twice {b['duplicated']}; {b['rejected_429']} answered 429",
            "≥ 28.5 msg/s, 0 lost, 0 twice",
            b["rate"] >= 28.5 and b["lost"] == 0 and b["duplicated"] == 0,
        )
    if r := results.get("raw"):
        row(
            f"2. raw capacity, {r['users']:,} users, no limit",
            f"{r['rate']:.0f} msg/s ({r['cpu_per_msg_ms']:.2f} ms CPU/msg, "
            f"{r['cpu_share']:.0%} of a core); delivered {r['delivered']:,}",
            "≥ 1,000 msg/s",
            r["rate"] >= 1000,
        )
    if s := results.get("scale"):
        row(
            f"3. start-up, {s['users']:,} users: Hip Check",
            f"{s['startup_s']:.2f} s to first getUpdates; {s['rss_mb']:.0f} MB RSS "
            f"(peak {s['peak_mb']:.0f})",
            "≤ 2 s, ≤ 150 MB",
            s["startup_s"] <= 2 and s["rss_mb"] <= 150,
        )
        row(
            f"3. start-up, {s['users']:,} users: one run_daily job each",
            f"{s['baseline_startup_s']:.2f} s; {s['baseline_rss_mb']:.0f} MB RSS "
            f"(peak {s['baseline_peak_mb']:.0f})",
            "(baseline)",
            None,
        )
    if lat := results.get("latency"):
        row(
            f"4. handler time, {lat['users']} users doing the quiz",
            f"p50 {lat['p50_ms']:.1f} ms, p99 {lat['p99_ms']:.1f} ms, max {lat['max_ms']:.0f} ms "
            f"({lat['updates']:,} updates, {lat['updates_per_s']:.0f}/s)",
            "p50 ≤ 5 ms, p99 ≤ 25 ms",
            lat["p50_ms"] <= 5 and lat["p99_ms"] <= 25,
        )
    if p := results.get("punctuality"):
        row(
            f"5. lateness, {p['users']:,} users due at one instant, 30/s",
            f"p99 {p['p99_s']:.1f} s, p50 {p['p50_s']:.1f} s, max {p['max_s']:.1f} s",
            f"p99 within a few s of {p['ideal_s'] * 0.99:.1f} s",
            p["p99_s"] <= p["ideal_s"] * 0.99 + 3,
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args_given = sys.argv[1:] if argv is None else argv
    if args_given[:1] == ["demos"]:  # drawing the demonstrations: bench/demos.py
        from bench import demos

        return demos.main(args_given[1:])
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller runs: a few minutes")
    parser.add_argument("--json", metavar="PATH", type=Path, help="write the figures here")
    parser.add_argument(
        "--only", nargs="+", choices=BENCHMARKS, default=BENCHMARKS, help="run only these"
    )
    parser.add_argument(
        "--profile", action="store_true", help="profile the raw run with pyinstrument"
    )
    args = parser.parse_args(argv)
    quiet_logging()
    sizes = runs.QUICK if args.quick else runs.FULL
    results = asyncio.run(run_all(sizes, tuple(args.only), args.profile))
    print(table(results))
    if plans := results.get("scale", {}).get("plans"):
        print("\nQuery plans of a delivery tick (SQLite):")
        for statement, plan in plans.items():
            print(f"  {statement}\n    -> " + "\n    -> ".join(plan))
    if (profiler := results.get("raw", {}).get("profiler")) is not None:
        print(profiler.output_text(unicode=True, color=False, show_all=False))
    if args.json:
        args.json.write_text(json.dumps(figures(results), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
