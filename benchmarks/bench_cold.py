"""``iakg query NAME`` from a cold start: measured in new processes, and reported."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_common import EXAMPLE_QUERY, Json
from bench_report import fmt_time
from bench_runner import Size, child_env


def iakg_executable() -> str:
    beside = Path(sys.executable).parent / "iakg"
    found = str(beside) if beside.is_file() else shutil.which("iakg")
    if not found:
        raise SystemExit("The iakg console script is not installed (pip install -e .): cannot time a cold start.")
    return found


def cold_start(size: Size, sources: Path, names: list[str], runs: int) -> Json:
    """``iakg query NAME`` in a new process, on the cached build; and ``import iakg.cli``.

    The first question after the build also indexes the graph on disk (once per build: one
    question in a new process reads that on-disk store), and is timed on its own. It is also the
    warm-up: Python caches compiled bytecode as it does by default (``PYTHONDONTWRITEBYTECODE``
    unset), as for anyone running the installed command twice.
    """
    env = child_env(size, sources)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    exe = iakg_executable()
    for made in Path(env["IAKG_BUILD"]).glob("stores/*/store*"):  # the first use is measured, even with --workdir
        shutil.rmtree(made) if made.is_dir() else made.unlink()

    def timed(command: list[str]) -> float:
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, capture_output=True)
        return time.perf_counter() - start

    def ask(name: str) -> float:
        return timed([exe, "query", name, "--project", str(size.project)])

    out: Json = {"executable": exe, "queries": {}}
    try:
        out["first"] = {"name": EXAMPLE_QUERY, "seconds": ask(EXAMPLE_QUERY)}
        for name in names:
            times = [ask(name) for _ in range(runs)]
            out["queries"][name] = {"seconds": statistics.median(times), "runs": times}
        times = [timed([sys.executable, "-c", "import iakg.cli"]) for _ in range(runs)]
        out["import_cli"] = {"seconds": statistics.median(times), "runs": times}
    except subprocess.CalledProcessError as exc:
        return {"failed": f"{' '.join(exc.cmd)}: exit code {exc.returncode}: {exc.stderr.decode()[-500:]}"}
    return out


def by_size(cold: Json) -> dict[str, Json]:
    """The cold starts per size label (results written before 2026-11-23 hold the real cases only)."""
    return {"real": cold} if "queries" in cold or "failed" in cold else cold


def cold_checks(cold: dict[str, Json]) -> list[Json]:
    """The target on the eight real cases."""
    target = "8 real cases: `iakg query NAME` from a cold start under 1 s"
    real = cold.get("real", {})
    if "failed" in real:
        return [{"target": target, "met": None, "figure": f"failed: {real['failed']}"}]
    if not real.get("queries"):
        return [{"target": target, "met": None, "figure": "not measured"}]
    times = {n: q["seconds"] for n, q in real["queries"].items()}
    slow = sorted((n for n, t in times.items() if t >= 1), key=lambda n: -times[n])
    runs = len(next(iter(real["queries"].values()))["runs"])
    figure = (
        f"{len(times) - len(slow)} of {len(times)} questions under 1 s (median of {runs} runs); "
        f"{EXAMPLE_QUERY} {fmt_time(times.get(EXAMPLE_QUERY))}; fastest {fmt_time(min(times.values()))}"
        + (f"; over 1 s: {'; '.join(f'{n} {fmt_time(times[n])}' for n in slow)}" if slow else "")
        + f". For context, `python -c 'import iakg.cli'`: {fmt_time(real['import_cli']['seconds'])}"
    )
    return [{"target": target, "met": not slow, "figure": figure}]


def cold_markdown(cold: dict[str, Json], titles: dict[str, str], ours: dict[str, Json]) -> str:
    """A summary per size, then every question's cold start at every size measured."""
    measured = [label for label, c in cold.items() if c.get("queries")]
    if not measured:
        return "Not measured."
    lines = [
        "| size | first question after the build (indexes on disk) | median question | slowest | under 1 s | "
        "for comparison: loading the graph in memory (`open()`) |",
        "|---|---|---|---|---|---|",
    ]
    for label in measured:
        times = {n: q["seconds"] for n, q in cold[label]["queries"].items()}
        slowest = max(times, key=lambda n: times[n])
        first = cold[label].get("first", {}).get("seconds")
        opened = ours.get(label, {}).get("extras", {}).get("cache", {}).get("open")
        under = sum(1 for t in times.values() if t < 1)
        lines.append(
            f"| {titles[label]} | {fmt_time(first)} | {fmt_time(statistics.median(times.values()))} | "
            f"{slowest} {fmt_time(times[slowest])} | {under} of {len(times)} | {fmt_time(opened)} |"
        )
    lines += ["", "| question | " + " | ".join(titles[label] for label in measured) + " |"]
    lines.append("|---|" + "---|" * len(measured))
    for name in sorted(cold[measured[0]]["queries"]):
        cells = [fmt_time(cold[label]["queries"].get(name, {}).get("seconds")) for label in measured]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
