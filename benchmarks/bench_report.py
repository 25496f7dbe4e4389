"""The report: the tables, the fits, and the checks against the targets of issue 7."""

from __future__ import annotations

import argparse
import math
import os
import platform
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version

from bench_children import library_texts
from bench_common import ROOT, STAGES, Json
from bench_fits import baseline_record, complete, fit_for, predict
from bench_runner import Size


def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    if seconds < 0.1:
        return f"{seconds * 1000:.1f} ms"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 100:
        return f"{seconds:.1f} s"
    return f"{seconds:,.0f} s" if seconds < 36000 else f"{seconds / 3600:,.0f} h"


def fmt_mb(mb: float | None) -> str:
    if mb is None:
        return "n/a"
    return f"{mb:.0f} MB" if mb < 1024 else f"{mb / 1024:.2f} GB"


def fmt_ratio(ratio: float) -> str:
    return f"{ratio:,.0f}" if ratio >= 10 else f"{ratio:.2g}"


@dataclass
class Cell:
    """A figure: measured (mark ""), on our closure ("†"), extrapolated ("*"); or a note."""

    value: float | None
    mark: str = ""
    note: str = ""
    bound: float | None = None  # stopped there: the value is at least this

    def text(self, fmt: Callable[[float | None], str]) -> str:
        return self.note if self.value is None and self.note else fmt(self.value) + self.mark


