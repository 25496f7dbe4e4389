"""The benchmark's children: each measures one thing in a fresh process and returns JSON."""

from __future__ import annotations

import json
import resource
import signal
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from bench_common import BASE_REPEAT_CAP, OURS_REPEAT_CAP, Json


def peak_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def library_texts(queries_dir: Path) -> dict[str, str]:
    """Every library query, bound with its default parameters."""
    from iakg.query import bind, bindings_for, library

    return {name: bind(q.text, bindings_for(q, {})) for name, q in library(queries_dir).items()}


def build_child(project_dir: Path, inferred_out: Path) -> Json:
    """Our build (load, reason, save) and validation; the inferred triples saved for the baseline."""
    import pyoxigraph as ox

    from iakg.pipeline import INFERRED_GRAPH, build
    from iakg.project import Project
    from iakg.validate import validate_store

    project = Project.at(project_dir)
    start = time.perf_counter()
    built = build(project, use_cache=False)
    build_wall = time.perf_counter() - start
    store = built.open()
    start = time.perf_counter()
    outcome = validate_store(store, project, engine="fast")
    validate_wall = time.perf_counter() - start
    peak = peak_mb()
    store.dump(output=str(inferred_out), format=ox.RdfFormat.N_TRIPLES, from_graph=INFERRED_GRAPH)
    return {
        "asserted": built.asserted,
        "inferred": built.inferred,
        "files": built.files,
        "stages": {**built.seconds, "validate": validate_wall},
        "build_wall": build_wall,
        "total": build_wall + validate_wall,
        "validate_parts": outcome.seconds,
        "violations": len(outcome.violations),
        "problems": len(outcome.problems),
        "quotes_checked": outcome.quotes_checked,
        "peak_mb": peak,
    }


