"""Pictures (issue 14 part 3): ``provlaw graph`` and ``why --format dot|mmd``.

DOT is parsed back with pydot (a DOT parser) and compared with the lineage: one node per
artifact, shaped by kind, labelled with its id and licences; one edge per derivation, labelled
with the relation; red exactly where a conflict is.  Mermaid is checked structurally (every line
one statement of a flowchart, every node defined once, every edge between defined nodes, labels
decoding back to the ids).  Where Graphviz is installed, its own parser and layout are checked
too (SVG and PNG)."""

from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pydot
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from support import ROOT, example
from reasoner.api import explain_lineage, knowledge_base, load_lineage, reason
from reasoner.errors import printable, UsageError
from reasoner.graph import bound_licences, conflict_paths, licence_edges, lineage_graph, neighbourhood
from reasoner.parser import parse_files, parse_text
from reasoner.printer import print_document
from reasoner.records import RELATION_PHRASE
from reasoner.render.dot import ARTIFACT_KINDS, STYLE, graph_dot
from reasoner.render.mmd import SHAPE, graph_mermaid
from reasoner.testing import artifact_ids, lineages
from reasoner.cli import app

runner = CliRunner()
KB = knowledge_base()
# pydot 4 uses pyparsing's old method names, which pyparsing 3.3 deprecates
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:pydot.*")
GRAPHVIZ = shutil.which("dot") is not None


def run(*args: str):
    return runner.invoke(app, list(args))


def solved(*paths: Path):
    lineage = load_lineage(parse_files(list(paths)), KB)
    return lineage, reason(lineage, KB)


# --------------------------------------------------------------------------- reading DOT back
def unescape(value: str) -> list[str]:
    """A DOT label as Graphviz shows it: the quotes off, ``\\"`` and ``\\\\`` undone, split at
    ``\\n`` / ``\\l`` line breaks, ``&amp;`` read as ``&``."""
    assert value.startswith('"') and value.endswith('"'), value
    body, lines, line, i = value[1:-1].replace("&amp;", "&"), [], "", 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in "nl":
                lines.append(line)
                line = ""
            else:
                line += nxt
            i += 2
            continue
        line += ch
        i += 1
    if line.strip() or not lines:
        lines.append(line.rstrip(" ") if line.endswith("\\ ") else line)
    return lines


def read_dot(text: str):
    """(artifact nodes: first label line -> (kind, label lines, red), derivations: (child, parent,
    relation label, red), notes: artifact -> lines)."""
    (graph,) = pydot.graph_from_dot_data(text)
    nodes, by_name = {}, {}
    for node in [*graph.get_nodes(), *(n for sub in graph.get_subgraphs() for n in sub.get_nodes())]:
        attrs = node.get_attributes()
        if node.get_name() in ("graph", "node", "edge") or "class" not in attrs:
            continue  # default attribute statements
        classes = attrs["class"].strip('"').split()
        lines = unescape(attrs["label"])
        by_name[node.get_name()] = (classes, lines)
        if "artifact" in classes:
            kind = next(c for c in classes if c in STYLE)
            nodes[lines[0]] = (kind, lines, "in-conflict" in classes, attrs["shape"].strip('"'))
    edges, notes = set(), {}
    for edge in graph.get_edges():
        attrs = edge.get_attributes()
        src, dst = by_name[edge.get_source()], by_name[edge.get_destination()]
        classes = attrs["class"].strip('"').split()
        if "note" in classes:
            notes[dst[1][0]] = src[1]
            continue
        edges.add((src[1][0], dst[1][0], unescape(attrs["label"])[0], "in-conflict" in classes))
    return nodes, edges, notes


