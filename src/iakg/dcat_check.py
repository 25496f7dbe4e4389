"""Publish, stage 1b: check a DCAT-AP record against the official DCAT-AP 3.0.1 shapes.

The shapes are read from the folder given by the publisher (``../shared/standards`` in this
repository); nothing is downloaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH

from .errors import InputError

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
        raise InputError(
            f"{folder}: the DCAT-AP 3.0.1 shape files {', '.join(missing)} are missing.",
            "Point to the folder of the official DCAT-AP 3.0.1 shapes.",
        )
    mandatory = Graph()
    for name in MANDATORY_SHAPES:
        mandatory.parse(folder / name, format="turtle")
    dangling = sorted(
        (str(s), str(o)) for s, o in mandatory.subject_objects(SH.property) if (o, SH.path, None) not in mandatory
    )
    for shape, prop in dangling:
        mandatory.remove((URIRef(shape), SH.property, URIRef(prop)))
    recommended = Graph().parse(folder / RECOMMENDED_SHAPES, format="turtle")
    return DcatApShapes(mandatory, recommended, tuple(dangling))


def check_record(record: Graph, shapes: DcatApShapes) -> list[tuple[str, str, str, str]]:
    """Every SHACL result of ``record``, sorted: (severity, focus node, path, message).

    An empty list means the record conforms: violations come from the mandatory shapes, warnings
    from the recommended ones.
    """
    from pyshacl import validate

    results = []
    for shapes_graph in (shapes.mandatory, shapes.recommended):
        _, report, _ = validate(record, shacl_graph=shapes_graph, inference="none", advanced=True)
        for result in report.subjects(RDF.type, SH.ValidationResult):
            severity, focus, path, message = (
                str(report.value(result, p)) for p in (SH.resultSeverity, SH.focusNode, SH.resultPath, SH.resultMessage)
            )
            results.append((severity.rsplit("#", 1)[-1], focus, path, message))
    return sorted(results)
