"""The publishing configuration: what only the publisher knows, read from ``publish.toml``.

``publish.toml`` (at the project root) holds the titles, the publisher, the contact point, the
licence, the dates, where the dumps will be hosted and the coverage of the published knowledge
graph. :func:`load_config` reads it with :mod:`tomllib` into a frozen :class:`PublishConfig`,
checking every value; a wrong or unknown key stops with an :class:`InputError` that names the file,
the key and what is expected. Nothing here reads the clock: the dates are in the file.

>>> from iakg.project import Project
>>> config = load_config(config_path(Project.at()))
>>> config.base_iri
'https://w3id.org/iakg/'
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version as package_version
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError, Position, SyntaxProblem
from .project import Project

CONFIG_FILE = "publish.toml"

EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = EU + "data-theme/"
COUNTRY = EU + "country/"
LICENCE = EU + "licence/"
LANGUAGE = EU + "language/"
PLANNED_AVAILABILITY = EU + "planned-availability/"
CC_BY_4_0 = tuple(f"{s}://creativecommons.org/licenses/by/4.0/" for s in ("https", "http"))
#: ADMS publisher types, the table DCAT-AP recommends; an EU authority table is accepted as well.
PUBLISHER_TYPES = ("http://purl.org/adms/publishertype/", EU)
LICENCE_TYPES = ("http://purl.org/adms/licencetype/",)
#: The codes of the EU data-theme authority table.
DATA_THEMES = frozenset({"AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST",
                         "OP_DATPRO", "REGI", "SOCI", "TECH", "TRAN"})  # fmt: skip
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")

_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[A-Za-z]{2,}$")
_INSTANT = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")


@dataclass(frozen=True)
class Agent:
    """The publisher: a foaf:Agent with a name, an IRI and a type from a publisher-type table."""

    name: str
    iri: str
    type: str


@dataclass(frozen=True)
class Contact:
    """The contact point (a vcard:Kind)."""

    name: str
    email: str


@dataclass(frozen=True)
class Place:
    """A country of the EU country table, with its bounding box and centroid (WGS 84 degrees)."""

    iri: str
    bbox: tuple[float, float, float, float] | None = None  # west, south, east, north
    centroid: tuple[float, float] | None = None  # longitude, latitude


@dataclass(frozen=True)
class Instant:
    """A year (``2017``), a month (``2017-07``) or a day (``2017-07-01``), as written."""

    text: str

    @property
    def xsd_type(self) -> str:
        return {1: "gYear", 2: "gYearMonth", 3: "date"}[self.text.count("-") + 1]

    def bounds(self) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
        """The first and last day the value can mean, as (year, month, day); 31 for any month."""
        year, month, day = [*map(int, self.text.split("-")), 0, 0][:3]
        return (year, month or 1, day or 1), (year, month or 12, day or 31)


@dataclass(frozen=True)
class PublishConfig:
    """Everything the DCAT-AP record and the VoID description need beyond the graph itself."""

    path: Path
    base_iri: str
    version: str
    issued: date
    modified: date
    landing_page: str
    download_base: str
    sparql_endpoint: str | None
    languages: tuple[str, ...]
    catalogue_title: str
    catalogue_description: str
    catalogue_homepage: str
    dataset_title: str
    dataset_description: str
    provenance: str
    keywords: tuple[str, ...]
    themes: tuple[str, ...]
    conforms_to: tuple[str, ...]
    temporal_start: Instant
    temporal_end: Instant
    spatial: tuple[Place, ...]
    publisher: Agent
    contact: Contact
    licence: str
    licence_type: str
    availability: str

    @property
    def dataset_iri(self) -> str:
        """The IRI of the published dataset: the DCAT dataset and the VoID dataset are one."""
        return self.base_iri + "id/dataset"


def config_path(project: Project) -> Path:
    """Where a project's ``publish.toml`` is."""
    return project.root / CONFIG_FILE


#: The keys of each table of publish.toml ("" is the top level).
KEYS = {
    "": "base_iri version issued modified landing_page download_base sparql_endpoint languages "
    "catalogue dataset publisher contact licence distribution",
    "catalogue": "title description homepage",
    "dataset": "title description provenance keywords themes conforms_to temporal spatial",
    "dataset.temporal": "start end",
    "dataset.spatial": "iri bbox centroid",
    "publisher": "name iri type",
    "contact": "name email",
    "licence": "iri type",
    "distribution": "availability",
}