def queries_child(project_dir: Path, runs: int, skip: set[str], progress: Path) -> Json:
    """Every library query not in ``skip`` on the cached build, each reported as it starts and ends."""
    from iakg.pipeline import build
    from iakg.project import Project
    from iakg.query import run_local

    project = Project.at(project_dir)
    start = time.perf_counter()
    store = build(project).open()
    opened = time.perf_counter() - start
    run_local(store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")  # warm-up, untimed
    with progress.open("a", encoding="utf-8") as events:
        for name, text in library_texts(project.queries_dir).items():
            if name in skip:
                continue
            times: list[float] = []
            rows = 0
            while len(times) < runs and sum(times) < OURS_REPEAT_CAP:
                events.write(json.dumps({"item": name, "start": time.time()}) + "\n")  # the limit is per run
                events.flush()
                start = time.perf_counter()
                rows = len(run_local(store, text))
                times.append(time.perf_counter() - start)
            record = {"status": "measured", "seconds": statistics.median(times), "runs": times, "rows": rows}
            events.write(json.dumps({"item": name, "done": record, "peak_mb": peak_mb()}) + "\n")
            events.flush()
    return {"open": opened, "peak_mb": peak_mb()}


def changed_file(project_dir: Path) -> Path:
    """The data file the changed-file check edits: the first synthetic file, else cs1.ttl."""
    synthetic = sorted((project_dir / "data").glob("synthetic-*.ttl"))
    return synthetic[0] if synthetic else project_dir / "data" / "cs1.ttl"


def extras_child(project_dir: Path) -> Json:
    """A fresh process finding and opening the cached build; then one changed file checked."""
    start = time.perf_counter()
    import pyoxigraph as ox

    from iakg.pipeline import build, scratch_store
    from iakg.project import Project
    from iakg.validate import validate_store

    imported = time.perf_counter() - start
    project = Project.at(project_dir)
    start = time.perf_counter()
    built = build(project)
    found = time.perf_counter() - start
    start = time.perf_counter()
    built.open()
    opened = time.perf_counter() - start

    path = changed_file(project_dir)
    data = path.read_bytes() + b"\n# changed for the benchmark\n"
    start = time.perf_counter()
    keep = {q.subject.value for q in ox.parse(input=data, format=ox.RdfFormat.TURTLE)}
    scratch = scratch_store(project, [(path.name, data)])
    scratch_seconds = time.perf_counter() - start
    start = time.perf_counter()
    outcome = validate_store(scratch, project, engine="fast", focus=keep)
    validate_seconds = time.perf_counter() - start
    return {
        "cache": {"import": imported, "build": found, "open": opened, "total": found + opened, "cached": built.cached},
        "changed_file": {
            "file": path.name,
            "scratch_store": scratch_seconds,
            "validate": validate_seconds,
            "total": scratch_seconds + validate_seconds,
            "problems_in_file": len(outcome.problems),
        },
    }


class StageTimeout(BaseException):
    """A baseline stage ran past its limit (a BaseException, so that no library swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`StageTimeout` after ``seconds`` (works in pure Python: rdflib, owlrl, pySHACL)."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise StageTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.001))
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_stage(plan: Json, work: Callable[[], object]) -> Json:
    """Run ``work`` if the plan says so, within its limit: a record of what happened."""
    if not plan["run"]:
        return {"status": "skipped", "predicted": plan["predicted"]}
    start = time.perf_counter()
    try:
        with time_limit(plan["limit"]):
            work()
    except StageTimeout:
        return {"status": "timeout", "limit": plan["limit"], "predicted": plan["predicted"]}
    return {"status": "measured", "seconds": time.perf_counter() - start}


def baseline_child(project_dir: Path, plan: Json, inferred: Path | None, runs: int) -> Json:
    """rdflib load, owlrl closure, pySHACL and rdflib SPARQL, each stage as the plan says."""
    import owlrl
    import pyshacl
    import rdflib

    from iakg.project import Project

    project = Project.at(project_dir)
    files = [*project.ontology_files(), *project.data_files()]
    graph = rdflib.Graph()
    out: Json = {"stages": {}, "queries": {}, "closure": None}

    def load() -> None:
        for path in files:
            graph.parse(path, format="turtle")

    def reason() -> None:
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(graph)

    def validate() -> None:
        shapes = rdflib.Graph().parse(project.shapes_file, format="turtle")
        pyshacl.validate(graph, shacl_graph=shapes, inference="none", advanced=True)

    out["stages"]["load"] = run_stage(plan["stages"]["load"], load)
    if out["stages"]["load"]["status"] != "measured":
        return out
    out["rdflib_triples"] = len(graph)
    out["stages"]["reason"] = run_stage(plan["stages"]["reason"], reason)
    if out["stages"]["reason"]["status"] == "measured":
        out["closure"] = "owlrl"
    elif inferred is not None and inferred.is_file():
        start = time.perf_counter()
        if out["stages"]["reason"]["status"] == "timeout":  # owlrl left the graph half closed
            graph = rdflib.Graph()
            load()
        graph.parse(inferred, format="nt")
        out["closure"] = "ours"
        out["stand_in_seconds"] = time.perf_counter() - start
    else:
        return out
    out["closed_triples"] = len(graph)
    out["stages"]["validate"] = run_stage(plan["stages"]["validate"], validate)
    out["queries"] = baseline_queries(graph, project.queries_dir, plan, runs)
    out["peak_mb"] = peak_mb()
    return out


def baseline_queries(graph: Any, queries_dir: Path, plan: Json, runs: int) -> Json:
    """Each planned query with rdflib, cheapest predicted first, within the queries' budget."""
    texts = library_texts(queries_dir)
    budget, per_query = plan["query_budget"], plan["query_limit"]
    list(graph.query("SELECT * WHERE { ?s ?p ?o } LIMIT 1"))  # warm-up (imports), untimed
    results: Json = {}
    spent = 0.0
    for name in sorted(texts, key=lambda n: (plan["queries"][n]["predicted"] or 0.0, n)):
        predicted = plan["queries"][name]["predicted"]
        if not plan["queries"][name]["run"] or spent + (predicted or 0.0) > budget:
            results[name] = {"status": "skipped", "predicted": predicted}
            continue
        times: list[float] = []
        rows = 0
        try:
            while len(times) < runs and sum(times) < BASE_REPEAT_CAP:
                start = time.perf_counter()
                try:
                    with time_limit(min(per_query, budget - spent)):
                        rows = len(list(graph.query(texts[name])))
                finally:
                    times.append(time.perf_counter() - start)
                    spent += times[-1]
        except StageTimeout:
            results[name] = {"status": "timeout", "limit": times[-1], "predicted": predicted}
            continue
        except Exception as exc:  # rdflib fails on some valid SPARQL: record it, go on
            results[name] = {"status": "error", "error": f"{type(exc).__name__}: {exc}"[:200]}
            continue
        results[name] = {"status": "measured", "seconds": statistics.median(times), "runs": times, "rows": rows}
    return results
