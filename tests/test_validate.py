"""Stage 3, validate: the shapes, the rule queries and the quote check, on fixtures and real data.

SHACL fixtures follow the W3C data-shapes test suite: one small Turtle file per case, with its
expected outcome in its header, in tests/fixtures/shapes/:

* ``valid/*.ttl``: no problem (violation, warning or info) on any node the file describes;
  ``# valid: shape=IRI`` names the shapes whose targets the file exercises.
* ``invalid/*.ttl``: each changes one thing in a valid entry. Every ``# expect: focus=IRI
  shape=IRI|check=NAME [component=C] [path=IRI] severity=S [value=".."] [message=".."]`` line is
  a result that must occur (``check`` names a rule query file or ``quote``; ``message`` is a part
  of the message); no other problem may occur on the file's own nodes.

Adding a fixture needs no new test code. All fixtures are checked in context, with the ontology
and the data, in one reasoned store (their nodes are disjoint, which is tested), validated once
by the fast validator and once by pySHACL: the two must agree on every fixture and on the real
graph. That is the proof that :mod:`iakg.shacl_fast` may replace pySHACL.
"""

from __future__ import annotations

import hashlib
import re
import shlex
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.evaluate import evalQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query

from iakg.cli import main
from iakg.load import MAX_FILE_BYTES, parse_turtle
from iakg.pipeline import Built, scratch_store
from iakg.project import Project
from iakg.report import problem_key
from iakg.validate import Problem, shacl_problems, validate_store

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID = sorted((FIXTURES / "shapes" / "valid").glob("*.ttl"))
INVALID = sorted((FIXTURES / "shapes" / "invalid").glob("*.ttl"))
ALL = [*VALID, *INVALID]
BROKEN = FIXTURES / "broken"
SHAPE = "https://w3id.org/iakg/shapes#"
SUBCLASS_OF = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
COMPONENTS = (
    "MinCount", "MaxCount", "Datatype", "Class", "NodeKind", "Pattern", "MinLength",
    "MinInclusive", "MaxInclusive", "LessThanOrEquals", "Or", "SPARQL",
)  # fmt: skip
#: SHACL 1.0, 5.2.1 (pre-binding): SPARQL constraints must not use these; pySHACL refuses them.
NOT_PREBINDABLE = re.compile(r"^(?!\s*#).*?(?<![\w:-])(VALUES|MINUS|SERVICE)\b", re.M | re.I)

PREBINDING_TEST = "test_sparql_constraints_can_be_prebound"

Key = tuple[str, str | None, str | None, str | None, str]


def name_of(path: Path) -> str:
    return f"{path.parent.name}/{path.stem}"


# ---------------------------------------------------------------------------------------------
# Reading fixtures
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """One result an invalid fixture must produce."""

    focus: str
    check: str  # a shape IRI, a rule query file name, or "quote"
    severity: str
    component: str | None = None
    path: str | None = None
    value: str | None = None
    message: str | None = None

    def matches(self, problem: Problem) -> bool:
        return (
            (problem.focus, problem.check, problem.severity, problem.component, problem.path)
            == (self.focus, self.check, self.severity, self.component, self.path)
            and (self.value is None or problem.value == self.value)
            and (self.message is None or self.message in problem.message)
        )


def header(path: Path, key: str) -> list[dict[str, str]]:
    """The ``# key: a=1 b="two words"`` lines at the top of a fixture."""
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        name, colon, rest = line[1:].strip().partition(":")
        if colon and name == key:
            found.append(dict(item.split("=", 1) for item in shlex.split(rest)))
    return found


def expectations(path: Path) -> list[Expected]:
    result = []
    for fields in header(path, "expect"):
        check = fields.pop("shape", None) or fields.pop("check")
        result.append(Expected(check=check, **fields))
    return result


def declared_shapes(path: Path) -> set[str]:
    return {fields["shape"] for fields in header(path, "valid")}


@cache
def own_nodes(path: Path) -> frozenset[str]:
    """The nodes a fixture describes: the subjects of its triples."""
    triples = parse_turtle(path)
    return frozenset(t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode))


def keys(problems: list[Problem]) -> set[Key]:
    return {problem_key(p) for p in problems}


def show(items: list[Problem] | list[Expected]) -> str:
    return "\n".join(f"  {item}" for item in items) or "  (none)"


