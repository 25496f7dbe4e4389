"""Publish, stage 1: the DCAT-AP 3.0.1 record of the knowledge graph for European data portals.

DCAT-AP 3.0.1: https://semiceu.github.io/DCAT-AP/releases/3.0.1/

:func:`dataset_record` builds one ``dcat:Catalog`` holding one ``dcat:Dataset`` with one
``dcat:Distribution`` per dump file (and a ``dcat:DataService`` when a SPARQL endpoint is
configured). Every node has an IRI minted under ``<base_iri>id/`` (no blank nodes), so the same
inputs give the same graph and :func:`to_turtle` the same bytes. Referenced vocabulary terms
(countries, themes, licence, formats) are typed with the classes DCAT-AP expects, because its
shapes check ``sh:class`` on them.

Two choices differ from a first reading of the profile, both forced by its shapes:

- the source report is linked with ``prov:wasDerivedFrom`` and a ``dct:provenance`` statement, not
  ``dct:source``: DCAT-AP 3.0.1 requires the value of a dataset's ``dct:source`` to be a
  ``dcat:Dataset``, which the report is not;
- a checksum names its algorithm with ``spdx:algorithm`` (value
  ``spdx:checksumAlgorithm_sha256``), the property the DCAT-AP 3.0.1 ``spdx:ChecksumShape`` requires.

:func:`load_dcat_ap_shapes` and :func:`check_record` validate a record against the official shapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SH, SKOS, VOID

from .errors import InputError
from .publish_config import DATA_THEME, PublishConfig

if TYPE_CHECKING:
    from .void import Statistics

DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
ADMS = Namespace("http://www.w3.org/ns/adms#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
IANA = "http://www.iana.org/assignments/media-types/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
W3C_FORMATS = "http://www.w3.org/ns/formats/"
ACCESS_PUBLIC = URIRef("http://publications.europa.eu/resource/authority/access-right/PUBLIC")
STATUS_COMPLETED = URIRef("http://publications.europa.eu/resource/authority/distribution-status/COMPLETED")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
#: The source report node of the graph (``data/sources.ttl``), under the configured base.
SOURCE_REPORT = "id/source/isotis-report"
SOURCE_LABEL = "ISOTIS report on inter-agency working in services for young children and families"

#: English labels of the concepts the record can reference (DCAT-AP requires a skos:prefLabel);
#: a concept not listed gets its code, with "-" and "_" as spaces.
LABELS = {
    DATA_THEME + code: label for code, label in {
        "AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
        "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
        "GOVE": "Government and public sector", "HEAL": "Health", "INTR": "International issues",
        "JUST": "Justice, legal system and public safety", "OP_DATPRO": "Provisional data",
        "REGI": "Regions and cities", "SOCI": "Population and society",
        "TECH": "Science and technology", "TRAN": "Transport",
    }.items()
} | {
    str(STATUS_COMPLETED): "Completed",
    "http://purl.org/adms/licencetype/Attribution": "Attribution",
    "http://purl.org/adms/publishertype/Academia-ScientificOrganisation":
        "Academia/Scientific organisation",
}

PREFIXES = {
    "adms": ADMS, "dcat": DCAT, "dcatap": DCATAP, "dcterms": DCTERMS, "foaf": FOAF, "gsp": GSP,
    "prov": PROV, "rdfs": RDFS, "skos": SKOS, "spdx": SPDX, "vcard": VCARD, "void": VOID, "xsd": XSD,
}


@dataclass(frozen=True)
class Format:
    """A dump file format: IANA media type, EU file type, W3C format IRI and a label."""

    media_type: str
    file_type: str
    w3c: str
    label: str


#: The formats the dumps come in, by file suffix.
FORMATS: dict[str, Format] = {
    ".ttl": Format(IANA + "text/turtle", FILE_TYPE + "RDF_TURTLE", W3C_FORMATS + "Turtle", "Turtle"),
    ".trig": Format(IANA + "application/trig", FILE_TYPE + "RDF_TRIG", W3C_FORMATS + "TriG", "TriG"),
    ".nt": Format(IANA + "application/n-triples", FILE_TYPE + "RDF_N_TRIPLES",
                  W3C_FORMATS + "N-Triples", "N-Triples"),
    ".nq": Format(IANA + "application/n-quads", FILE_TYPE + "RDF_N_QUADS",
                  W3C_FORMATS + "N-Quads", "N-Quads"),
    ".rdf": Format(IANA + "application/rdf+xml", FILE_TYPE + "RDF_XML", W3C_FORMATS + "RDF_XML",
                   "RDF/XML"),
    ".jsonld": Format(IANA + "application/ld+json", FILE_TYPE + "JSON_LD", W3C_FORMATS + "JSON-LD",
                      "JSON-LD"),
}


@dataclass(frozen=True)
class Distribution:
    """One dump file: its name relative to the download base, format, size and SHA-256."""

    name: str
    media_type: str
    file_type: str
    byte_size: int
    sha256: str
    description: str

    def __post_init__(self) -> None:
        path = PurePosixPath(self.name)
        if not self.name or path.is_absolute() or ".." in path.parts or "\\" in self.name:
            raise InputError(f"Distribution name {self.name!r} is not a relative file path.",
                             "Name the dump by its path under the download base, e.g. iakg.ttl.")
        if len(self.sha256) != 64 or set(self.sha256) - set("0123456789abcdef"):
            raise InputError(f"Distribution {self.name}: {self.sha256!r} is not a lower-case "
                             "hexadecimal SHA-256 digest.", "Use Distribution.of_file.")
        if self.byte_size < 0:
            raise InputError(f"Distribution {self.name}: negative byte size {self.byte_size}.")

    @classmethod
    def of_file(cls, path: Path, name: str | None = None) -> Distribution:
        """The distribution of a dump file: format from its suffix, size and digest from its bytes."""
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(f"{path}: no known RDF format for the suffix {path.suffix!r}.",
                             f"Write the dump with one of the suffixes {', '.join(FORMATS)}.")
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"{path}: cannot read the dump file ({exc.strerror}).") from None
        description = f"The knowledge graph in {fmt.label} ({path.name})."
        return cls(name or path.name, fmt.media_type, fmt.file_type, len(data),
                   hashlib.sha256(data).hexdigest(), description)


def iris(config: PublishConfig) -> dict[str, URIRef]:
    """The IRIs the record mints: catalogue, dataset, its parts, and the source report."""
    dataset = config.dataset_iri
    parts = ("temporal", "provenance", "contact-point", "sparql-service")
    return {
        "catalogue": URIRef(config.base_iri + "id/catalogue"),
        "dataset": URIRef(dataset),
        **{part: URIRef(f"{dataset}/{part}") for part in parts},
        "report": URIRef(config.base_iri + SOURCE_REPORT),
    }


def distribution_iri(config: PublishConfig, distribution: Distribution) -> URIRef:
    return URIRef(f"{config.dataset_iri}/distribution/{quote(distribution.name, safe='/')}")


def download_url(config: PublishConfig, distribution: Distribution) -> URIRef:
    return URIRef(config.download_base + quote(distribution.name, safe="/"))


def dataset_record(
    config: PublishConfig,
    distributions: Sequence[Distribution],
    statistics: Statistics | None = None,
) -> Graph:
    """The DCAT-AP record: catalogue, dataset, distributions (and the SPARQL service, if any).

    ``statistics`` (from :func:`iakg.void.compute_statistics`) adds the size of the graph to the
    dataset (``void:triples``, ``void:entities`` ...); the VoID description has the partitions.
    """
    names = [d.name for d in distributions]
    if len(set(names)) != len(names):
        raise InputError(f"Two distributions have the same file name: {sorted(names)}.")
    g = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        g.bind(prefix, namespace)
    node = iris(config)
    en = "en"
    typed = _Typed(g)

    catalogue, dataset = node["catalogue"], node["dataset"]
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal(config.catalogue_title, lang=en)))
    g.add((catalogue, DCTERMS.description, Literal(config.catalogue_description, lang=en)))
    g.add((catalogue, FOAF.homepage, typed(config.catalogue_homepage, FOAF.Document)))
    scheme = typed(DATA_THEME.rstrip("/"), SKOS.ConceptScheme)
    g.add((catalogue, DCAT.themeTaxonomy, scheme))
    g.add((scheme, DCTERMS.title, Literal("Data theme", lang="en")))
    g.add((catalogue, DCAT.dataset, dataset))
    g.add((catalogue, DCTERMS.license, _licence(g, typed, config)))
    for subject in (catalogue, dataset):
        _common(g, typed, subject, config)

    g.add((dataset, RDF.type, DCAT.Dataset))
    g.add((dataset, DCTERMS.title, Literal(config.dataset_title, lang=en)))
    g.add((dataset, DCTERMS.description, Literal(config.dataset_description, lang=en)))
    g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
    g.add((dataset, DCAT.version, Literal(config.version)))
    g.add((dataset, DCAT.landingPage, typed(config.landing_page, FOAF.Document)))
    g.add((dataset, DCTERMS.accessRights, typed(ACCESS_PUBLIC, DCTERMS.RightsStatement)))
    g.add((dataset, DCAT.contactPoint, node["contact-point"]))
    g.add((node["contact-point"], RDF.type, VCARD.Kind))
    g.add((node["contact-point"], VCARD.fn, Literal(config.contact.name)))
    g.add((node["contact-point"], VCARD.hasEmail, URIRef("mailto:" + config.contact.email)))
    for keyword in config.keywords:
        g.add((dataset, DCAT.keyword, Literal(keyword, lang=en)))
    for theme in config.themes:
        g.add((dataset, DCAT.theme, typed(theme, SKOS.Concept)))
        g.add((URIRef(theme), SKOS.inScheme, scheme))
    for standard in config.conforms_to:
        g.add((dataset, DCTERMS.conformsTo, typed(standard, DCTERMS.Standard)))
    period = node["temporal"]
    g.add((dataset, DCTERMS.temporal, period))
    g.add((period, RDF.type, DCTERMS.PeriodOfTime))
    for predicate, instant in ((DCAT.startDate, config.temporal_start), (DCAT.endDate, config.temporal_end)):
        g.add((period, predicate, Literal(instant.text, datatype=XSD[instant.xsd_type])))
    _provenance(g, config, node)
    if statistics is not None:
        for predicate, count in statistics.summary().items():
            g.add((dataset, predicate, Literal(count, datatype=XSD.integer)))
    for distribution in distributions:
        _distribution(g, typed, config, dataset, distribution)
    if config.sparql_endpoint:
        _service(g, typed, config, node)
    return g


class _Typed:
    """Adds ``iri a cls`` and returns the IRI: for referenced vocabulary terms."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __call__(self, iri: str, cls: URIRef) -> URIRef:
        node = URIRef(iri)
        self.graph.add((node, RDF.type, cls))
        if cls == SKOS.Concept:
            code = iri.rstrip("/").rsplit("/", 1)[-1]
            label = LABELS.get(iri) or code.replace("_", " ").replace("-", " ").capitalize()
            self.graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
        return node


