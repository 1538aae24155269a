"""`check --format json` writes the report a record at a time (render.json.report_json_chunks),
so a hub-sized report is never one string in memory: the text must be exactly what pydantic
prints for the whole report, with the documented exclusions, in every shape a report takes."""

from __future__ import annotations

import pytest
from support import EXAMPLES

from reasoner import api
from reasoner.render.json import report_json
from reasoner.report import LOCATIONS, Report, condensed

KB = api.knowledge_base()


def whole_json(report: Report, locations: bool = True) -> str:
    """The reference: one model_dump_json call with the exclusions report_json documents."""
    fields: dict = {}
    if not any(c.explanation is not None for c in report.conflicts):
        fields["explanation"] = True
    if not any(c.suggestion is not None for c in report.conflicts):
        fields["suggestion"] = True
    if not locations:
        fields.update(LOCATIONS["conflicts"]["__all__"])
    exclude: dict = {"conflicts": {"__all__": fields}} if fields else {}
    if report.sensitivity is None:
        exclude["sensitivity"] = True
    return report.model_dump_json(indent=2, exclude=exclude or None)


def lineage(name: str):
    from reasoner.parser import parse_files

    return api.load_lineage(parse_files([EXAMPLES / name]), KB)


@pytest.mark.parametrize("name", ["01-llama3-cc-by-sa.prov", "05-gemma-internal.prov", "07-llama3-800m-mau.prov"])
def test_every_shape_of_report_streams_to_the_same_text(name):
    lin = lineage(name)
    plain = api.reason(lin, KB)
    shapes = {
        "plain": plain,
        "explained": api.reason_explained(lin, KB),
        "sensitivity": api.reason_sensitivity(lin, KB, plain),
        "condensed": condensed(plain),
        "no obligations": api.reason(lin, KB, obligations=False),
        "empty": Report(provlaw="0", artifacts=[], obligations=[], conflicts=[], warnings=[], warning_details=[]),
    }
    for shape, report in shapes.items():
        for locations in (True, False):
            assert report_json(report, locations=locations) == whole_json(report, locations), (shape, locations)


def test_a_report_with_conflicts_streams_them_one_by_one():
    report = api.reason(lineage("01-llama3-cc-by-sa.prov"), KB)
    from reasoner.render.json import report_json_chunks

    chunks = list(report_json_chunks(report))
    assert report.conflicts and sum(1 for c in chunks if '"id": "C' in c) == len(report.conflicts)
    assert max(len(c) for c in chunks) < len(report_json(report)) / 2