# --------------------------------------------------------------------------- the lineage picture
def test_dot_of_a_lineage_parses_back_to_the_lineage():
    lineage, report = solved(example("02-gemma-cpt-llama-lora.prov"))
    nodes, edges, notes = read_dot(graph_dot(lineage_graph(lineage, report)))
    assert set(nodes) == set(lineage.artifacts)
    for art in lineage.artifacts.values():
        kind, lines, red, shape = nodes[art.id]
        assert kind == art.kind and shape == STYLE[art.kind]["shape"]
        assert lines[1] == f"licence: {' AND '.join(lineage.license_options[art.id][0])}"
    # the LoRA inherits the Gemma terms through its distillation: its label says so
    assert nodes["acme/Llama-3-legal-lora"][1][2] == "bound by: gemma-terms-of-use"
    expected = {(child, parent, RELATION_PHRASE[rel]) for child, ps in lineage.parents.items() for parent, rel in ps}
    assert {e[:3] for e in edges} == expected
    # red: the artifact in conflict, and the edges the Gemma licence came along -- not the Llama edge
    assert {a for a, v in nodes.items() if v[2]} == {"acme/Llama-3-legal-lora"}
    assert {e[:2] for e in edges if e[3]} == {("acme/Llama-3-legal-lora", "acme/gemma-7b-legal-cpt"),
                                              ("acme/gemma-7b-legal-cpt", "google/gemma-7b")}
    (conflict,) = report.conflicts
    assert notes == {"acme/Llama-3-legal-lora": [
        f"{conflict.id} relicensing: " + "; ".join(f"{k.license} §{k.section}" for k in conflict.clauses)]}
    assert notes["acme/Llama-3-legal-lora"] == ["C1 relicensing: gemma-terms-of-use §3.1"]


def test_conflict_paths_follow_outputs_and_stop_where_the_licence_does_not_bind():
    lineage, report = solved(example("03-gpt4-synthetic-mistral.prov"))
    (conflict,) = [c for c in report.conflicts if c.kind == "output_training"]
    # the OpenAI terms bind the synthetic data (generated by GPT-4); the model only used it
    assert conflict_paths(lineage, report) >= {("acme/mistral-7b-support", "acme/support-synthetic", "trained_on"),
                                               ("acme/support-synthetic", "openai/gpt-4", "generated_by")}
    assert not any(parent == "mistralai/Mistral-7B-v0.1" for _, parent, _ in conflict_paths(lineage, report))


def test_an_artifact_without_licence_says_so_and_a_clean_lineage_has_no_red():
    lineage, report = solved(example("08-apache-quantized-mit.prov"))
    assert report.conflicts == []
    nodes, edges, notes = read_dot(graph_dot(lineage_graph(lineage, report)))
    assert not any(red for _, _, red, _ in nodes.values()) and not any(e[3] for e in edges) and notes == {}
    text = "model \"a/b\"\nmodel \"c/d\"\n  finetuned from \"a/b\"\n"
    lineage = load_lineage(parse_text(text, "x.prov"), KB)
    nodes, _, _ = read_dot(graph_dot(lineage_graph(lineage, reason(lineage, KB))))
    assert nodes["a/b"][1][1:] == ["no licence declared (treated as unknown)"]
    assert nodes["c/d"][1][1:] == ["no licence declared", "bound by: unknown"]


@settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(doc=lineages(KB, max_artifacts=6, ids=artifact_ids(hostile=True, empty=False)))
def test_dot_and_mermaid_of_any_lineage_name_every_artifact_and_derivation(doc):
    """Hostile ids (quotes, backslashes, newlines, control characters, emoji...) survive both
    formats: each artifact's label begins with its id as the text report shows it."""
    text = print_document(doc)
    lineage = load_lineage(parse_text(text, "g.prov"), KB)
    graph = lineage_graph(lineage, reason(lineage, KB))
    nodes, edges, _ = read_dot(graph_dot(graph))
    assert set(nodes) == {printable(a) for a in lineage.artifacts}
    assert {e[:3] for e in edges} == {(printable(c), printable(p), RELATION_PHRASE[r])
                                      for c, ps in lineage.parents.items() for p, r in ps}
    mermaid = read_mermaid(graph_mermaid(graph))
    assert {lines[0] for node, (_, lines) in mermaid.nodes.items()
            if mermaid.classes[node] in ARTIFACT_KINDS} == {printable(a) for a in lineage.artifacts}
    if GRAPHVIZ:
        assert_graphviz_draws(graph_dot(graph), {printable(a) for a in lineage.artifacts})


# --------------------------------------------------------------------------- Mermaid, structurally
_NODE = re.compile(r'(?P<id>n\d+)(?P<open>\(|\[\[|\[\(|\{\{|\[/|>|\[)"(?P<label>[^"]*)"(?P<close>\)|\]\]|\)\]|\}\}|/\]|\])$')
_EDGE = re.compile(r'(?P<src>n\d+) (?P<arrow>-->|-\.->|-\.-)(?:\|"(?P<label>[^"]*)"\|)? (?P<dst>n\d+)$')
_ENTITY = re.compile(r"#(\d+);")


