"""The project's IRI patterns as plain strings (no rdflib import: used on the fast query path)."""

from __future__ import annotations

#: Default base of every IRI minted by the project (publishers may rebase on export).
BASE = "https://w3id.org/iakg/"
ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_NS = ONTOLOGY_IRI + "#"
ID = BASE + "id/"
GRAPH = BASE + "graph/"
ONTOLOGY_GRAPH = GRAPH + "ontology"
DATA_GRAPH = GRAPH + "data"
INFERRED_GRAPH = GRAPH + "inferred"

#: Prefixes used in every file the project writes (Turtle, TriG, SPARQL headers, tables).
PREFIXES: dict[str, str] = {
    "iakg": ONTOLOGY_NS,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "case": ID + "case/",
    "initiative": ID + "initiative/",
    "agent": ID + "organisation/",
    "place": ID + "place/",
    "collab": ID + "collaboration/",
    "lc": ID + "level-classification/",
    "finding": ID + "finding/",
    "funding": ID + "funding/",
    "dc": ID + "data-collection/",
    "claim": ID + "claim/",
    "disc": ID + "discrepancy/",
    "tbl": ID + "table/",
    "src": ID + "source/",
    "scheme": ID + "scheme/",
    "study": ID + "study/",
    "country": ID + "country/",
    "fac": ID + "facilitator/",
    "bar": ID + "barrier/",
    "bararea": ID + "barrier-area/",
    "isv": ID + "impact-on-services/",
    "ifa": ID + "impact-on-families/",
    "ich": ID + "impact-on-children/",
    "sector": ID + "sector/",
    "tg": ID + "target-group/",
    "formality": ID + "formality/",
    "arrangement": ID + "arrangement/",
    "stability": ID + "funding-stability/",
    "method": ID + "method/",
    "evidence": ID + "evidence-kind/",
    "voice": ID + "voice/",
    "disctype": ID + "discrepancy-type/",
    "confidence": ID + "confidence/",
    "level": ID + "level/",
    "frost": ID + "level/frost-2005/",
    "owens": ID + "level/owens-2010/",
    "frey": ID + "level/frey-2006/",
    "atkinson": ID + "level/atkinson-2005/",
    "bertram": ID + "level/bertram-2002/",
}
