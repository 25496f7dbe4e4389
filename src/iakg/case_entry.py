"""Reading case entries: the file, its structure, and the facts and claims of every section.

:class:`EntryBuilder` turns the values of an entry into RDF terms, facts into triples with one
:class:`iakg:Claim` per evidence item, and collects every structural problem (unknown field, wrong
kind of value) so that all are reported at once. :mod:`iakg.case_import` builds the sections.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from rdflib import RDF, RDFS, Graph, Literal, URIRef
from rdflib.namespace import XSD

from . import casefile as cf
from .errors import InputError, Position, SyntaxProblem
from .load import read_checked
from .namespaces import IAKG, VOCABULARIES

FACT_KEYS = {"value", "evidence", "lang"}


class EntryError(InputError):
    """A case entry whose structure is wrong; lists every problem found."""

    def __init__(self, path: Path | None, code: str | None, problems: list[tuple[str, str]]) -> None:
        where = f"{path}" if path else "the entry"
        case = f" (case {code})" if code else ""
        lines = "\n".join(f"  - {field}: {message}" for field, message in problems)
        super().__init__(
            f"{where}{case} cannot be read as a case entry; {len(problems)} problem"
            f"{'s' if len(problems) != 1 else ''}:\n{lines}",
            "Correct each field named above (see the template: iakg case new).",
        )
        self.problems = problems


class _UniqueKeyLoader(yaml.SafeLoader):
    """YAML's safe loader, except that a key given twice in one mapping is an error.

    Plain YAML keeps the last value silently, which would drop a quote or a locator without a word.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    "while reading a mapping",
                    node.start_mark,
                    f"the key '{key}' is given twice (the first value would be lost)",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def read_entry(path: Path) -> dict[str, Any]:
    """The YAML mapping of a case file, or an error naming file, line and column."""
    text = read_checked(path).decode("utf-8")
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: plain data only
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        position = Position(path, mark.line + 1, mark.column + 1) if mark else Position(path)
        raise SyntaxProblem(
            position,
            f"YAML syntax error: {exc.problem or exc}",
            "Fix the YAML at that position (indentation, a missing ':', an unclosed quote or a key given twice"
            " are the usual causes).",
        ) from None
    except yaml.YAMLError as exc:
        raise SyntaxProblem(Position(path), f"YAML error: {exc}") from None
    if not isinstance(data, dict):
        raise InputError(
            f"{path}: a case entry is a YAML mapping with sections case:, initiative: ...; "
            f"this file holds a {type(data).__name__}.",
            "Start from the template: iakg case new > my-case.yaml",
        )
    return data