class _Table:
    """One TOML table being read: every access names its key, unknown keys are refused."""

    def __init__(self, path: Path, data: dict[str, Any], keys: str, prefix: str = "") -> None:
        self.path, self.data, self.prefix = path, data, prefix
        known = keys.split()
        for key in data:
            if key not in known:
                raise self.error(key, f"one of the known keys ({', '.join(known)})", "a new key")

    def error(self, name: str, expected: str, found: object = None) -> InputError:
        shown = "nothing" if found is None else repr(found)
        return InputError(
            f"{self.path}: key '{self.prefix}{name}': expected {expected}, found {shown}.",
            f"Edit '{self.prefix}{name}' in {self.path.name}; the comments there explain each key.",
        )

    def get(self, name: str, optional: bool = False) -> Any:
        if name not in self.data and not optional:
            raise self.error(name, "a value (the key is missing)")
        return self.data.get(name)

    def text(self, name: str) -> str:
        value = self.get(name)
        if not isinstance(value, str) or not value.strip():
            raise self.error(name, "a non-empty string", value)
        return " ".join(value.split())

    def iri(self, name: str, within: tuple[str, ...] = (), optional: bool = False) -> str:
        value = self.get(name, optional)
        if value is None and optional:
            return ""
        return self.check_iri(name, value, within)

    def check_iri(self, name: str, value: object, within: tuple[str, ...] = ()) -> str:
        if not isinstance(value, str) or not _IRI.match(value):
            raise self.error(name, "an absolute http(s) IRI", value)
        if within and not value.startswith(within):
            raise self.error(name, f"an IRI starting with {' or '.join(within)}", value)
        return value

    def texts(self, name: str) -> tuple[str, ...]:
        values = self.get(name)
        if not isinstance(values, list) or not values:
            raise self.error(name, "a non-empty list of strings", values)
        if not all(isinstance(v, str) and v.strip() for v in values):
            raise self.error(name, "a list of non-empty strings", values)
        return tuple(" ".join(v.split()) for v in values)

    def iris(self, name: str, within: tuple[str, ...] = ()) -> tuple[str, ...]:
        values = self.get(name)
        if not isinstance(values, list) or not values:
            raise self.error(name, "a non-empty list of IRIs", values)
        return tuple(self.check_iri(name, v, within) for v in values)

    def day(self, name: str) -> date:
        value = self.get(name)
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise self.error(name, "a TOML date such as 2026-01-31 (no quotes)", value)
        return value

    def instant(self, name: str) -> Instant:
        value = self.get(name)
        if isinstance(value, date) and not hasattr(value, "hour"):
            value = value.isoformat()
        match = _INSTANT.match(value) if isinstance(value, str) else None
        if not match or not (1 <= int(match[2] or 1) <= 12 and 1 <= int(match[3] or 1) <= 31):
            raise self.error(name, 'a year, month or day: "2017", "2017-07" or 2017-07-01', value)
        return Instant(value)

    def numbers(self, name: str, count: int, what: str) -> tuple[float, ...] | None:
        value = self.get(name, optional=True)
        if value is None:
            return None
        ok = isinstance(value, list) and len(value) == count
        if not ok or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value):
            raise self.error(name, f"{count} numbers [{what}]", value)
        return tuple(float(v) for v in value)

    def table(self, name: str) -> _Table:
        value = self.get(name)
        if not isinstance(value, dict):
            raise self.error(name, f"a [{self.prefix}{name}] table", value)
        return _Table(self.path, value, KEYS[self.prefix + name], f"{self.prefix}{name}.")

    def tables(self, name: str) -> list[_Table]:
        values = self.get(name)
        if not isinstance(values, list) or not all(isinstance(v, dict) for v in values or [0]):
            raise self.error(name, f"one or more [[{self.prefix}{name}]] tables", values)
        keys = KEYS[self.prefix + name]
        return [_Table(self.path, v, keys, f"{self.prefix}{name}[{i}].") for i, v in enumerate(values)]


