"""The benchmark's parts: the synthetic-case generator (deterministic, shaped like the real cases,
valid against every check), the power-law fits the baseline is extrapolated with, and the
benchmark command itself on tiny sizes (slow). The timings themselves are never asserted."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from iakg.iris import ONTOLOGY_NS
from iakg.pipeline import build
from iakg.project import Project
from iakg.validate import validate_store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_fits  # noqa: E402
import synthetic  # noqa: E402
from bench_runner import Size  # noqa: E402


def test_generator_is_deterministic(tmp_path: Path) -> None:
    first = synthetic.generate(150, tmp_path / "a", seed=3)
    again = synthetic.generate(150, tmp_path / "b", seed=3)
    other = synthetic.generate(150, tmp_path / "c", seed=4)
    assert [p.name for p in first] == ["synthetic-0001.ttl", "synthetic-0002.ttl"]
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in again]
    assert synthetic.digest(first) != synthetic.digest(other)


def test_synthetic_cases_are_shaped_like_the_real_ones(tmp_path: Path) -> None:
    store = ox.Store()
    for path in synthetic.generate(120, tmp_path, seed=1):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)

    def count(pattern: str) -> int:
        query = f"PREFIX iakg: <{ONTOLOGY_NS}> SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"
        return int(next(iter(store.query(query)))["n"].value)

    assert count("?c a iakg:CaseStudy ; iakg:describes ?i ; iakg:country ?k ; iakg:usesMethod ?m") == 120
    assert count("?i a iakg:Initiative ; iakg:targetGroup ?t") == 120
    assert count("?x a iakg:Collaboration ; iakg:party ?a, ?b FILTER (?a != ?b)") == 240
    assert count("?l a iakg:LevelClassification ; iakg:classifies ?x ; iakg:level ?v") == 120
    assert count("?f iakg:aboutCase ?c ; iakg:findingConcept ?v") == 240
    # One claim per fact: author, method, target group, two parties, level, two findings.
    assert count("?q a iakg:Claim") == 8 * 120
    assert count("?q a iakg:Claim ; iakg:quote ?t ; iakg:fromLine ?a ; iakg:toLine ?b ; iakg:statedBy ?v") == 8 * 120
    assert count("?q a iakg:Claim ; iakg:evidenceKind ?k") == 3 * 120  # the level and the two findings


def test_synthetic_cases_pass_every_check(
    project_copy: Project, report_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("IAKG_BUILD", str(project_copy.root / "build"))
    synthetic.generate(120, project_copy.data_dir, seed=5)
    built = build(project_copy, use_cache=False)
    outcome = validate_store(built.open(), project_copy)
    assert [p.message for p in outcome.violations] == []
    assert outcome.quotes_checked > 2556  # the real quotes and the synthetic claims' quotes


def test_fit_recovers_a_power_law() -> None:
    points = [(str(x), x, 0.002 * x**1.5) for x in (1_000, 4_000, 16_000)]
    law = bench_fits.fit(points)
    assert law is not None
    assert law.b == pytest.approx(1.5) and law.a == pytest.approx(0.002)
    assert law.local_exponent() == pytest.approx(1.5)
    assert law.predict(64_000) == pytest.approx(0.002 * 64_000**1.5)


def test_fit_never_predicts_faster_with_more_data() -> None:
    law = bench_fits.fit([("a", 1_000, 0.5), ("b", 2_000, 0.4)])
    assert law is not None and law.b == 0.0
    assert bench_fits.fit([("a", 1_000, 0.5)]) is None


def test_prediction_is_never_below_what_was_measured() -> None:
    sizes = {
        "fit-1": Size("fit-1", 1, False, Path(), 1_000),
        "fit-2": Size("fit-2", 2, False, Path(), 2_000),
        "fit-3": Size("fit-3", 4, False, Path(), 4_000),
    }
    baseline = {
        "fit-1": {"stages": {"reason": {"status": "measured", "seconds": 1.0}}},
        "fit-2": {"stages": {"reason": {"status": "measured", "seconds": 2.0}}},
        "fit-3": {"stages": {"reason": {"status": "timeout", "limit": 30.0}}},  # stopped: at least 30 s
    }
    predicted = bench_fits.predict(baseline, sizes, "reason", sizes["fit-3"])
    assert predicted == 30.0  # the linear fit says 4 s; the stage ran 30 s and was stopped
    assert bench_fits.predict(baseline, sizes, "reason", sizes["fit-2"]) == pytest.approx(2.0)


@pytest.mark.slow
def test_benchmark_runs_end_to_end_on_tiny_sizes(tmp_path: Path, report_path: Path) -> None:
    """The README's benchmark command, on tiny sizes and budgets: it runs, measures every stage and
    every question of ours, and writes its report (about a minute)."""
    out = tmp_path / "results.json"
    command = [sys.executable, str(ROOT / "benchmarks" / "benchmark.py"), "--sizes", "10", "--fit-sizes", "5,10"]
    command += ["--budget", "5", "--query-budget", "5", "--baseline-query-limit", "2", "--runs", "1"]
    command += ["--baseline-runs", "1", "--out", str(out), "--sources", str(report_path.parent)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text())
    assert results["main"] == ["real", "10"]
    queries = sorted(p.stem for p in (ROOT / "queries").glob("*.rq"))
    for label in results["main"]:
        ours = results["ours"][label]
        assert set(ours["build"]["stages"]) == {"load", "reason", "save", "validate"}
        assert ours["build"]["violations"] == 0
        assert sorted(ours["queries"]["queries"]) == queries
        assert all(q["status"] == "measured" and q["seconds"] > 0 for q in ours["queries"]["queries"].values())
    assert sorted(results["cold_start"]) == ["10", "real"]  # the real cases and the largest size
    for cold in results["cold_start"].values():
        assert sorted(cold["queries"]) == queries
        assert all(math.isfinite(q["seconds"]) for q in cold["queries"].values())
        assert cold["first"]["seconds"] > 0  # the first question after the build, indexing on disk
    assert "## `iakg query NAME` from a cold start" in results["text"]
    assert results["baseline"]["fit-5"]["stages"]["load"]["status"] == "measured"
    assert "## Targets of issue 7" in results["text"] and "## Ours against the baseline" in results["text"]
    assert results["text"] in done.stdout