def differ(ours: set[Key], theirs: set[Key]) -> str:
    return f"only fast: {sorted(ours - theirs)}\nonly pySHACL: {sorted(theirs - ours)}"


def on_nodes(problems: list[Problem], nodes: frozenset[str]) -> list[Problem]:
    return [p for p in problems if p.focus in nodes]


# ---------------------------------------------------------------------------------------------
# pySHACL, the baseline
# ---------------------------------------------------------------------------------------------


@contextmanager
def prepared_queries() -> Iterator[None]:
    """Let rdflib parse each query text once, as its own ``prepareQuery`` does.

    pySHACL runs each SPARQL constraint once per focus node, as text, and rdflib parses the
    text each time: nine tenths of pySHACL's run time. Here the parsed, translated query is
    reused with each focus node's bindings; a parse depends on the text only, so the results
    are the same (checked when this was written: identical on every fixture, 8 times faster).
    """
    parsed: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Query] = {}

    def query(
        self: SPARQLProcessor,
        text: str | Query,
        initBindings: Mapping[str, Any] | None = None,
        initNs: Mapping[str, Any] | None = None,
        base: str | None = None,
        DEBUG: bool = False,
    ) -> Any:
        if isinstance(text, str):
            key = (text, base, tuple(sorted((initNs or {}).items())))
            if key not in parsed:
                parsed[key] = translateQuery(parseQuery(text), base, initNs)
            text = parsed[key]
        return evalQuery(self.graph, text, initBindings or {}, base)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SPARQLProcessor, "query", query)
        yield


def unprebindable(shapes: Graph) -> list[str]:
    """The SPARQL constraints that break SHACL's pre-binding rules: "shape: KEYWORD"."""
    found = set()
    for shape, constraint in shapes.subject_objects(SH.sparql):
        for match in NOT_PREBINDABLE.finditer(str(shapes.value(constraint, SH.select))):
            found.add(f"{str(shape).removeprefix(SHAPE)}: {match.group(1).upper()}")
    return sorted(found)


def pyshacl_problems(store: ox.Store, project: Project, focus: list[str] | None = None) -> list[Problem]:
    """pySHACL's results (on the ``focus`` nodes only, if given), through :func:`shacl_problems`."""
    refused = unprebindable(Graph().parse(project.shapes_file, format="turtle"))
    if refused:
        pytest.skip(f"pySHACL refuses the SPARQL constraints of {refused} (see {PREBINDING_TEST})")
    with pytest.MonkeyPatch.context() as patch, prepared_queries():
        if focus is not None:
            patch.setattr(pyshacl, "validate", partial(pyshacl.validate, focus_nodes=focus))
        return shacl_problems(store, project.shapes_file, engine="pyshacl")


# ---------------------------------------------------------------------------------------------
# One store of every fixture, validated once by each engine
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_store(project: Project) -> ox.Store:
    return scratch_store(project, [(f"fixture-{p.parent.name}-{p.name}", p.read_bytes()) for p in ALL])


@pytest.fixture(scope="module")
def fast(project: Project, fixture_store: ox.Store) -> list[Problem]:
    """Shapes (fast validator), rule queries and quote check."""
    return validate_store(fixture_store, project, engine="fast").problems


@pytest.fixture(scope="module")
def baseline(project: Project, fixture_store: ox.Store) -> list[Problem]:
    """pySHACL's results on the fixtures' nodes, as focus nodes (all nodes take longer).

    The nodes the fixtures point to are focus nodes too: pySHACL applies its focus-node filter
    also to the value nodes that sh:or checks against its member shapes, which then always
    conform. Results on those nodes are not compared.
    """
    pointed = {t.object.value for p in ALL for t in parse_turtle(p) if isinstance(t.object, ox.NamedNode)}
    focus = sorted(pointed.union(*(own_nodes(p) for p in ALL)))
    return pyshacl_problems(fixture_store, project, focus)


@pytest.fixture(scope="module")
def shapes(project: Project) -> Graph:
    return Graph().parse(project.shapes_file, format="turtle")


def test_fixtures_describe_disjoint_nodes() -> None:
    """Fixtures share one store, so none may describe or point to another's nodes."""
    owner: dict[str, Path] = {}
    for path in ALL:
        for node in own_nodes(path):
            assert node not in owner, f"{node} is described by {owner.get(node)} and {path}"
            owner[node] = path
    for path in ALL:
        for triple in parse_turtle(path):
            other = owner.get(getattr(triple.object, "value", ""))
            assert other in (None, path), f"{path.name} points to a node of {other}"