class Report:
    """Every measurement, and the figures of the table and the checks."""

    def __init__(self, sizes: dict[str, Size], main: list[str], ours: dict[str, Json], baseline: dict[str, Json]):
        self.sizes, self.main, self.ours, self.baseline = sizes, main, ours, baseline
        self.names = sorted(library_texts(ROOT / "queries"))
        keys = [*STAGES, *(f"query:{n}" for n in self.names), "peak_mb"]
        self.fits = {k: fit_for(baseline, sizes, k, real=True) for k in keys}

    def ours_cell(self, label: str, key: str) -> Cell:
        built = self.ours.get(label, {}).get("build", {})
        queries = self.ours.get(label, {}).get("queries", {})
        if "stages" not in built:
            return Cell(None, note="failed")
        if key == "total":
            return Cell(float(built["total"]))
        if key == "peak_mb":
            return Cell(max(float(built["peak_mb"]), float(queries.get("peak_mb", 0.0))))
        if key.startswith("query:"):
            record = queries.get("queries", {}).get(key[6:], {})
            if record.get("status") == "timeout":
                return Cell(None, note=f"> {record['limit']:.0f} s (stopped)", bound=float(record["limit"]))
            return Cell(record.get("seconds"))
        return Cell(float(built["stages"][key]))

    def base_cell(self, label: str, key: str) -> Cell:
        result = self.baseline.get(label, {})
        if key == "save":
            return Cell(None, note="none (in memory)")
        if key == "total":
            parts = [self.base_cell(label, s) for s in STAGES]
            if any(p.value is None for p in parts):
                return Cell(None)
            return Cell(sum(p.value or 0.0 for p in parts), "".join(sorted({m for p in parts for m in p.mark})))
        record = baseline_record(result, key)
        if record.get("status") == "measured":
            on_ours = result.get("closure") == "ours" and key not in ("load", "peak_mb")
            return Cell(float(record["seconds"]), "†" if on_ours else "")
        if record.get("status") == "error":
            return Cell(None, note="rdflib error")
        value = predict(self.baseline, self.sizes, key, self.sizes[label])
        return Cell(value, "*") if value is not None else Cell(None)

    def rows(self) -> list[tuple[str, str]]:
        stages = [
            ("load", "load"),
            ("reason", "reason"),
            ("save", "save"),
            ("validate", "validate"),
            ("total", "build total"),
        ]
        return [*stages, *((f"query:{n}", f"query {n}") for n in self.names), ("peak_mb", "peak memory (RSS)")]

    def table(self) -> list[Json]:
        """One row per stage: for each size ours, the baseline with its mark, and the ratio."""
        rows = []
        for key, title in self.rows():
            cells: Json = {}
            for label in self.main:
                ours, base = self.ours_cell(label, key), self.base_cell(label, key)
                ratio = base.value / ours.value if base.value is not None and ours.value else None
                below = base.value / ours.bound if base.value is not None and ours.bound else None
                cells[label] = {
                    "ours": ours.value,
                    "ours_note": ours.note,
                    "baseline": base.value,
                    "mark": base.mark,
                    "note": base.note,
                    "ratio": ratio,
                    "ratio_below": below,  # ours was stopped: the ratio is under this
                }
            rows.append({"key": key, "stage": title, "cells": cells})
        return rows

    def markdown(self) -> str:
        head = ["stage"]
        for label in self.main:
            name = "real" if label == "real" else f"{int(label):,}"
            head += [f"{name}: ours", f"{name}: baseline", f"{name}: ×"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in self.table():
            fmt = fmt_mb if row["key"] == "peak_mb" else fmt_time
            out = [row["stage"]]
            for label in self.main:
                c = row["cells"][label]
                ours = Cell(c["ours"], note=c["ours_note"]).text(fmt)
                base = Cell(c["baseline"], c["mark"], c["note"]).text(fmt)
                ratio = "" if c["ratio"] is None else fmt_ratio(c["ratio"]) + c["mark"]
                if c["ratio_below"] is not None:
                    ratio = "< " + fmt_ratio(c["ratio_below"]) + c["mark"]
                out += [ours, base, ratio]
            lines.append("| " + " | ".join(out) + " |")
        return "\n".join(lines)

    def fits_markdown(self) -> str:
        lines = [
            "| baseline | b | a | b between the two largest | fitted on (size: input triples = measured) | "
            "exponent from |",
            "|---|---|---|---|---|---|",
        ]
        for key, law in self.fits.items():
            if law is None:
                continue
            fmt = fmt_mb if key == "peak_mb" else fmt_time
            where = ", ".join(f"{label}: {x:,} = {fmt(y)}" for label, x, y in law.points)
            local = law.local_exponent()
            local_text = "" if local is None else f"{local:.2f}"
            exponent = ", ".join(law.exponent_from) or "the same"
            lines.append(f"| {key} | {law.b:.2f} | {law.a:.3g} | {local_text} | {where} | {exponent} |")
        return "\n".join(lines)

    def baseline_markdown(self, order: list[str]) -> str:
        """The baseline as run at every size: what was measured, skipped or stopped."""
        lines = [
            "| size | input triples | closed graph | load | reason (owlrl) | validate (pySHACL) | "
            "queries measured | peak (RSS) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label in order:
            result, size = self.baseline.get(label, {}), self.sizes[label]
            cells = []
            for stage in STAGES:
                record = result.get("stages", {}).get(stage, {})
                status = record.get("status", "not run")
                if status == "measured":
                    cells.append(fmt_time(record["seconds"]))
                elif status == "timeout":
                    cells.append(f"stopped at {fmt_time(record['limit'])}")
                else:
                    predicted = record.get("predicted")
                    cells.append(status + (f" (predicted {fmt_time(predicted)})" if predicted else ""))
            queries = result.get("queries", {}).values()
            measured = sum(1 for q in queries if q.get("status") == "measured")
            closure = {"owlrl": " (owlrl)", "ours": " (ours†)"}.get(result.get("closure") or "", "")
            closed = f"{result['closed_triples']:,}{closure}" if "closed_triples" in result else "none"
            peak = fmt_mb(result.get("peak_mb")) + ("" if complete(result) or "peak_mb" not in result else " (partial)")
            lines.append(
                f"| {size.title} | {size.triples:,} | {closed} | {' | '.join(cells)} | "
                f"{measured} of {len(self.names)} | {peak} |"
            )
        return "\n".join(lines)

    def extras_markdown(self) -> str:
        """The build cache and the check of one changed file, at every size."""
        lines = [
            "| size | build + validate | cached: `build()` (hash, manifest) | cached: `open()` | "
            "changed file: `scratch_store` + validate | full validation |",
            "|---|---|---|---|---|---|",
        ]
        for label in self.main:
            built, extras = self.ours.get(label, {}).get("build", {}), self.ours.get(label, {}).get("extras", {})
            if "stages" not in built or "cache" not in extras:
                continue
            cache, changed = extras["cache"], extras["changed_file"]
            lines.append(
                f"| {self.sizes[label].title} | {fmt_time(built['total'])} | {fmt_time(cache['build'])} | "
                f"{fmt_time(cache['open'])} | {fmt_time(changed['total'])} ({fmt_time(changed['scratch_store'])} "
                f"+ {fmt_time(changed['validate'])}) | {fmt_time(built['stages']['validate'])} |"
            )
        return "\n".join(lines)


def checks(report: Report) -> list[Json]:
    """The targets of issue 7, each met or not, with the measured figures."""
    out: list[Json] = []

    def add(target: str, met: bool | None, figure: str) -> None:
        out.append({"target": target, "met": met, "figure": figure})

    def query_times(label: str) -> dict[str, Cell]:
        return {n: report.ours_cell(label, f"query:{n}") for n in report.names}

    big = report.ours.get("10000", {}).get("build", {})
    if "stages" in big:
        s = big["stages"]
        core = s["load"] + s["reason"] + s["validate"]
        add(
            "10,000 cases: full build (load + reason + validate) under 20 s",
            core < 20,
            f"{core:.1f} s (load {s['load']:.1f} + reason {s['reason']:.1f} + validate {s['validate']:.1f}); with the "
            f"save and the input hashing, as `iakg build` runs it: {big['total']:.1f} s",
        )
        times = query_times("10000")
        slow = sorted(
            (n for n, c in times.items() if c.value is None or c.value >= 0.1),
            key=lambda n: -(times[n].value or math.inf),
        )
        listed = "; ".join(f"{n} {times[n].text(fmt_time)}" for n in slow)
        add(
            "10,000 cases: every library query under 100 ms (median)",
            not slow,
            f"{len(times) - len(slow)} of {len(times)} under 100 ms" + (f"; over: {listed}" if slow else ""),
        )
        peak = report.ours_cell("10000", "peak_mb").value or 0.0
        add("10,000 cases: peak memory under 4 GB", peak < 4096, f"{fmt_mb(peak)} (peak RSS, build or query process)")
    else:
        add("10,000 cases: build, queries and memory", None, "size 10000 not measured")
    small = report.ours.get("1000", {}).get("build", {})
    if "stages" in big and "stages" in small:
        growth = big["total"] / small["total"]
        add(
            "1,000 -> 10,000 cases: build grows at most 12x",
            growth <= 12,
            f"x{growth:.1f} ({fmt_time(small['total'])} -> {fmt_time(big['total'])})",
        )
        before, after = query_times("1000"), query_times("10000")
        ratios: dict[str, float] = {}  # a lower bound where the query was stopped at 10,000
        unknown = []  # stopped at both sizes
        for n in report.names:
            a, b = before[n].value, after[n].value or after[n].bound
            if a and b:
                ratios[n] = b / a
            else:
                unknown.append(n)
        over = sorted((n for n, r in ratios.items() if r > 12), key=lambda n: -ratios[n])
        worst = max(ratios, key=lambda n: ratios[n])
        listed = "; ".join(f"{n} x{ratios[n]:.1f}" + (" or more" if after[n].value is None else "") for n in over)
        add(
            "1,000 -> 10,000 cases: each query grows at most 12x",
            not over and not unknown,
            f"largest x{ratios[worst]:.1f} ({worst})"
            + (f"; over 12x: {listed}" if over else "")
            + (f"; stopped at both sizes, growth unknown: {', '.join(unknown)}" if unknown else ""),
        )
    else:
        add("1,000 -> 10,000 cases: growth", None, "sizes 1000 and 10000 not both measured")
    return out


def summary(result: Json) -> str:
    """One line of what a child measured, for the log."""
    if "failed" in result:
        return f"FAILED ({result['failed']})"
    parts = []
    for stage, record in result.get("stages", {}).items():
        if isinstance(record, float):
            parts.append(f"{stage} {fmt_time(record)}")
        elif record.get("status") == "measured":
            parts.append(f"{stage} {fmt_time(record['seconds'])}")
        else:
            parts.append(f"{stage} {record.get('status')}")
    queries = result.get("queries", {})
    if queries:
        measured = sum(1 for q in queries.values() if q.get("status") == "measured")
        parts.append(f"{measured} of {len(queries)} queries measured")
    return ", ".join(parts)


def machine() -> Json:
    pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    packages = ("interagency-kg", "pyoxigraph", "rdflib", "owlrl", "pyshacl")
    return {
        "cpus": os.cpu_count(),
        "memory_gb": round(pages / 1024**3, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": {p: version(p) for p in packages},
    }


def render(
    report: Report, found: list[Json], order: list[str], args: argparse.Namespace, seconds: float, cold: str
) -> str:
    m = machine()
    verdict = {True: "met", False: "NOT MET", None: "not measured"}
    packages = ", ".join(f"{k} {v}" for k, v in m["packages"].items())
    return "\n".join(
        [
            f"# Benchmark: {m['cpus']} cores, {m['memory_gb']} GB, Python {m['python']}; {packages}",
            "",
            "## Ours against the baseline (× = baseline / ours)",
            "",
            report.markdown(),
            "",
            f"Baseline: * extrapolated with the fits below, never below what was seen at that size or a smaller "
            f"one (predicted over its budget of {args.budget:.0f} s, or {args.baseline_query_limit:.0f} s for a "
            f"query, or the queries' {args.query_budget:.0f} s at one size were spent, so not run; or stopped "
            "there); † measured on the asserted triples plus our reasoner's entailments, owlrl not being run at "
            f"that size. A query of ours is stopped after {args.query_limit:.0f} s (× is then an upper bound).",
            "",
            "## The baseline at every size (the points of the fits)",
            "",
            report.baseline_markdown(order),
            "",
            "## Fits: time = a * triples^b, least squares on log-log (b < 0 set to 0)",
            "",
            report.fits_markdown(),
            "",
            "## Build cache and validating one changed file",
            "",
            report.extras_markdown(),
            "",
            "## `iakg query NAME` from a cold start (a new process, on the cached build)",
            "",
            cold,
            "",
            "## Targets of issue 7",
            "",
            *(f"- [{verdict[c['met']]}] {c['target']}: {c['figure']}" for c in found),
            "",
            f"Benchmark run time: {seconds / 60:.1f} min.",
        ]
    )
