"""Stage 2, the baseline reasoner: owlrl's full OWL 2 RL closure over an rdflib graph.

``iakg build --reasoner owlrl`` runs it; ``tests/test_reason.py`` compares it with
:func:`iakg.reason.reason_in_store`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import rdflib


def owlrl_closure(graph: rdflib.Graph) -> tuple[rdflib.Graph, list[str]]:
    """owlrl's OWL 2 RL closure of ``graph``: (the new triples, owlrl's error messages)."""
    import owlrl
    import rdflib

    from .namespaces import OWLRL_ERRORS

    closed = rdflib.Graph()
    for triple in graph:
        closed.add(triple)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(closed)
    errors = sorted(
        str(message)
        for node in closed.subjects(rdflib.RDF.type, OWLRL_ERRORS.ErrorMessage)
        for message in closed.objects(node, OWLRL_ERRORS.error)
    )
    new = rdflib.Graph()
    for triple in closed:
        if triple not in graph:
            new.add(triple)
    return new, errors