def _common(g: Graph, typed: _Typed, subject: URIRef, config: PublishConfig) -> None:
    """What catalogue and dataset both carry: publisher, dates, language, coverage."""
    publisher = typed(config.publisher.iri, FOAF.Agent)
    g.add((subject, DCTERMS.publisher, publisher))
    g.add((publisher, FOAF.name, Literal(config.publisher.name)))
    g.add((publisher, DCTERMS.type, typed(config.publisher.type, SKOS.Concept)))
    g.add((subject, DCTERMS.issued, Literal(config.issued.isoformat(), datatype=XSD.date)))
    g.add((subject, DCTERMS.modified, Literal(config.modified.isoformat(), datatype=XSD.date)))
    for language in config.languages:
        g.add((subject, DCTERMS.language, typed(language, DCTERMS.LinguisticSystem)))
    for place in config.spatial:
        location = typed(place.iri, DCTERMS.Location)
        g.add((subject, DCTERMS.spatial, location))
        if place.bbox:
            west, south, east, north = place.bbox
            ring = f"{west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}"
            g.add((location, DCAT.bbox, Literal(f"POLYGON(({ring}))", datatype=GSP.wktLiteral)))
        if place.centroid:
            point = f"POINT({place.centroid[0]} {place.centroid[1]})"
            g.add((location, DCAT.centroid, Literal(point, datatype=GSP.wktLiteral)))