@pytest.mark.parametrize("path", VALID, ids=name_of)
def test_valid_fixture_has_no_problem(path: Path, fast: list[Problem]) -> None:
    assert not header(path, "expect"), "a valid fixture expects nothing"
    problems = on_nodes(fast, own_nodes(path))
    assert not problems, f"{path.name} should conform, but:\n{show(problems)}"


@pytest.mark.parametrize("path", INVALID, ids=name_of)
def test_invalid_fixture_gives_the_expected_results(path: Path, fast: list[Problem]) -> None:
    expected = expectations(path)
    assert expected, f"{path.name} states no '# expect:' line"
    problems = on_nodes(fast, own_nodes(path))
    missing = [e for e in expected if not any(e.matches(p) for p in problems)]
    unexpected = [p for p in problems if not any(e.matches(p) for e in expected)]
    assert not missing and not unexpected, (
        f"{path.name}\nexpected, not found:\n{show(missing)}\nfound, not expected:\n{show(unexpected)}"
    )


@pytest.mark.parametrize("path", ALL, ids=name_of)
def test_fast_validator_equals_pyshacl(path: Path, fast: list[Problem], baseline: list[Problem]) -> None:
    nodes = own_nodes(path)
    ours = keys([p for p in on_nodes(fast, nodes) if p.check.startswith(SHAPE)])
    theirs = keys(on_nodes(baseline, nodes))
    assert ours == theirs, differ(ours, theirs)


def test_sparql_constraints_can_be_prebound(shapes: Graph) -> None:
    """pySHACL (and SHACL 1.0, 5.2.1) refuse VALUES, MINUS and SERVICE in SPARQL constraints."""
    refused = unprebindable(shapes)
    assert not refused, "SPARQL constraints pySHACL refuses: " + ", ".join(refused)


# ---------------------------------------------------------------------------------------------
# The fixtures cover the shapes
# ---------------------------------------------------------------------------------------------


def node_shapes(shapes: Graph) -> set[str]:
    return {str(s) for s in shapes.subjects(RDF.type, SH.NodeShape)}


def test_every_shape_has_a_valid_fixture(shapes: Graph) -> None:
    declared = set().union(*(declared_shapes(p) for p in VALID))
    assert node_shapes(shapes) - declared == set()
    assert declared - node_shapes(shapes) == set()


@pytest.mark.parametrize("path", VALID, ids=name_of)
def test_valid_fixture_exercises_the_shapes_it_names(path: Path, shapes: Graph, fixture_store: ox.Store) -> None:
    nodes = " ".join(f"<{n}>" for n in sorted(own_nodes(path)))
    query = f"ASK {{ VALUES ?node {{ {nodes} }} ?node a/{SUBCLASS_OF}* ?class }}"
    for shape in sorted(declared_shapes(path)):
        target = shapes.value(URIRef(shape), SH.targetClass)
        assert target is not None, f"{shape} is not a shape with a target class"
        bindings: dict[ox.Variable, Any] = {ox.Variable("class"): ox.NamedNode(str(target))}
        answer = fixture_store.query(query, use_default_graph_as_union=True, substitutions=bindings)
        assert answer, f"{path.name} names {shape}, but none of its nodes is a {target}"


def test_invalid_fixtures_cover_every_shape_component_and_rule(shapes: Graph, project: Project) -> None:
    expected = [e for p in INVALID for e in expectations(p)]
    checks = {e.check for e in expected}
    assert len(INVALID) >= 40
    assert node_shapes(shapes) - checks == set()
    assert ({p.name for p in project.check_files()} | {"quote"}) - checks == set()
    components = {f"{c}ConstraintComponent" for c in COMPONENTS}
    assert components - {e.component for e in expected} == set()


def test_invalid_fixtures_cover_every_sparql_constraint(shapes: Graph, fast: list[Problem]) -> None:
    """Each SPARQL constraint, told apart by its message template, fails in some fixture."""
    found = [
        p
        for path in INVALID
        for p in on_nodes(fast, own_nodes(path))
        if p.component == "SPARQLConstraintComponent" and any(e.matches(p) for e in expectations(path))
    ]
    for shape, constraint in shapes.subject_objects(SH.sparql):
        template = str(shapes.value(constraint, SH.message))
        pattern = re.compile(re.sub(r"\\\{\\\?\w+\\\}", ".*", re.escape(template)))
        assert any(p.check == str(shape) and pattern.fullmatch(p.message) for p in found), (
            f"no invalid fixture fails the SPARQL constraint of {shape}: {template}"
        )