class Mermaid:
    def __init__(self) -> None:
        #: node id -> (its shape's brackets, its label lines)
        self.nodes: dict[str, tuple[tuple[str, str], list[str]]] = {}
        self.edges: list[tuple[str, str, str, str]] = []
        self.classes: dict[str, str] = {}
        self.red_links: set[int] = set()
        self.red_nodes: set[str] = set()
        self.groups: list[str] = []


def decode(label: str) -> list[str]:
    return [_ENTITY.sub(lambda m: chr(int(m.group(1))), part) for part in label.split("<br/>")]


def read_mermaid(text: str) -> Mermaid:
    """Every line of the flowchart is one statement this reader knows; anything else fails."""
    lines = text.splitlines()
    assert lines[0] == "---" and lines[1].startswith("title: ") and lines[2] == "---"
    assert re.fullmatch(r"flowchart (BT|TB)", lines[3])
    out, depth = Mermaid(), 0
    for line in lines[4:]:
        stripped = line.strip()
        if m := re.fullmatch(r'subgraph (g\d+)\["([^"]*)"\]', stripped):
            out.groups.append(decode(m.group(2))[0])
            depth += 1
        elif stripped == "end":
            depth -= 1
            assert depth >= 0
        elif m := _NODE.fullmatch(stripped):
            assert m["id"] not in out.nodes, f"{m['id']} defined twice"
            out.nodes[m["id"]] = ((m["open"], m["close"]), decode(m["label"]))
        elif m := _EDGE.fullmatch(stripped):
            out.edges.append((m["src"], m["dst"], m["arrow"], decode(m["label"])[0] if m["label"] else ""))
        elif m := re.fullmatch(r"classDef (\w+) ([\w:#,.-]+)", stripped):
            pass
        elif m := re.fullmatch(r"class ((?:n\d+,)*n\d+) (\w+)", stripped):
            for node in m.group(1).split(","):
                out.classes[node] = m.group(2)
        elif m := re.fullmatch(r"style (n\d+) stroke:#dc2626,[\w:#,.-]+", stripped):
            out.red_nodes.add(m.group(1))
        elif m := re.fullmatch(r"linkStyle ((?:\d+,)*\d+) stroke:#dc2626,[\w:#,.-]+", stripped):
            out.red_links |= {int(n) for n in m.group(1).split(",")}
        else:
            pytest.fail(f"not a statement of the flowchart: {line!r}")
    assert depth == 0
    for src, dst, _, _ in out.edges:
        assert src in out.nodes and dst in out.nodes
    assert all(n < len(out.edges) for n in out.red_links)
    assert set(out.classes) == set(out.nodes)  # every node has its kind's class
    for node, (shape, _) in out.nodes.items():  # each node drawn in its kind's shape
        assert SHAPE[out.classes[node]] == shape
    return out


def test_mermaid_of_a_lineage_is_a_flowchart_of_the_lineage():
    lineage, report = solved(example("02-gemma-cpt-llama-lora.prov"))
    mm = read_mermaid(graph_mermaid(lineage_graph(lineage, report)))
    label = {node: lines[0] for node, (_, lines) in mm.nodes.items()}
    kinds = {lines[0]: mm.classes[node] for node, (_, lines) in mm.nodes.items()}
    for art in lineage.artifacts.values():
        assert kinds[art.id] == art.kind
    derivations = {(label[s], label[d], lab) for s, d, arrow, lab in mm.edges if arrow == "-->"}
    assert derivations == {(c, p, RELATION_PHRASE[r]) for c, ps in lineage.parents.items() for p, r in ps}
    red = {(label[mm.edges[n][0]], label[mm.edges[n][1]]) for n in mm.red_links}
    assert red == {("acme/Llama-3-legal-lora", "acme/gemma-7b-legal-cpt"),
                   ("acme/gemma-7b-legal-cpt", "google/gemma-7b"),
                   ("C1 relicensing: gemma-terms-of-use §3.1", "acme/Llama-3-legal-lora")}
    assert {label[n] for n in mm.red_nodes} == {"acme/Llama-3-legal-lora"}