class EntryBuilder:
    """The parts of building an entry's graph that every section shares: reading values and
    facts, minting claims, collecting structural problems."""

    def __init__(self, entry: dict[str, Any]) -> None:
        self.entry = entry
        self.g = Graph()
        self.problems: list[tuple[str, str]] = []
        case: dict[str, Any] = entry["case"] if isinstance(entry.get("case"), dict) else {}
        self.code = str(case.get("code", "")) or "UNKNOWN"
        initiative: dict[str, Any] = entry["initiative"] if isinstance(entry.get("initiative"), dict) else {}
        self.initiative_id = initiative.get("id")
        self.source = str(case.get("source", cf.DEFAULT_SOURCE))

    # -- helpers ---------------------------------------------------------------------------

    def problem(self, where: str, message: str) -> None:
        self.problems.append((where, message))

    def mapping(self, value: Any, where: str, keys: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.problem(where, f"expected a mapping (key: value lines), found {_show(value)}")
            return {}
        unknown = sorted(set(value) - keys)
        for key in unknown:
            self.problem(f"{where}.{key}", f"unknown field; the fields here are {', '.join(sorted(keys))}")
        return value

    def items(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(where, f"expected a list (lines starting with '-'), found {_show(value)}")
            return []
        return value

    def ident(self, value: Any, where: str) -> str:
        if not cf.slug_ok(value):
            self.problem(where, f"expected an id of lower-case letters, digits and hyphens, found {_show(value)}")
            return "invalid-id"
        return str(value)

    def agent(self, ident: str) -> URIRef:
        if ident == self.initiative_id:
            return cf.initiative_iri(ident)
        return cf.organisation_iri(ident)

    def term(self, kind: str, value: Any, where: str, lang: str | None = None) -> URIRef | Literal:
        if kind.startswith("ref:"):
            what = kind[4:]
            if what == "level":
                if not isinstance(value, str) or value.count("/") != 1:
                    self.problem(where, f"expected a level like frost-2005/co-ordination, found {_show(value)}")
                return cf.level_iri(str(value))
            if what == "country":
                if not isinstance(value, str) or not value.isupper():
                    self.problem(where, f"expected a country code such as BE, found {_show(value)}")
                return cf.country_iri(str(value))
            ident = self.ident(value, where)
            if what == "agent":
                return self.agent(ident)
            if what == "place":
                return cf.place_iri(ident)
            if what == "source":
                return cf.source_iri(ident)
            if what == "typology":
                return cf.scheme_iri(ident)
            return cf.concept_iri(what, ident)
        if kind == "lang" and not lang:
            self.problem(where, "a name in its original language needs lang (for example lang: nl)")
        if kind in ("year", "count") and (isinstance(value, bool) or not isinstance(value, int)):
            self.problem(where, f"expected a whole number, found {_show(value)}")
        if kind == "decimal" and (isinstance(value, bool) or not isinstance(value, int | float)):
            self.problem(where, f"expected a number, found {_show(value)}")
        if kind in ("text", "lang", "en") and not isinstance(value, str | int | float):
            self.problem(where, f"expected a text, found {_show(value)}")
        return cf.literal_for(kind, value, lang)

    def fields(self, node: URIRef, data: dict[str, Any], fields: tuple[cf.Field, ...], where: str) -> None:
        for field in fields:
            if field.name in data and data[field.name] is not None:
                self.fact(node, field, data[field.name], f"{where}.{field.name}")

    def fact(self, node: URIRef, field: cf.Field, raw: Any, where: str) -> None:
        values = (raw if isinstance(raw, list) else [raw]) if field.many else [raw]
        for i, item in enumerate(values):
            at = f"{where}[{i}]" if field.many else where
            evidence: list[Any] = []
            lang = None
            if isinstance(item, dict):
                if not field.evidence:
                    self.problem(at, f"takes a plain value, found {_show(item)}")
                    continue
                item = self.mapping(item, at, FACT_KEYS)
                if "value" not in item:
                    self.problem(at, "a fact needs value: (and evidence:)")
                    continue
                evidence = self.items(item.get("evidence"), f"{at}.evidence")
                lang = item.get("lang")
                value = item["value"]
            else:
                value = item
            term = self.term(field.kind, value, at, lang)
            self.g.add((node, field.predicate, term))
            for j, ev in enumerate(evidence):
                self.claim((node, field.predicate, term), ev, f"{at}.evidence[{j}]")

    def claim(
        self,
        triple: tuple[URIRef, URIRef, URIRef | Literal] | None,
        ev: Any,
        where: str,
        says: str | None = None,
    ) -> URIRef | None:
        keys = set(cf.EVIDENCE_KEYS) | ({"says"} if triple is None else set())
        ev = self.mapping(ev, where, keys)
        if not ev:
            return None
        quote = ev.get("quote")
        if not isinstance(quote, str):
            self.problem(f"{where}.quote", f"every evidence item needs a quote in double quotes, found {_show(quote)}")
            quote = str(quote or "")
        first, last = self.lines(ev.get("lines"), f"{where}.lines")
        source = str(ev.get("source", self.source))
        says = ev.get("says") if triple is None else None
        parts = (
            *(t.n3() for t in (triple or ())),
            quote, str(first), str(last), str(ev.get("section", "")), str(ev.get("stated_by", "")),
            str(ev.get("role", "")), str(ev.get("kind", "")), str(ev.get("measure", "")), source,
            str(says or ""),
        )  # fmt: skip
        iri = cf.claim_iri(self.code, parts)
        g = self.g
        g.add((iri, RDF.type, IAKG.Claim))
        if triple is not None:
            g.add((iri, RDF.subject, triple[0]))
            g.add((iri, RDF.predicate, triple[1]))
            g.add((iri, RDF.object, triple[2]))
        g.add((iri, IAKG.quote, Literal(quote)))
        g.add((iri, IAKG.fromLine, Literal(str(first), datatype=XSD.integer)))
        g.add((iri, IAKG.toLine, Literal(str(last), datatype=XSD.integer)))
        g.add((iri, IAKG.source, cf.source_iri(source)))
        if ev.get("section") is not None:
            g.add((iri, IAKG.section, Literal(str(ev["section"]))))
        if ev.get("stated_by") is not None:
            g.add((iri, IAKG.statedBy, VOCABULARIES["voices"][self.ident(ev["stated_by"], f"{where}.stated_by")]))
        else:
            self.problem(
                f"{where}.stated_by",
                "say who states it: case-study-text, interviewee, part1-narrative, cross-case-table or news-item",
            )
        if ev.get("role") is not None:
            g.add((iri, IAKG.intervieweeRole, Literal(str(ev["role"]))))
        if ev.get("kind") is not None:
            g.add((iri, IAKG.evidenceKind, VOCABULARIES["evidence-kinds"][self.ident(ev["kind"], f"{where}.kind")]))
        if ev.get("measure") is not None:
            g.add((iri, IAKG.measure, Literal(str(ev["measure"]))))
        if says is not None:
            g.add((iri, RDFS.comment, Literal(str(says))))
        return iri

    def lines(self, value: Any, where: str) -> tuple[int, int]:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, value
        if isinstance(value, str) and "-" in value:
            a, _, b = value.partition("-")
            if a.strip().isdigit() and b.strip().isdigit():
                return int(a), int(b)
        if (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(x, int) and not isinstance(x, bool) for x in value)
        ):
            return value[0], value[1]
        self.problem(where, f"expected [first, last] line numbers, found {_show(value)}")
        return 1, 1

    def label(self, node: URIRef, data: dict[str, Any], where: str, required: bool = True) -> None:
        label = data.get("label")
        if isinstance(label, str) and label.strip():
            self.g.add((node, RDFS.label, Literal(label)))
        elif required or label is not None:
            self.problem(f"{where}.label", "needs a short label in plain words")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