def _licence(g: Graph, typed: _Typed, config: PublishConfig) -> URIRef:
    licence = typed(config.licence, DCTERMS.LicenseDocument)
    g.add((licence, DCTERMS.type, typed(config.licence_type, SKOS.Concept)))
    return licence


def _provenance(g: Graph, config: PublishConfig, node: dict[str, URIRef]) -> None:
    dataset, statement, report = node["dataset"], node["provenance"], node["report"]
    g.add((dataset, PROV.wasDerivedFrom, report))
    g.add((report, RDF.type, PROV.Entity))
    g.add((report, RDFS.label, Literal(SOURCE_LABEL, lang="en")))
    g.add((dataset, DCTERMS.provenance, statement))
    g.add((statement, RDF.type, DCTERMS.ProvenanceStatement))
    g.add((statement, RDFS.label, Literal(config.provenance, lang="en")))


def _distribution(g: Graph, typed: _Typed, config: PublishConfig, dataset: URIRef,
                  distribution: Distribution) -> None:
    node = distribution_iri(config, distribution)
    url = download_url(config, distribution)
    g.add((dataset, DCAT.distribution, node))
    g.add((node, RDF.type, DCAT.Distribution))
    g.add((node, DCTERMS.title, Literal(distribution.name)))
    g.add((node, DCTERMS.description, Literal(distribution.description, lang="en")))
    g.add((node, DCAT.downloadURL, url))
    g.add((node, DCAT.accessURL, url))
    g.add((node, DCAT.mediaType, typed(distribution.media_type, DCTERMS.MediaType)))
    g.add((node, DCTERMS.format, typed(distribution.file_type, DCTERMS.MediaTypeOrExtent)))
    g.add((node, DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger)))
    g.add((node, DCTERMS.license, _licence(g, typed, config)))
    g.add((node, DCTERMS.modified, Literal(config.modified.isoformat(), datatype=XSD.date)))
    g.add((node, DCATAP.availability, typed(config.availability, SKOS.Concept)))
    g.add((node, ADMS.status, typed(STATUS_COMPLETED, SKOS.Concept)))
    checksum = URIRef(f"{node}/checksum")
    g.add((node, SPDX.checksum, checksum))
    g.add((checksum, RDF.type, SPDX.Checksum))
    g.add((checksum, SPDX.algorithm, typed(SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm)))
    g.add((checksum, SPDX.checksumValue, Literal(distribution.sha256, datatype=XSD.hexBinary)))