def load_config(path: Path) -> PublishConfig:
    """Read and check ``publish.toml``; raise :class:`InputError` naming the first bad key."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such file.", f"Start from the documented {CONFIG_FILE} of the repository."
        ) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (None, None)
        raise SyntaxProblem(Position(path, line, column), f"TOML syntax error: {exc}.") from None
    except UnicodeDecodeError:
        raise InputError(f"{path}: the file is not valid UTF-8.", "Save it as UTF-8.") from None
    return _read(_Table(path, data, KEYS[""]))


def _read(top: _Table) -> PublishConfig:
    base = top.iri("base_iri")
    if not base.endswith("/"):
        raise top.error("base_iri", "an IRI ending with '/'", base)
    version = top.get("version", optional=True)
    if version is not None and (not isinstance(version, str) or not version.strip()):
        raise top.error("version", 'a version string such as "1.0.0"', version)
    issued, modified = top.day("issued"), top.day("modified")
    if modified < issued:
        raise top.error("modified", f"a date on or after issued ({issued})", modified)
    download = top.iri("download_base")
    if not download.endswith("/"):
        raise top.error("download_base", "a URL ending with '/' (names are appended)", download)
    catalogue, dataset = top.table("catalogue"), top.table("dataset")
    temporal, publisher, contact = dataset.table("temporal"), top.table("publisher"), top.table("contact")
    licence, distribution = top.table("licence"), top.table("distribution")
    config = PublishConfig(
        path=top.path,
        base_iri=base,
        version=version.strip() if version else package_version("interagency-kg"),
        issued=issued,
        modified=modified,
        landing_page=top.iri("landing_page"),
        download_base=download,
        sparql_endpoint=top.iri("sparql_endpoint", optional=True) or None,
        languages=top.iris("languages", (LANGUAGE,)),
        catalogue_title=catalogue.text("title"),
        catalogue_description=catalogue.text("description"),
        catalogue_homepage=catalogue.iri("homepage"),
        dataset_title=dataset.text("title"),
        dataset_description=dataset.text("description"),
        provenance=dataset.text("provenance"),
        keywords=dataset.texts("keywords"),
        themes=_themes(dataset),
        conforms_to=dataset.iris("conforms_to"),
        temporal_start=temporal.instant("start"),
        temporal_end=temporal.instant("end"),
        spatial=tuple(_place(t) for t in dataset.tables("spatial")),
        publisher=Agent(publisher.text("name"), publisher.iri("iri"), publisher.iri("type", PUBLISHER_TYPES)),
        contact=Contact(contact.text("name"), _email(contact)),
        licence=licence.iri("iri", (LICENCE, *CC_BY_4_0)),
        licence_type=licence.iri("type", LICENCE_TYPES),
        availability=distribution.iri("availability", (PLANNED_AVAILABILITY,)),
    )
    if config.temporal_end.bounds()[1] < config.temporal_start.bounds()[0]:
        raise temporal.error(
            "end", f"a time on or after start ({config.temporal_start.text})", config.temporal_end.text
        )
    return config


def _themes(dataset: _Table) -> tuple[str, ...]:
    themes = dataset.iris("themes", (DATA_THEME,))
    for theme in themes:
        if theme.removeprefix(DATA_THEME) not in DATA_THEMES:
            codes = ", ".join(sorted(DATA_THEMES))
            raise dataset.error("themes", f"codes of the EU data-theme table ({codes})", theme)
    return themes


def _place(table: _Table) -> Place:
    iri = table.iri("iri", (COUNTRY,))
    if not re.fullmatch(r"[A-Z]{3}", iri.removeprefix(COUNTRY)):
        raise table.error("iri", "a three-letter code of the EU country table (.../BEL)", iri)
    bbox = table.numbers("bbox", 4, "west, south, east, north")
    centroid = table.numbers("centroid", 2, "longitude, latitude")
    if bbox and not (-180 <= bbox[0] <= bbox[2] <= 180 and -90 <= bbox[1] <= bbox[3] <= 90):
        raise table.error("bbox", "west <= east in -180..180, south <= north in -90..90", list(bbox))
    if bbox and centroid and not (bbox[0] <= centroid[0] <= bbox[2] and bbox[1] <= centroid[1] <= bbox[3]):
        raise table.error("centroid", f"[longitude, latitude] inside the bbox {list(bbox)}", list(centroid))
    return Place(iri, bbox, centroid)  # type: ignore[arg-type]


def _email(contact: _Table) -> str:
    email = contact.get("email")
    if not isinstance(email, str) or not _EMAIL.match(email.removeprefix("mailto:")):
        raise contact.error("email", "an e-mail address such as data@example.org", email)
    return email.removeprefix("mailto:")


def placeholders(config: PublishConfig) -> list[str]:
    """The keys still holding placeholders (on example.org): fill them in before publishing."""
    hosts = {
        "landing_page": urlsplit(config.landing_page).hostname,
        "download_base": urlsplit(config.download_base).hostname,
        "sparql_endpoint": urlsplit(config.sparql_endpoint or "").hostname,
        "catalogue.homepage": urlsplit(config.catalogue_homepage).hostname,
        "publisher.iri": urlsplit(config.publisher.iri).hostname,
        "contact.email": config.contact.email.rpartition("@")[2].lower(),
    }
    return [key for key, host in hosts.items() if (host or "").endswith(PLACEHOLDER_HOSTS)]