def test_mermaid_escapes_what_mermaid_reads():
    text = 'model "a\\"b#c<d>&e`f|g[h]" license MIT\nmodel "x"\n  finetuned from "a\\"b#c<d>&e`f|g[h]"\n'
    lineage = load_lineage(parse_text(text, "m.prov"), KB)
    out = graph_mermaid(lineage_graph(lineage, reason(lineage, KB)))
    assert '#34;b#35;c#60;d#62;#38;e#96;f|g[h]' in out
    mm = read_mermaid(out)
    assert {lines[0] for _, lines in mm.nodes.values()} >= {'a"b#c<d>&e`f|g[h]', "x"}


# --------------------------------------------------------------------------- --around
CHAIN = "".join(f'model "m{i}"\n' + (f'  finetuned from "m{i - 1}"\n' if i else "  released under MIT\n")
                for i in range(8))


def test_around_keeps_the_neighbourhood_and_says_what_is_cut(tmp_path):
    path = tmp_path / "chain.prov"
    path.write_text(CHAIN)
    lineage, report = solved(path)
    assert neighbourhood(lineage, "m4", 2) == {"m2", "m3", "m4", "m5", "m6"}
    assert neighbourhood(lineage, "m0", 0) == {"m0"}
    nodes, edges, _ = read_dot(graph_dot(lineage_graph(lineage, report, around="m4", depth=2)))
    assert set(nodes) == {"m2", "m3", "m4", "m5", "m6"}
    assert {e[:2] for e in edges} == {("m3", "m2"), ("m4", "m3"), ("m5", "m4"), ("m6", "m5")}
    assert nodes["m2"][1][-1] == "(1 more link(s) not drawn)" and nodes["m6"][1][-1] == "(1 more link(s) not drawn)"
    assert not nodes["m4"][1][-1].startswith("(")
    with pytest.raises(UsageError, match=r"--around 'm44': no such artifact in the lineage \(did you mean `m4`\?\)"):
        lineage_graph(lineage, report, around="m44")
    result = run("graph", str(path), "--around", "m44")
    assert result.exit_code == 2 and "did you mean `m4`?" in result.stderr


