"""Where a project's files are: ontology, data, queries, build outputs and sources.

A project is a folder holding ``ontology/`` and ``data/`` (the repository itself, by default).
The command line finds it from ``--project``, then ``$IAKG_PROJECT``, then the current folder
and its parents, then the checkout the package was installed from.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError

ONTOLOGY_FILES = ("iakg.ttl", "typologies.ttl", "vocabularies.ttl", "external-axioms.ttl")
SHAPES_FILE = "shapes.ttl"


def _looks_like_project(path: Path) -> bool:
    return (path / "ontology" / "iakg.ttl").is_file() and (path / "data").is_dir()


def find_project(start: Path | None = None) -> Path:
    """The project folder, searched as described in the module docstring."""
    env = os.environ.get("IAKG_PROJECT")
    if env:
        path = Path(env).resolve()
        if not _looks_like_project(path):
            raise InputError(
                f"IAKG_PROJECT={env} is not a project folder (no ontology/iakg.ttl and data/).",
                "Point IAKG_PROJECT at the repository checkout, or unset it.",
            )
        return path
    here = (start or Path.cwd()).resolve()
    for candidate in (here, *here.parents):
        if _looks_like_project(candidate):
            return candidate
    installed = Path(__file__).resolve().parents[2]
    if _looks_like_project(installed):
        return installed
    raise InputError(
        f"No project found in {here} or its parents (a project has ontology/iakg.ttl and data/).",
        "Run the command inside the repository checkout, or pass --project DIR.",
    )


@dataclass(frozen=True)
class Project:
    """The files of one project."""

    root: Path
    sources_dir: Path = field(default=Path())

    @classmethod
    def at(cls, root: Path | None = None) -> Project:
        base = root.resolve() if root else find_project()
        if not _looks_like_project(base):
            raise InputError(
                f"{base} is not a project folder (no ontology/iakg.ttl and data/).",
                "Pass --project with the repository checkout.",
            )
        sources = Path(os.environ.get("IAKG_SOURCES", base.parent / "shared" / "sources"))
        return cls(base, sources)

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def checks_dir(self) -> Path:
        return self.queries_dir / "checks"

    @property
    def build_dir(self) -> Path:
        return Path(os.environ.get("IAKG_BUILD", self.root / "build"))

    @property
    def shapes_file(self) -> Path:
        return self.ontology_dir / SHAPES_FILE

    def ontology_files(self) -> list[Path]:
        return [self.ontology_dir / name for name in ONTOLOGY_FILES]

    def data_files(self) -> list[Path]:
        return sorted(self.data_dir.glob("*.ttl"))

    def input_files(self) -> list[Path]:
        """Everything a build depends on, in a fixed order."""
        return [*self.ontology_files(), self.shapes_file, *self.data_files(), *self.check_files()]

    def check_files(self) -> list[Path]:
        return sorted(self.checks_dir.glob("*-violation.rq"))

    def inputs_hash(self, extra: list[Path] | None = None) -> str:
        """A hash of the names and bytes of every input file: the key of the build cache."""
        digest = hashlib.sha256()
        for path in [*self.input_files(), *(extra or [])]:
            digest.update(path.name.encode())
            digest.update(b"\0")
            digest.update(path.read_bytes() if path.is_file() else b"<missing>")
            digest.update(b"\0")
        return digest.hexdigest()[:16]

    def source_file(self, name: str) -> Path:
        return self.sources_dir / name
