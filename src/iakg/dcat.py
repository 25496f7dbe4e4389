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
- a checksum names its algorithm with ``spdx:algorithm`` (value ``spdx:checksumAlgorithm_sha256``),
  the property the DCAT-AP 3.0.1 ``spdx:ChecksumShape`` requires.

:mod:`iakg.dcat_check` validates a record against the official shapes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, SKOS, VOID

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
DISTRIBUTION_STATUS = "http://publications.europa.eu/resource/authority/distribution-status/"
STATUS_COMPLETED = URIRef(DISTRIBUTION_STATUS + "COMPLETED")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")
#: The source report node of the graph (``data/sources.ttl``), under the configured base.
SOURCE_REPORT = "id/source/isotis-report"
SOURCE_LABEL = "ISOTIS report on inter-agency working in services for young children and families"

#: English labels of the concepts the record can reference (DCAT-AP requires a skos:prefLabel);
#: a concept not listed gets its code, with "-" and "_" as spaces.
_THEMES = {
    "AGRI": "Agriculture, fisheries, forestry and food", "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport", "ENER": "Energy", "ENVI": "Environment",
    "GOVE": "Government and public sector", "HEAL": "Health", "INTR": "International issues",
    "JUST": "Justice, legal system and public safety", "OP_DATPRO": "Provisional data",
    "REGI": "Regions and cities", "SOCI": "Population and society",
    "TECH": "Science and technology", "TRAN": "Transport",
}  # fmt: skip
LABELS = {DATA_THEME + code: label for code, label in _THEMES.items()} | {
    str(STATUS_COMPLETED): "Completed",
    "http://purl.org/adms/licencetype/Attribution": "Attribution",
    "http://purl.org/adms/publishertype/Academia-ScientificOrganisation":
        "Academia/Scientific organisation",
}  # fmt: skip

PREFIXES = {
    "adms": ADMS, "dcat": DCAT, "dcatap": DCATAP, "dcterms": DCTERMS, "foaf": FOAF, "gsp": GSP,
    "prov": PROV, "rdfs": RDFS, "skos": SKOS, "spdx": SPDX, "vcard": VCARD, "void": VOID,
    "xsd": XSD,
}  # fmt: skip


@dataclass(frozen=True)
class Format:
    """A dump file format: IANA media type, EU file type, W3C format IRI and a label."""

    media_type: str
    file_type: str
    w3c: str
    label: str