def _service(g: Graph, typed: _Typed, config: PublishConfig, node: dict[str, URIRef]) -> None:
    service, endpoint = node["sparql-service"], typed(str(config.sparql_endpoint), RDFS.Resource)
    g.add((node["catalogue"], DCAT.service, service))
    g.add((service, RDF.type, DCAT.DataService))
    g.add((service, DCTERMS.title, Literal(f"SPARQL endpoint: {config.dataset_title}", lang="en")))
    g.add((service, DCAT.endpointURL, endpoint))
    g.add((service, DCAT.endpointDescription, endpoint))  # SPARQL 1.1 service description
    g.add((service, DCAT.servesDataset, node["dataset"]))
    g.add((service, DCAT.contactPoint, node["contact-point"]))
    g.add((service, DCTERMS.publisher, URIRef(config.publisher.iri)))
    g.add((service, DCTERMS.conformsTo, typed(SPARQL_PROTOCOL, DCTERMS.Standard)))
    g.add((service, DCTERMS.license, _licence(g, typed, config)))
    for theme in config.themes:
        g.add((service, DCAT.theme, URIRef(theme)))
    for keyword in config.keywords:
        g.add((service, DCAT.keyword, Literal(keyword, lang="en")))


def to_turtle(graph: Graph) -> str:
    """Turtle with sorted subjects, predicates and objects: the same graph gives the same text."""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in sorted(graph):
        out.add(triple)
    return out.serialize(format="turtle")