# --------------------------------------------------------------------------- the command
def test_graph_writes_dot_and_mermaid_by_suffix(tmp_path):
    lora = str(example("02-gemma-cpt-llama-lora.prov"))
    result = run("graph", lora, "-o", str(tmp_path / "l.dot"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"wrote {tmp_path / 'l.dot'}: 4 artifact(s), 3 derivation(s), 1 conflict(s)\n"
    nodes, _, _ = read_dot((tmp_path / "l.dot").read_text())
    assert set(nodes) == {"google/gemma-7b", "acme/gemma-7b-legal-cpt", "meta-llama/Meta-Llama-3-8B",
                          "acme/Llama-3-legal-lora"}
    assert run("graph", lora, "-o", str(tmp_path / "l.mmd"), "-q").stdout == ""
    read_mermaid((tmp_path / "l.mmd").read_text())
    # no -o: DOT on stdout, or --format mmd
    assert run("graph", lora).stdout == (tmp_path / "l.dot").read_text()
    assert run("graph", lora, "-f", "mmd").stdout == (tmp_path / "l.mmd").read_text()


def test_graph_refuses_unknown_suffixes_and_contradictions(tmp_path):
    lora = str(example("02-gemma-cpt-llama-lora.prov"))
    result = run("graph", lora, "-o", str(tmp_path / "l.pdf"))
    assert result.exit_code == 2 and "the suffix picks the format: .dot, .gv, .mmd, .svg, .png" in result.stderr
    result = run("graph", lora, "-o", str(tmp_path / "l.mmd"), "--format", "dot")
    assert result.exit_code == 2 and "writes mmd, but --format says dot" in result.stderr
    result = run("graph", lora, "-o", str(tmp_path))
    assert result.exit_code == 2 and "is a directory" in result.stderr
    assert not list(tmp_path.iterdir())


def test_svg_and_png_without_graphviz_name_the_package(tmp_path, monkeypatch):
    monkeypatch.setattr("reasoner.render.dot.shutil.which", lambda name: None)
    result = run("graph", str(example("02-gemma-cpt-llama-lora.prov")), "-o", str(tmp_path / "l.png"))
    assert result.exit_code == 2
    assert "needs Graphviz's `dot` program, which is not installed: install the graphviz package" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "l.png").exists()


def assert_graphviz_draws(dot_text: str, artifact_ids: set[str]) -> None:
    """Graphviz's own parser and layout: the SVG has one node group per artifact (its ``class``
    copied), whose text lines begin with the id."""
    from reasoner.render.dot import run_graphviz

    svg = ET.fromstring(run_graphviz(dot_text, "svg"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    drawn = set()
    for group in svg.iter("{http://www.w3.org/2000/svg}g"):
        if "artifact" in group.get("class", "").split():
            texts = [t.text or "" for t in group.findall("s:text", ns)]
            drawn.add(texts[0])
    # Graphviz writes a run of spaces as a space and no-break spaces, so that SVG keeps them all
    assert {t.replace("\xa0", " ") for t in drawn} == {t.replace("\xa0", " ") for t in artifact_ids}


@pytest.mark.skipif(not GRAPHVIZ, reason="Graphviz's dot program is not installed")
def test_png_and_svg_through_graphviz(tmp_path):
    lora = str(example("02-gemma-cpt-llama-lora.prov"))
    assert run("graph", lora, "-o", str(tmp_path / "l.png")).exit_code == 0
    assert (tmp_path / "l.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert run("graph", lora, "-o", str(tmp_path / "l.svg")).exit_code == 0
    svg = ET.parse(tmp_path / "l.svg").getroot()
    red = sorted(g.get("class") for g in svg.iter("{http://www.w3.org/2000/svg}g")
                 if "in-conflict" in g.get("class", "").split())
    # the LoRA, the note of its conflicts and its link, the two edges the Gemma licence came along
    assert red == ["edge derivation in-conflict", "edge derivation in-conflict", "edge note in-conflict",
                   "node artifact adapter in-conflict", "node conflict in-conflict"]


# --------------------------------------------------------------------------- why --format dot|mmd
def test_why_dot_draws_each_explanation_tree():
    path = example("03-gpt4-synthetic-mistral.prov")
    lineage = load_lineage(parse_files([path]), KB)
    results = explain_lineage(lineage, KB, conflict="C1", limit=5)
    ((target, exps),) = results
    result = run("why", str(path), "-c", "C1", "--all", "--format", "dot")
    assert result.exit_code == 0, result.stderr
    (graph,) = pydot.graph_from_dot_data(result.stdout)
    clusters = graph.get_subgraphs()
    assert len(clusters) == len(exps) == 2
    for cluster, exp in zip(clusters, exps):
        labels = {n.get_name(): (unescape(n.get_attributes()["label"]), n.get_attributes()["class"].strip('"'))
                  for n in cluster.get_nodes() if "label" in n.get_attributes()}
        roots = [lines for lines, cls in labels.values() if cls.startswith("goal")]
        assert roots == [[f"C1 {target.kind} on {target.artifact}"]]
        assert any(cls == "goal in-conflict" for _, cls in labels.values())
        steps = [" ".join(lines) for lines, cls in labels.values() if cls == "step"]

        def tree_labels(node):
            yield node.label
            for child in node.children:
                yield from tree_labels(child)

        assert sorted(steps) == sorted(list(tree_labels(exp.tree))[1:])
        clauses = [lines for lines, cls in labels.values() if cls.startswith("clause")]
        assert [(c[-1]) for c in clauses] == [c.source for c in exp.clauses]
    mm = read_mermaid(run("why", str(path), "-c", "C1", "--all", "--format", "mmd").stdout)
    assert len(mm.groups) == 2 and mm.groups[0].startswith("C1 output_training on acme/mistral-7b-support: "
                                                           "explanation 1 of 2 (minimal: ")


def test_the_pictures_the_docs_show_are_there():
    for page in (Path("README.md"), Path("docs/outputs.md")):
        text = (ROOT / page).read_text()
        images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
        assert images, page
        for image in images:
            data = (ROOT / page.parent / image).read_bytes()
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) < 200_000, image


def test_the_nearest_licence_edge_is_the_first_of_the_path():
    for name in ("02-gemma-cpt-llama-lora.prov", "03-gpt4-synthetic-mistral.prov", "04a-apache-llama-merge.prov"):
        lineage, report = solved(example(name))
        bound = bound_licences(report)
        for c in report.conflicts:
            path = licence_edges(lineage, bound, c.artifact, c.licenses)
            assert licence_edges(lineage, bound, c.artifact, c.licenses, nearest=True) == path[:1]