# ---------------------------------------------------------------------------------------------
# Real data
# ---------------------------------------------------------------------------------------------


def test_real_data_has_no_violation() -> None:
    result = CliRunner().invoke(main, ["validate", "--project", str(ROOT), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"conforms": true' in result.output


@pytest.mark.slow
def test_fast_validator_equals_pyshacl_on_real_data(project: Project, store: ox.Store) -> None:
    """pySHACL on the whole graph (about 20 s with parsed queries reused, minutes without)."""
    ours = keys(shacl_problems(store, project.shapes_file, engine="fast"))
    theirs = keys(pyshacl_problems(store, project))
    assert ours == theirs, differ(ours, theirs)


# ---------------------------------------------------------------------------------------------
# Reports read as sentences
# ---------------------------------------------------------------------------------------------

#: fixture: (the node as the report names it, the property in words, the value found, a part of
#: the sentence saying what is expected)
SENTENCES = {
    "initiative-founding-year-as-text": (
        "Initiative 'Fixture initiative (initiative-founding-year-as-text)'",
        "founding year",
        "around 1951",
        "founding_year must be one year of four digits, such as 1996.",
    ),
    "data-collection-participants-as-text": (
        "Data collection 'Fixture data collection (data-collection-participants-as-text)'",
        "participant count",
        "twelve",
        "participants must be one whole number (0 or more).",
    ),
    "funding-currency-lowercase": (
        "Funding source 'Fixture funding source (funding-currency-lowercase)'",
        "currency",
        "euro",
        "currency must be a three-letter ISO 4217 code, such as EUR.",
    ),
    "organisation-sector-is-target-group": (
        "Organisation 'Fixture organisation (organisation-sector-is-target-group)'",
        "sector",
        "immigrant-families",
        "A sector must come from the list of sectors (`iakg case vocab sectors`).",
    ),
    "quote-not-in-source": (
        "The evidence at lines 8264-8264 for the uses method of St Stephen's",
        None,
        "Informal observations were made",
        "it is nowhere in the source: copy the quote word for word from the source.",
    ),
}


def test_report_lines_are_sentences_a_researcher_reads() -> None:
    paths = [str(FIXTURES / "shapes" / "invalid" / f"{name}.ttl") for name in SENTENCES]
    result = CliRunner().invoke(main, ["validate", "--project", str(ROOT), *paths])
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    for node, prop, value, expected in SENTENCES.values():
        line = next((x for x in lines if node in x), None)
        assert line is not None, f"no report line names {node!r}:\n{result.output}"
        assert line.lstrip().startswith("violation ")
        if prop:
            assert f'{node}, {prop}: found "{value}". ' in line, line
        assert value in line and expected in line, line


# ---------------------------------------------------------------------------------------------
# Broken inputs: exit 2 (bad input) or 1 (fails a check), with a message naming what and where
# ---------------------------------------------------------------------------------------------


def run_validate(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["validate", "--project", str(ROOT), *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_turtle_syntax_error_names_file_line_and_column() -> None:
    path = BROKEN / "syntax-error.ttl"
    code, output = run_validate(str(path))
    assert code == 2
    assert f"{path}, line 9, column 5: Turtle syntax error" in output


def test_yaml_indentation_error_names_file_line_and_column() -> None:
    path = BROKEN / "bad-indentation.yaml"
    code, output = run_validate(str(path))
    assert code == 2
    assert f"{path}, line 7, column 11: YAML syntax error" in output


def test_latin_1_file_is_refused_as_not_utf_8() -> None:
    path = BROKEN / "latin-1.ttl"
    code, output = run_validate(str(path))
    assert code == 2
    assert f"{path}, line 7, column 21: the file is not valid UTF-8 (byte 0xe7)." in output
    assert "Save the file with UTF-8 encoding" in output


def test_empty_file_is_refused() -> None:
    path = BROKEN / "empty.ttl"
    assert path.stat().st_size == 0
    code, output = run_validate(str(path))
    assert code == 2 and f"{path}: the file is empty." in output


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.ttl"
    with path.open("wb") as handle:  # sparse: the size is checked before anything is read
        handle.truncate(MAX_FILE_BYTES + 1)
    code, output = run_validate(str(path))
    assert code == 2
    assert f"{path}: the file is 50.0 MB, over the limit of 50 MB." in output


def test_entry_naming_an_unknown_organisation_fails_the_checks() -> None:
    """The importer is lenient about ids: the unknown one becomes an IRI, and the checks name it."""
    code, output = run_validate(str(BROKEN / "unknown-organisation.yaml"))
    assert code == 1
    node = "Case study 'Fixture case entry CSX900'"
    sentence = f'{node}, written by: found "university-of-atlantis". written_by must name an organisation id'
    assert sentence in output
    # The rule query on dangling references finds it too: one mistake, reported once.
    assert "which nothing in the graph describes" not in output
    assert "1 violation, 0 warnings" in output


def test_entry_with_an_unknown_field_names_the_field() -> None:
    path = BROKEN / "unknown-field.yaml"
    code, output = run_validate(str(path))
    assert code == 2
    assert f"{path} (case CSX900) cannot be read as a case entry" in output
    assert "initiative.founded: unknown field; the fields here are" in output


def test_the_broken_entries_differ_from_a_valid_one() -> None:
    """Each broken entry is this valid one with one thing changed."""
    code, output = run_validate(str(BROKEN / "valid-entry.yaml"))
    assert code == 0, output


def test_a_locator_that_is_not_a_number_is_reported_not_a_crash() -> None:
    """Regression. Symptom: `iakg validate` on a claim whose fromLine is "first" ended in a
    traceback (the quote check called int() on it); now the shapes report it."""
    code, output = run_validate(str(BROKEN / "claim-line-as-word.ttl"))
    assert code == 1
    assert 'from line: found "first"' in output


def digest(folder: Path) -> dict[str, str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


@pytest.mark.parametrize(
    ("name", "code", "names"),
    [
        ("unknown-organisation.yaml", 1, "university-of-atlantis"),
        ("unknown-field.yaml", 2, "initiative.founded"),
    ],
)
def test_case_import_of_an_invalid_entry_writes_nothing(
    name: str, code: int, names: str, project_copy: Project
) -> None:
    before = digest(project_copy.data_dir)
    args = ["case", "import", str(BROKEN / name), "--project", str(project_copy.root)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == code, result.output
    assert names in result.output and "Traceback" not in result.output
    assert digest(project_copy.data_dir) == before


# ---------------------------------------------------------------------------------------------
# Progress: every step that takes seconds at portal scale is shown on a terminal, none elsewhere
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def steps(monkeypatch: pytest.MonkeyPatch, built: Built) -> list[str]:
    """The progress steps the commands report, as a terminal would show them (on a cached build)."""
    shown: list[str] = []

    @contextmanager
    def recorder(enabled: bool | None = None) -> Iterator[Any]:
        yield shown.append

    monkeypatch.setattr("iakg.progress.progress", recorder)
    monkeypatch.setattr("iakg.pipeline._OPEN", {})  # a new process: the graph is not in memory yet
    return shown


def test_build_shows_loading_the_graph_and_validating(steps: list[str]) -> None:
    result = CliRunner().invoke(main, ["build", "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    assert [s.split(" (")[0].split(":")[0] for s in steps[-2:]] == ["Loading the built graph", "Validating"]
    assert steps[-1] == "Validating: shapes, rule queries, quotes against the sources"
    # The report comes after the progress display has ended, never under it.
    assert result.output.startswith("Built ")


def test_validating_a_file_shows_each_step(steps: list[str]) -> None:
    code, _ = run_validate(str(ROOT / "data" / "cs2.ttl"))
    assert code == 0
    assert [s.split()[0] for s in steps] == ["Loading", "Reasoning", "Validating:"]


def test_progress_is_silent_when_stderr_is_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    from iakg.progress import progress

    with progress() as step:
        step("Loading 12 files")
    assert capsys.readouterr().err == ""


def test_progress_shows_messages_as_written(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step naming a URL or a file with brackets is shown as it is, not read as rich markup."""
    from iakg.progress import progress

    monkeypatch.setenv("FORCE_COLOR", "1")  # rich draws as on a terminal
    with progress(enabled=True) as step:
        step("Uploading to http://[::1]:7878/store [/]")
    assert "[/]" in capsys.readouterr().err