#: The formats the dumps come in, by file suffix: IANA type, EU file type, W3C format, label.
FORMATS: dict[str, Format] = {
    suffix: Format(IANA + media, FILE_TYPE + eu, W3C_FORMATS + w3c, label)
    for suffix, media, eu, w3c, label in (
        (".ttl", "text/turtle", "RDF_TURTLE", "Turtle", "Turtle"),
        (".trig", "application/trig", "RDF_TRIG", "TriG", "TriG"),
        (".nt", "application/n-triples", "RDF_N_TRIPLES", "N-Triples", "N-Triples"),
        (".nq", "application/n-quads", "RDF_N_QUADS", "N-Quads", "N-Quads"),
        (".rdf", "application/rdf+xml", "RDF_XML", "RDF_XML", "RDF/XML"),
        (".jsonld", "application/ld+json", "JSON_LD", "JSON-LD", "JSON-LD"),
    )
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
            raise InputError(
                f"Distribution name {self.name!r} is not a relative file path.",
                "Name the dump by its path under the download base, e.g. iakg.ttl.",
            )
        if len(self.sha256) != 64 or set(self.sha256) - set("0123456789abcdef"):
            raise InputError(
                f"Distribution {self.name}: {self.sha256!r} is not a lower-case hexadecimal SHA-256 digest.",
                "Use Distribution.of_file.",
            )
        if self.byte_size < 0:
            raise InputError(f"Distribution {self.name}: negative byte size {self.byte_size}.")

    @classmethod
    def of_file(cls, path: Path, name: str | None = None, description: str | None = None
                ) -> Distribution:  # fmt: skip
        """A dump file's distribution: format from the suffix, size and digest from the bytes.

        ``name`` is the path under the download base (default: the file name).
        """
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            raise InputError(
                f"{path}: no known RDF format for the suffix {path.suffix!r}.",
                f"Write the dump with one of the suffixes {', '.join(FORMATS)}.",
            )
        digest, size = hashlib.sha256(), 0
        try:
            with path.open("rb") as stream:
                while chunk := stream.read(1 << 20):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError as exc:
            raise InputError(f"{path}: cannot read the dump file ({exc.strerror}).") from None
        text = description or f"The knowledge graph as one {fmt.label} file."
        return cls(name or path.name, fmt.media_type, fmt.file_type, size, digest.hexdigest(), text)


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


def dataset_record(config: PublishConfig, distributions: Sequence[Distribution],
                   statistics: Statistics | None = None) -> Graph:  # fmt: skip
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
    node, typed = iris(config), _Typed(g)
    catalogue, dataset, contact, period = (node[k] for k in ("catalogue", "dataset", "contact-point", "temporal"))
    scheme = typed(DATA_THEME.rstrip("/"), SKOS.ConceptScheme)
    _add(g, scheme, (DCTERMS.title, _en("Data theme")))
    _add(
        g,
        catalogue,
        (RDF.type, DCAT.Catalog),
        (DCTERMS.title, _en(config.catalogue_title)),
        (DCTERMS.description, _en(config.catalogue_description)),
        (FOAF.homepage, typed(config.catalogue_homepage, FOAF.Document)),
        (DCAT.themeTaxonomy, scheme),
        (DCAT.dataset, dataset),
        (DCTERMS.license, _licence(g, typed, config)),
    )
    for subject in (catalogue, dataset):
        _common(g, typed, subject, config)
    _add(
        g,
        dataset,
        (RDF.type, DCAT.Dataset),
        (DCTERMS.title, _en(config.dataset_title)),
        (DCTERMS.description, _en(config.dataset_description)),
        (DCTERMS.identifier, Literal(str(dataset))),
        (DCAT.version, Literal(config.version)),
        (DCAT.landingPage, typed(config.landing_page, FOAF.Document)),
        (DCTERMS.accessRights, typed(ACCESS_PUBLIC, DCTERMS.RightsStatement)),
        (DCAT.contactPoint, contact),
        (DCTERMS.temporal, period),
        *((DCAT.keyword, _en(keyword)) for keyword in config.keywords),
        *((DCAT.theme, typed(theme, SKOS.Concept)) for theme in config.themes),
        *((DCTERMS.conformsTo, typed(iri, DCTERMS.Standard)) for iri in config.conforms_to),
    )
    for theme in config.themes:
        g.add((URIRef(theme), SKOS.inScheme, scheme))
    _add(
        g,
        contact,
        (RDF.type, VCARD.Kind),
        (VCARD.fn, Literal(config.contact.name)),
        (VCARD.hasEmail, URIRef("mailto:" + config.contact.email)),
    )
    start, end = config.temporal_start, config.temporal_end
    _add(
        g,
        period,
        (RDF.type, DCTERMS.PeriodOfTime),
        (DCAT.startDate, Literal(start.text, datatype=XSD[start.xsd_type])),
        (DCAT.endDate, Literal(end.text, datatype=XSD[end.xsd_type])),
    )
    _add(g, node["report"], (RDF.type, PROV.Entity), (RDFS.label, _en(SOURCE_LABEL)))
    _add(g, node["provenance"], (RDF.type, DCTERMS.ProvenanceStatement), (RDFS.label, _en(config.provenance)))
    _add(g, dataset, (PROV.wasDerivedFrom, node["report"]), (DCTERMS.provenance, node["provenance"]))
    if statistics is not None:
        _add(g, dataset, *((p, Literal(n, datatype=XSD.integer)) for p, n in statistics.summary().items()))
    for distribution in distributions:
        _distribution(g, typed, config, dataset, distribution)
    if config.sparql_endpoint:
        _service(g, typed, config, node)
    return g


def _en(text: str) -> Literal:
    return Literal(text, lang="en")


def _add(g: Graph, subject: URIRef, *pairs: tuple[URIRef, URIRef | Literal]) -> None:
    for predicate, value in pairs:
        g.add((subject, predicate, value))


class _Typed:
    """Adds ``iri a cls`` (and a label to a concept) and returns the IRI: for vocabulary terms."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def __call__(self, iri: str, cls: URIRef) -> URIRef:
        node = URIRef(iri)
        self.graph.add((node, RDF.type, cls))
        if cls == SKOS.Concept:
            code = iri.rstrip("/").rsplit("/", 1)[-1]
            label = LABELS.get(iri) or code.replace("_", " ").replace("-", " ").capitalize()
            self.graph.add((node, SKOS.prefLabel, _en(label)))
        return node


def _common(g: Graph, typed: _Typed, subject: URIRef, config: PublishConfig) -> None:
    """What catalogue and dataset both carry: publisher, dates, language, coverage."""
    publisher = typed(config.publisher.iri, FOAF.Agent)
    _add(
        g,
        publisher,
        (FOAF.name, Literal(config.publisher.name)),
        (DCTERMS.type, typed(config.publisher.type, SKOS.Concept)),
    )
    _add(
        g,
        subject,
        (DCTERMS.publisher, publisher),
        (DCTERMS.issued, Literal(config.issued.isoformat(), datatype=XSD.date)),
        (DCTERMS.modified, Literal(config.modified.isoformat(), datatype=XSD.date)),
        *((DCTERMS.language, typed(iri, DCTERMS.LinguisticSystem)) for iri in config.languages),
    )
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


def _distribution(g: Graph, typed: _Typed, config: PublishConfig, dataset: URIRef,
                  distribution: Distribution) -> None:  # fmt: skip
    node, url = distribution_iri(config, distribution), download_url(config, distribution)
    checksum = URIRef(f"{node}/checksum")
    g.add((dataset, DCAT.distribution, node))
    _add(
        g,
        node,
        (RDF.type, DCAT.Distribution),
        (DCTERMS.title, Literal(distribution.name)),
        (DCTERMS.description, _en(distribution.description)),
        (DCAT.downloadURL, url),
        (DCAT.accessURL, url),
        (DCAT.mediaType, typed(distribution.media_type, DCTERMS.MediaType)),
        (DCTERMS["format"], typed(distribution.file_type, DCTERMS.MediaTypeOrExtent)),
        (DCAT.byteSize, Literal(distribution.byte_size, datatype=XSD.nonNegativeInteger)),
        (DCTERMS.license, _licence(g, typed, config)),
        (DCTERMS.modified, Literal(config.modified.isoformat(), datatype=XSD.date)),
        (DCATAP.availability, typed(config.availability, SKOS.Concept)),
        (ADMS.status, typed(STATUS_COMPLETED, SKOS.Concept)),
        (SPDX.checksum, checksum),
    )
    _add(
        g,
        checksum,
        (RDF.type, SPDX.Checksum),
        (SPDX.algorithm, typed(SPDX.checksumAlgorithm_sha256, SPDX.ChecksumAlgorithm)),
        (SPDX.checksumValue, Literal(distribution.sha256, datatype=XSD.hexBinary)),
    )


def _service(g: Graph, typed: _Typed, config: PublishConfig, node: dict[str, URIRef]) -> None:
    """The SPARQL endpoint as a dcat:DataService; its service description is at the endpoint."""
    service, endpoint = node["sparql-service"], typed(str(config.sparql_endpoint), RDFS.Resource)
    g.add((node["catalogue"], DCAT.service, service))
    _add(
        g,
        service,
        (RDF.type, DCAT.DataService),
        (DCTERMS.title, _en(f"SPARQL endpoint: {config.dataset_title}")),
        (DCAT.endpointURL, endpoint),
        (DCAT.endpointDescription, endpoint),
        (DCAT.servesDataset, node["dataset"]),
        (DCAT.contactPoint, node["contact-point"]),
        (DCTERMS.publisher, URIRef(config.publisher.iri)),
        (DCTERMS.conformsTo, typed(SPARQL_PROTOCOL, DCTERMS.Standard)),
        (DCTERMS.license, _licence(g, typed, config)),
        *((DCAT.theme, URIRef(theme)) for theme in config.themes),
        *((DCAT.keyword, _en(keyword)) for keyword in config.keywords),
    )


def to_turtle(graph: Graph) -> str:
    """Turtle with sorted subjects, predicates and objects: the same graph gives the same text."""
    out = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        out.bind(prefix, namespace)
    for triple in sorted(graph):
        out.add(triple)
    return out.serialize(format="turtle")
