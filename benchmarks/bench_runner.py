"""Projects of each size, and the subprocesses that measure them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bench_common import ROOT, Json


@dataclass
class Size:
    """One size: the real cases (if ``real``) plus ``synthetic`` cases, in its own folder."""

    label: str
    synthetic: int
    real: bool
    folder: Path
    triples: int = 0

    @property
    def title(self) -> str:
        if not self.real:
            return f"{self.synthetic} synthetic (fit only)"
        return f"8 real + {self.synthetic:,} synthetic" if self.synthetic else "8 real cases"

    @property
    def project(self) -> Path:
        return self.folder / "project"

    @property
    def inferred(self) -> Path:
        return self.folder / "inferred.nt"


def make_project(size: Size) -> None:
    """A project folder: a copy of ontology/ and queries/, the data, the synthetic files."""
    shutil.rmtree(size.folder, ignore_errors=True)
    size.project.mkdir(parents=True)
    for name in ("ontology", "queries"):
        shutil.copytree(ROOT / name, size.project / name)
    if size.real:
        shutil.copytree(ROOT / "data", size.project / "data")
    else:  # the ontology, and the record of the source the synthetic claims cite
        (size.project / "data").mkdir()
        shutil.copy2(ROOT / "data" / "sources.ttl", size.project / "data")
    if size.synthetic:
        script = ROOT / "benchmarks" / "synthetic.py"
        command = [sys.executable, str(script), str(size.synthetic), "--out", str(size.project / "data")]
        subprocess.run(command, check=True, capture_output=True)
    size.triples = count_triples(size.project)


def count_triples(project_dir: Path) -> int:
    """The triples of the input files (the ontology without the shapes, and the data)."""
    import pyoxigraph as ox

    from iakg.project import Project

    project = Project.at(project_dir)
    files = [*project.ontology_files(), *project.data_files()]
    return sum(sum(1 for _ in ox.parse(path=str(f), format=ox.RdfFormat.TURTLE)) for f in files)


def child_command(mode: str, size: Size, result: Path, extra: list[str]) -> list[str]:
    script = str(Path(__file__).resolve().with_name("benchmark.py"))
    return [sys.executable, script, "--child", mode, "--project", str(size.project), "--result", str(result), *extra]


def child_env(size: Size, sources: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "IAKG_PROJECT"}
    env.update(IAKG_BUILD=str(size.folder / "build"), IAKG_SOURCES=str(sources))
    return env


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a child this script started (by its process id), and wait for it."""
    process.kill()
    process.wait()


def run_child(mode: str, size: Size, sources: Path, timeout: float, extra: list[str] | None = None) -> Json:
    """Run this script as a child measuring one thing at one size; its JSON result."""
    result = size.folder / f"{mode}.json"
    result.unlink(missing_ok=True)
    command = child_command(mode, size, result, extra or [])
    process = subprocess.Popen(command, env=child_env(size, sources), stdout=subprocess.DEVNULL)
    try:
        code = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process)
        return {"failed": f"stopped after {timeout:.0f} s"}
    if code != 0 or not result.is_file():
        return {"failed": f"exit code {code}"}
    data: Json = json.loads(result.read_text())
    return data


def run_queries(size: Size, sources: Path, runs: int, limit: float) -> Json:
    """Our queries in a child; one running past ``limit`` is stopped, and a new child goes on."""
    items: dict[str, Json] = {}
    launches: list[Json] = []
    progress, skip_file = size.folder / "queries.progress", size.folder / "queries.skip"
    while True:
        progress.unlink(missing_ok=True)
        skip_file.write_text(json.dumps(sorted(items)))
        result = size.folder / "queries.json"
        result.unlink(missing_ok=True)
        extra = ["--runs", str(runs), "--skip", str(skip_file), "--progress", str(progress)]
        command = child_command("queries", size, result, extra)
        process = subprocess.Popen(command, env=child_env(size, sources), stdout=subprocess.DEVNULL)
        stalled: str | None = None
        peak = 0.0
        while stalled is None:
            finished = process.poll() is not None
            current: Json | None = None
            for line in progress.read_text().splitlines() if progress.is_file() else []:
                event = json.loads(line)
                if "done" in event:
                    items[event["item"]] = event["done"]
                    peak = max(peak, event["peak_mb"])
                    current = None
                else:
                    current = event
            if finished:
                break
            if current is not None and time.time() - current["start"] > limit:
                stop(process)
                stalled = current["item"]
                items[stalled] = {"status": "timeout", "limit": limit}
            time.sleep(0.2)
        launch: Json = json.loads(result.read_text()) if result.is_file() else {"stopped_at": stalled}
        launch.setdefault("peak_mb", peak)
        launches.append(launch)
        if stalled is None:
            if process.returncode != 0:
                launches[-1]["failed"] = f"exit code {process.returncode}"
            break
    return {"queries": items, "launches": launches, "peak_mb": max(x["peak_mb"] for x in launches)}
