"""Synthetic case entries shaped like the real eight, for measuring the pipeline at portal scale.

Each synthetic case has a case study (country, method, author), an initiative (target group), a
partner organisation with its sector, a collaboration with evidence for each party, a level
classification on a typology, and two findings (drawn from facilitators, barriers and impacts),
every fact backed by a claim with a quote, a locator, a voice and, for findings and levels, a kind
of evidence. The quotes and their locators are real: they are drawn from the claims of the real
data, so the synthetic graph passes every check the real one does, the quote check included.
About 100 triples a case: a real case has about 4,000 (more organisations, many more claims);
the synthetic case keeps the shape at a size where 10,000 cases make a portal-sized graph.

Deterministic: the same seed and count give the same files, byte for byte.

    python benchmarks/synthetic.py 1000 --out /tmp/synthetic-data
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from iakg.iris import ONTOLOGY_NS, PREFIXES  # noqa: E402

CASES_PER_FILE = 100
COUNTRIES = ["BE", "EL", "IT", "NL", "NO", "PL", "PT", "UK", "CZ", "DE"]
SECTORS = ["education", "ecec", "health", "social-work-welfare", "ngo", "local-government", "housing", "employment"]
TARGET_GROUPS = ["disadvantaged-families", "immigrant-families", "roma-families", "low-income-families"]
LEVELS = [
    "frost-2005/co-operation", "frost-2005/collaboration", "frost-2005/co-ordination",
    "frey-2006/networking", "frey-2006/coordination", "frey-2006/coalition", "frey-2006/collaboration",
    "bertram-2002/coalition", "bertram-2002/unified", "owens-2010/joined-up-working",
]  # fmt: skip
FINDINGS = [
    (
        "FacilitatorFinding",
        "facilitator",
        ["regular-meetings", "strong-leadership", "trust", "co-location", "joint-training"],
    ),
    (
        "BarrierFinding",
        "barrier",
        ["funding-uncertainty", "data-sharing-restrictions", "different-policies", "staff-recruitment-turnover"],
    ),
    ("ServiceImpactFinding", "impact-on-services", ["coordination-referrals", "flexible-reaction", "efficiency"]),
    ("FamilyImpactFinding", "impact-on-families", ["responsive-support", "one-place", "welcoming-diverse-families"]),
]


@dataclass(frozen=True)
class Quote:
    """A real quote with its locator, drawn from the real data."""

    text: str
    first: int
    last: int


def real_quotes(data_dir: Path, limit: int = 400) -> list[Quote]:
    """Quotes of the real case files (sorted, so the draw is deterministic)."""
    quotes = set()
    iakg = ONTOLOGY_NS
    for path in sorted(data_dir.glob("cs*.ttl")):
        by_claim: dict[str, dict[str, str]] = {}
        for quad in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            key = quad.predicate.value
            if key in (iakg + "quote", iakg + "fromLine", iakg + "toLine"):
                by_claim.setdefault(quad.subject.value, {})[key] = quad.object.value
        for fields in by_claim.values():
            if len(fields) == 3 and "\n" not in fields[iakg + "quote"]:
                quotes.add(Quote(fields[iakg + "quote"], int(fields[iakg + "fromLine"]), int(fields[iakg + "toLine"])))
    ordered = sorted(quotes, key=lambda q: (q.first, q.text))
    return ordered[:: max(1, len(ordered) // limit)][:limit]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _int(value: int) -> str:
    return f'"{value}"^^<http://www.w3.org/2001/XMLSchema#integer>'


class CaseWriter:
    """Writes the Turtle of one synthetic case."""

    def __init__(self, number: int, rng: random.Random, quotes: list[Quote]) -> None:
        self.code = f"SYN{number:05d}"
        self.rng = rng
        self.quotes = quotes
        self.lines: list[str] = []
        self.claims = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} {p} {o} .")

    def claim(self, s: str, p: str, o: str, kind: str | None = None) -> None:
        self.claims += 1
        quote = self.rng.choice(self.quotes)
        node = f"claim:{self.code}-{self.claims:03d}"
        for pred, obj in (
            ("a", "iakg:Claim"), ("rdf:subject", s), ("rdf:predicate", p), ("rdf:object", o),
            ("iakg:quote", _lit(quote.text)), ("iakg:fromLine", _int(quote.first)), ("iakg:toLine", _int(quote.last)),
            ("iakg:source", "src:isotis-report"), ("iakg:statedBy", "voice:case-study-text"),
        ):  # fmt: skip
            self.add(node, pred, obj)
        if kind:
            self.add(node, "iakg:evidenceKind", f"evidence:{kind}")

    def fact(self, s: str, p: str, o: str, kind: str | None = None) -> None:
        self.add(s, p, o)
        self.claim(s, p, o, kind)

    def write(self) -> str:
        rng, code = self.rng, self.code
        case, ini = f"case:{code}", f"initiative:{code.lower()}"
        org = f"agent:{code.lower()}-partner"
        self.add(case, "a", "iakg:CaseStudy")
        self.add(case, "rdfs:label", _lit(f"Synthetic case {code}"))
        self.add(case, "iakg:caseCode", _lit(code))
        self.add(case, "iakg:describes", ini)
        self.add(case, "iakg:country", f"country:{rng.choice(COUNTRIES)}")
        self.add(case, "iakg:writtenBy", "agent:university-of-oxford")
        self.claim(case, "iakg:writtenBy", "agent:university-of-oxford")
        self.fact(case, "iakg:usesMethod", "method:interview")
        self.add(ini, "a", "iakg:Initiative")
        self.add(ini, "rdfs:label", _lit(f"Synthetic initiative {code}"))
        self.fact(ini, "iakg:targetGroup", f"tg:{rng.choice(TARGET_GROUPS)}")
        self.add(org, "a", "org:Organization")
        self.add(org, "rdfs:label", _lit(f"Partner of {code}"))
        self.add(org, "iakg:sector", f"sector:{rng.choice(SECTORS)}")
        collab = f"collab:{code}-1"
        self.add(collab, "a", "iakg:Collaboration")
        self.add(collab, "rdfs:label", _lit(f"Collaboration of {code}"))
        self.add(collab, "iakg:inInitiative", ini)
        self.fact(collab, "iakg:party", ini)
        self.fact(collab, "iakg:party", org)
        level = rng.choice(LEVELS)
        lc = f"lc:{code}-1-{level.replace('/', '-')}"
        self.add(lc, "a", "iakg:LevelClassification")
        self.add(lc, "iakg:classifies", collab)
        typology, local = level.split("/")
        self.fact(lc, "iakg:level", f"{typology.split('-')[0]}:{local}", kind="perceived")
        for cls, kind, concepts in rng.sample(FINDINGS, 2):
            concept = rng.choice(concepts)
            finding = f"finding:{code}-{kind}-{concept}"
            scheme = {"facilitator": "fac", "barrier": "bar", "impact-on-services": "isv", "impact-on-families": "ifa"}[
                kind
            ]
            self.add(finding, "a", f"iakg:{cls}")
            self.add(finding, "iakg:aboutCase", case)
            self.fact(
                finding,
                "iakg:findingConcept",
                f"{scheme}:{concept}",
                kind=rng.choice(["perceived", "perceived", "documented"]),
            )
        return "\n".join(self.lines) + "\n"


def header() -> str:
    used = ["iakg", "rdf", "rdfs", "org", "case", "initiative", "agent", "collab", "lc", "finding", "claim", "src",
            "country", "method", "tg", "arrangement", "formality", "sector", "voice", "evidence",
            "fac", "bar", "isv", "ifa",
            "frost", "frey", "bertram", "owens"]  # fmt: skip
    return "".join(f"@prefix {p}: <{PREFIXES[p]}> .\n" for p in used) + "\n"


def generate(count: int, out: Path, seed: int = 1, data_dir: Path = ROOT / "data") -> list[Path]:
    """Write ``count`` synthetic cases into ``out`` (100 cases per file); return the files."""
    quotes = real_quotes(data_dir)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for start in range(0, count, CASES_PER_FILE):
        chunk = [CaseWriter(n + 1, rng, quotes).write() for n in range(start, min(count, start + CASES_PER_FILE))]
        path = out / f"synthetic-{start // CASES_PER_FILE + 1:04d}.ttl"
        path.write_text(header() + "\n".join(chunk), encoding="utf-8")
        files.append(path)
    return files


def digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for path in files:
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="how many synthetic cases")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the Turtle files into")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    files = generate(args.count, args.out, args.seed)
    print(f"Wrote {args.count} synthetic cases in {len(files)} files to {args.out} (digest {digest(files)}).")


if __name__ == "__main__":
    main()
