"""The performance benchmark of issue 7: our pipeline against the naive rdflib baseline.

Sizes: the eight real cases, and the real cases plus 1,000 and 10,000 synthetic cases
(benchmarks/synthetic.py), each in its own project folder and measured in fresh subprocesses, so
timings and peak memory are per size.

* Ours: ``iakg.pipeline.build`` (load, reason, save) and ``iakg.validate.validate_store`` (fast
  engine) in one process; every library query (``queries/*.rq`` bound with its default
  parameters, median of 5 runs) in a second process opening the cached build; then the cached
  build in a fresh process, and the check of one changed file (``scratch_store`` +
  ``validate_store``, as ``iakg validate FILE`` does). Peak memory is the larger peak RSS of the
  first two processes.
* The baseline: rdflib parsing every input file into one ``Graph``, owlrl's full OWL 2 RL closure,
  pySHACL on the closed graph (``inference="none"``), every library query with rdflib's SPARQL.
  Also measured on synthetic-only sizes (25 to 150 cases plus the ontology), for the fits.
* ``iakg query NAME`` from a cold start (the installed console script, in a new process) for
  every question on the eight real cases and at the largest size (at most 3 runs there), the
  first question after the build on its own (it indexes the graph on disk, once per build), and
  ``python -c "import iakg.cli"``.

Budgets. A baseline stage is run only if a power law ``time = a * triples^b`` fitted on the
sizes already measured predicts it within its budget (``--budget``, 300 s; the queries of one size
share ``--query-budget``); otherwise, or if it is stopped at its budget, its time is extrapolated
from the fit and marked ``*``. Where owlrl is not run, pySHACL and the queries run on the asserted
triples plus our reasoner's entailments (equal to owlrl's about the data: tests/test_reason.py),
marked ``†``. One of our queries running past ``--query-limit`` is stopped and reported as such.

    python benchmarks/benchmark.py            # the full run: about 25 minutes on 2 cores
    python benchmarks/benchmark.py --quick    # real + 1,000 cases, a small baseline fit: 6 minutes
    python benchmarks/benchmark.py --render build/benchmark/results.json   # the report again

Prints the table and the checks against the targets of issue 7, and writes every measurement
to ``--out`` (default ``build/benchmark/results.json``). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench_children import baseline_child, build_child, extras_child, library_texts, queries_child
from bench_cold import by_size, cold_checks, cold_markdown, cold_start
from bench_common import ROOT, Json
from bench_fits import plan_for
from bench_report import Report, checks, fmt_time, machine, render, summary
from bench_runner import Size, make_project, run_child, run_queries


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ints = lambda text: [int(v) for v in text.split(",") if v]  # noqa: E731
    add = parser.add_argument
    add("--sizes", type=ints, default=None, help="synthetic cases added to the real ones (default 1000,10000)")
    add(
        "--fit-sizes",
        type=ints,
        default=None,
        help="synthetic-only sizes for the baseline fits (default 25,50,100,150)",
    )
    add("--budget", type=float, default=None, help="seconds allowed to one baseline stage (default 300)")
    add("--query-budget", type=float, default=None, help="seconds for the baseline queries of one size (default 300)")
    add(
        "--baseline-query-limit",
        type=float,
        default=None,
        help="seconds before a baseline query is stopped (default 30)",
    )
    add("--query-limit", type=float, default=None, help="seconds before one of our queries is stopped (default 30)")
    add("--runs", type=int, default=None, help="runs of each of our queries and cold starts (default 5; median)")
    add("--baseline-runs", type=int, default=3, help="runs of each baseline query (while under 5 s in all)")
    add("--quick", action="store_true", help="real + 1,000 cases; fits on 10 and 25 cases; smaller budgets; 3 runs")
    add("--out", type=Path, default=ROOT / "build" / "benchmark" / "results.json", help="the JSON results file")
    add("--workdir", type=Path, default=None, help="folder for the projects and builds (default: temporary, removed)")
    sources = Path(os.environ.get("IAKG_SOURCES", ROOT.parent / "shared" / "sources"))
    add("--sources", type=Path, default=sources, help="the source texts (default $IAKG_SOURCES or ../shared/sources)")
    add("--render", type=Path, default=None, help="print the report again from an earlier run's JSON file")
    for name in ("--child", "--project", "--result", "--plan", "--inferred", "--skip", "--progress"):
        add(name, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    quick = args.quick
    args.sizes = args.sizes if args.sizes is not None else ([1000] if quick else [1000, 10000])
    args.fit_sizes = args.fit_sizes if args.fit_sizes is not None else ([10, 25] if quick else [25, 50, 100, 150])
    args.budget = args.budget or (60.0 if quick else 300.0)
    args.query_budget = args.query_budget or (60.0 if quick else 300.0)
    args.baseline_query_limit = args.baseline_query_limit or (10.0 if quick else 30.0)
    args.query_limit = args.query_limit or (10.0 if quick else 30.0)
    args.runs = args.runs or (3 if quick else 5)
    return args


def child_main(args: argparse.Namespace) -> None:
    project = Path(args.project)
    if args.child == "build":
        result = build_child(project, Path(args.inferred))
    elif args.child == "queries":
        skip = set(json.loads(Path(args.skip).read_text()))
        result = queries_child(project, args.runs, skip, Path(args.progress))
    elif args.child == "extras":
        result = extras_child(project)
    else:
        plan = json.loads(Path(args.plan).read_text())
        result = baseline_child(project, plan, Path(args.inferred) if args.inferred else None, args.baseline_runs)
    Path(args.result).write_text(json.dumps(result))


class Log:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def __call__(self, message: str) -> None:
        minutes, seconds = divmod(int(time.perf_counter() - self.start), 60)
        print(f"[{minutes:3d}:{seconds:02d}] {message}", file=sys.stderr, flush=True)


def measure_ours(size: Size, args: argparse.Namespace, log: Log) -> Json:
    built = run_child("build", size, args.sources, 3600, ["--inferred", str(size.inferred)])
    log(f"ours {size.title}: {summary(built)}")
    if "failed" in built:
        return {"build": built}
    queries = run_queries(size, args.sources, args.runs, args.query_limit)
    stopped = sorted(n for n, q in queries["queries"].items() if q.get("status") == "timeout")
    log(
        f"ours {size.title}: {summary(queries)}"
        + (f"; stopped at {args.query_limit:.0f} s: {', '.join(stopped)}" if stopped else "")
    )
    extras = run_child("extras", size, args.sources, 3600)
    return {"build": built, "queries": queries, "extras": extras}


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.child:
        child_main(args)
        return
    if args.render:
        rerender(args)
        return
    log = Log()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="iakg-benchmark-"))
    main_sizes = [Size("real", 0, True, work / "real")]
    main_sizes += [Size(str(n), n, True, work / f"cases-{n}") for n in args.sizes]
    ladder = [Size(f"fit-{n}", n, False, work / f"fit-{n}") for n in args.fit_sizes]
    sizes = {s.label: s for s in [*main_sizes, *ladder]}
    for size in sizes.values():
        make_project(size)
        log(f"project {size.title}: {size.triples:,} input triples")

    ours = {size.label: measure_ours(size, args, log) for size in main_sizes}
    names = sorted(library_texts(ROOT / "queries"))
    cold: dict[str, Json] = {}
    for label in dict.fromkeys([main_sizes[0].label, main_sizes[-1].label]):  # the real cases, the largest size
        size = sizes[label]
        if "queries" in ours[label]:
            cold[label] = cold_start(size, args.sources, names, args.runs if label == "real" else min(args.runs, 3))
            first = cold[label].get("first", {}).get("seconds")
            times = ", ".join(f"{n} {fmt_time(q['seconds'])}" for n, q in cold[label].get("queries", {}).items())
            log(f"cold start {size.title}: first (indexes on disk) {fmt_time(first)}; {times}")

    baseline: dict[str, Json] = {}
    for size in sorted(sizes.values(), key=lambda s: s.triples):
        plan = plan_for(size, baseline, sizes, names, args)
        plan_file = size.folder / "plan.json"
        plan_file.write_text(json.dumps(plan))
        extra = ["--plan", str(plan_file), "--baseline-runs", str(args.baseline_runs)]
        extra += ["--inferred", str(size.inferred)] if size.inferred.is_file() else []
        result = run_child("baseline", size, args.sources, 3 * args.budget + args.query_budget + 1800, extra)
        baseline[size.label] = {**result, "plan": plan}
        log(f"baseline {size.title}: {summary(result)}")

    seconds = time.perf_counter() - log.start
    finish(args, sizes, [s.label for s in main_sizes], ours, baseline, cold, seconds)
    log(f"wrote {args.out}")
    if args.workdir is None:
        shutil.rmtree(work, ignore_errors=True)


def finish(
    args: argparse.Namespace,
    sizes: dict[str, Size],
    main: list[str],
    ours: dict[str, Json],
    baseline: dict[str, Json],
    cold: dict[str, Json],
    seconds: float,
    date: str | None = None,
) -> None:
    """Print the report and write it, with every measurement, to ``args.out``."""
    report = Report(sizes, main, ours, baseline)
    found = [*checks(report), *cold_checks(cold)]
    order = [s.label for s in sorted(sizes.values(), key=lambda s: s.triples)]
    titles = {label: sizes[label].title for label in cold if label in sizes}
    text = render(report, found, order, args, seconds, cold_markdown(cold, titles, ours))
    print(text)
    data = {
        "date": date or datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "settings": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if v is not None},
        "minutes": seconds / 60,
        "sizes": {
            k: {"title": s.title, "synthetic": s.synthetic, "real": s.real, "triples": s.triples}
            for k, s in sizes.items()
        },
        "main": main,
        "ours": ours,
        "baseline": baseline,
        "cold_start": cold,
        "fits": {k: law.to_json() for k, law in report.fits.items() if law},
        "table": report.table(),
        "checks": found,
        "text": text,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False))


def rerender(args: argparse.Namespace) -> None:
    """The report again from the measurements of an earlier run (``--render FILE``)."""
    data = json.loads(Path(args.render).read_text())
    for name in ("budget", "query_budget", "baseline_query_limit", "query_limit"):
        setattr(args, name, data["settings"].get(name, getattr(args, name)))
    sizes = {k: Size(k, v["synthetic"], v["real"], Path(), v["triples"]) for k, v in data["sizes"].items()}
    main = data.get("main") or [k for k, v in data["sizes"].items() if v["real"]]
    cold = by_size(data["cold_start"])
    finish(args, sizes, main, data["ours"], data["baseline"], cold, data["minutes"] * 60, data["date"])


if __name__ == "__main__":
    main()
