"""Fits: time = a * triples^b, least squares on the logarithms; the baseline's plan at each size."""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from typing import Any

from bench_common import STAGES, Json
from bench_runner import Size


@dataclass
class Fit:
    """A power law through measured ``(size label, triples, value)`` points.

    ``exponent_from`` names the sizes the exponent was fitted on when they are not ``points``: a
    single size with the real cases, growing as the synthetic-only sizes grow.
    """

    a: float
    b: float
    points: list[tuple[str, int, float]]
    exponent_from: list[str] = field(default_factory=list)

    def predict(self, triples: int) -> float:
        return self.a * math.pow(triples, self.b)

    def local_exponent(self) -> float | None:
        """The exponent between the two largest sizes (how fast the stage grows where it was left)."""
        if len(self.points) < 2:
            return None
        (_, x1, y1), (_, x2, y2) = self.points[-2:]
        return math.log(y2 / y1) / math.log(x2 / x1) if x2 != x1 and y1 > 0 and y2 > 0 else None

    def to_json(self) -> Json:
        return {
            "a": self.a,
            "b": self.b,
            "local_b": self.local_exponent(),
            "points": [list(p) for p in self.points],
            "exponent_from": self.exponent_from,
        }


def fit(points: list[tuple[str, int, float]]) -> Fit | None:
    """The power law through the points, None with fewer than two sizes.

    A negative exponent (noise where a stage's constant cost dominates) is set to 0: a stage is
    assumed not to get faster with more data.
    """
    if len({x for _, x, _ in points}) < 2:
        return None
    xs = [math.log(x) for _, x, _ in points]
    ys = [math.log(max(y, 1e-6)) for _, _, y in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    b = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    b = max(b, 0.0)
    return Fit(math.exp(my - b * mx), b, sorted(points, key=lambda p: (p[1], p[0])))


def complete(result: Json) -> bool:
    """Whether every baseline stage ran, on owlrl's closure (so its peak memory is the baseline's)."""
    stages = result.get("stages", {})
    return result.get("closure") == "owlrl" and all(stages.get(s, {}).get("status") == "measured" for s in STAGES)


def baseline_record(result: Json, key: str) -> Json:
    """The record of one stage, one ``query:NAME``, or ``peak_mb`` in a baseline child's result."""
    if key == "peak_mb":
        if "peak_mb" not in result:
            return {}
        if complete(result):
            return {"status": "measured", "seconds": result["peak_mb"]}
        return {"status": "partial", "limit": result["peak_mb"]}  # a lower bound: not every stage ran
    if key.startswith("query:"):
        found: Json = result.get("queries", {}).get(key[6:], {})
        return found
    stage: Json = result.get("stages", {}).get(key, {})
    return stage


def points(baseline: dict[str, Json], sizes: dict[str, Size], key: str) -> list[tuple[str, int, float]]:
    """The measured baseline values of ``key`` at every size."""
    found = []
    for label, result in baseline.items():
        record = baseline_record(result, key)
        if record.get("status") == "measured":
            found.append((label, sizes[label].triples, float(record["seconds"])))
    return found


def lower_bounds(baseline: dict[str, Json], sizes: dict[str, Size], key: str) -> list[tuple[str, int, float]]:
    """Where the baseline was stopped at its limit (or, for memory, ran in part): value at least."""
    found = []
    for label, result in baseline.items():
        record = baseline_record(result, key)
        if record.get("status") in ("timeout", "partial"):
            found.append((label, sizes[label].triples, float(record["limit"])))
    return found


def fit_for(baseline: dict[str, Json], sizes: dict[str, Size], key: str, real: bool) -> Fit | None:
    """The fit for sizes with (``real``) or without the real cases.

    Sizes of the same kind are used when at least two were measured: some queries cost far more
    on synthetic-only data than on the real cases. With one size of the kind, the fit goes through
    it with the exponent of the other kind; with none, the other kind's fit is used as it is.
    """
    found = points(baseline, sizes, key)
    own = [p for p in found if sizes[p[0]].real == real]
    other = fit([p for p in found if sizes[p[0]].real != real])
    if len({x for _, x, _ in own}) >= 2:
        return fit(own)
    if own and other:
        _, x, y = max(own, key=lambda p: p[1])
        return Fit(y / math.pow(x, other.b), other.b, own, [label for label, _, _ in other.points])
    return other


def predict(baseline: dict[str, Json], sizes: dict[str, Size], key: str, size: Size) -> float | None:
    """The extrapolated value of ``key`` at ``size``: the fit, but never below what was seen at
    this size or a smaller one of its kind (measured, or a lower bound)."""
    law = fit_for(baseline, sizes, key, size.real)
    seen = [
        y
        for label, x, y in points(baseline, sizes, key) + lower_bounds(baseline, sizes, key)
        if x <= size.triples and sizes[label].real == size.real
    ]
    if law is None:
        return max(seen) if seen else None
    return max([law.predict(size.triples), *seen])


def plan_for(size: Size, baseline: dict[str, Json], sizes: dict[str, Size], names: list[str], args: Any) -> Json:
    """Which baseline stages to run at ``size``: those predicted within their limit.

    The prediction is cautious: from the largest size measured (or the size where the stage was
    stopped at its limit, a lower bound), growing with the fitted exponent kept between 1 and 2
    (no stage gets faster with more data; noise on small sizes must not make a cheap stage look
    expensive). A query is left out only on a prediction from sizes of its own kind (see
    :func:`fit_for`); otherwise it is run, and stopped at its limit if need be.
    """

    def entry(key: str, limit: float) -> Json:
        law = fit_for(baseline, sizes, key, size.real)
        anchors = points(baseline, sizes, key) + lower_bounds(baseline, sizes, key)
        if key.startswith("query:"):
            anchors = [a for a in anchors if sizes[a[0]].real == size.real]
        predicted = None
        if anchors:
            _, x, y = max(anchors, key=lambda a: (a[1], a[2]))
            predicted = y * math.pow(size.triples / x, min(max(law.b if law else 1.0, 1.0), 2.0))
        return {"run": predicted is None or predicted <= limit, "predicted": predicted, "limit": limit}

    return {
        "stages": {s: entry(s, args.budget) for s in STAGES},
        "queries": {n: entry(f"query:{n}", args.baseline_query_limit) for n in names},
        "query_budget": args.query_budget,
        "query_limit": args.baseline_query_limit,
    }