# ---------------------------------------------------------------------------------------------
# Validation against the official DCAT-AP 3.0.1 shapes
# ---------------------------------------------------------------------------------------------

MANDATORY_SHAPES = ("dcat-ap-SHACL.ttl", "ranges.ttl")
RECOMMENDED_SHAPES = "shapes_recommended.ttl"


@dataclass(frozen=True)
class DcatApShapes:
    """The official shapes, ready for pySHACL.

    ``mandatory`` is ``dcat-ap-SHACL.ttl`` and ``ranges.ttl`` in one graph: most property shapes
    ``ranges.ttl`` links are defined (with their ``sh:path``) in ``dcat-ap-SHACL.ttl``, but five
    links point at property shapes neither file defines, and pySHACL refuses a pathless property
    shape. Those links constrain nothing; they are dropped (in memory, the files stay unchanged)
    and listed in ``dropped`` as (node shape, property shape).
    """

    mandatory: Graph
    recommended: Graph
    dropped: tuple[tuple[str, str], ...]


def load_dcat_ap_shapes(folder: Path) -> DcatApShapes:
    """Read the three official shape files from ``folder`` (see :class:`DcatApShapes`)."""
    missing = [n for n in (*MANDATORY_SHAPES, RECOMMENDED_SHAPES) if not (folder / n).is_file()]
    if missing:
        raise InputError(f"{folder}: the DCAT-AP 3.0.1 shape files {', '.join(missing)} are missing.",
                         "Point to the folder holding the official DCAT-AP 3.0.1 SHACL files.")
    mandatory = Graph()
    for name in MANDATORY_SHAPES:
        mandatory.parse(folder / name, format="turtle")
    dangling = sorted((str(s), str(o)) for s, o in mandatory.subject_objects(SH.property)
                      if (o, SH.path, None) not in mandatory)
    for shape, prop in dangling:
        mandatory.remove((URIRef(shape), SH.property, URIRef(prop)))
    recommended = Graph().parse(folder / RECOMMENDED_SHAPES, format="turtle")
    return DcatApShapes(mandatory, recommended, tuple(dangling))


def check_record(record: Graph, shapes: DcatApShapes) -> list[tuple[str, str, str, str]]:
    """Every SHACL result of ``record``: (severity, focus node, path, message), sorted; empty if clean.

    Violations come from the mandatory shapes, warnings from the recommended ones.
    """
    from pyshacl import validate  # noqa: PLC0415 - slow import, only when checking

    results: list[tuple[str, str, str, str]] = []
    for shapes_graph in (shapes.mandatory, shapes.recommended):
        _, report, _ = validate(record, shacl_graph=shapes_graph, inference="none", advanced=True)
        for result in report.subjects(RDF.type, SH.ValidationResult):
            values = [report.value(result, p) for p in
                      (SH.resultSeverity, SH.focusNode, SH.resultPath, SH.resultMessage)]
            results.append(tuple(str(v).rsplit("#", 1)[-1] if i == 0 else str(v)
                                 for i, v in enumerate(values)))  # type: ignore[arg-type]
    return sorted(results)
