"""Issue 12: every licence id the Hugging Face Hub lets a card declare resolves to a KB licence.

The ids are the Hub's licence list (its `license:` field; `other` is not a licence but a pointer to
`license_name` / `license_link`, which the importer resolves through the same KB lookup).  Bare
family ids resolve to a record that says the version is not stated, never silently to one version.
"""

from __future__ import annotations

import pytest

from reasoner.api import knowledge_base

#: Hub licence id -> the KB licence it must resolve to.
HUB_LICENCES = {
    "apache-2.0": "Apache-2.0", "mit": "MIT", "openrail": "openrail-family",
    "bigscience-openrail-m": "bigscience-open-rail-m", "creativeml-openrail-m": "creativeml-openrail-m",
    "bigscience-bloom-rail-1.0": "bigscience-bloom-rail-1.0", "bigcode-openrail-m": "bigcode-open-rail-m-v1",
    "afl-3.0": "AFL-3.0", "artistic-2.0": "Artistic-2.0", "bsl-1.0": "BSL-1.0", "bsd": "bsd-unversioned",
    "bsd-2-clause": "BSD-2-Clause", "bsd-3-clause": "BSD-3-Clause", "bsd-3-clause-clear": "BSD-3-Clause-Clear",
    "c-uda": "C-UDA-1.0", "cc": "cc-unstated", "cc0-1.0": "CC0-1.0", "cc-by-2.0": "CC-BY-2.0",
    "cc-by-2.5": "CC-BY-2.5", "cc-by-3.0": "CC-BY-3.0", "cc-by-4.0": "CC-BY-4.0", "cc-by-sa-3.0": "CC-BY-SA-3.0",
    "cc-by-sa-4.0": "CC-BY-SA-4.0", "cc-by-nc-2.0": "CC-BY-NC-2.0", "cc-by-nc-3.0": "CC-BY-NC-3.0",
    "cc-by-nc-4.0": "CC-BY-NC-4.0", "cc-by-nd-4.0": "CC-BY-ND-4.0", "cc-by-nc-nd-3.0": "CC-BY-NC-ND-3.0",
    "cc-by-nc-nd-4.0": "CC-BY-NC-ND-4.0", "cc-by-nc-sa-2.0": "CC-BY-NC-SA-2.0", "cc-by-nc-sa-3.0": "CC-BY-NC-SA-3.0",
    "cc-by-nc-sa-4.0": "CC-BY-NC-SA-4.0", "cdla-sharing-1.0": "CDLA-Sharing-1.0",
    "cdla-permissive-1.0": "CDLA-Permissive-1.0", "cdla-permissive-2.0": "CDLA-Permissive-2.0", "wtfpl": "WTFPL",
    "ecl-2.0": "ECL-2.0", "epl-1.0": "EPL-1.0", "epl-2.0": "EPL-2.0", "etalab-2.0": "etalab-2.0",
    "eupl-1.1": "EUPL-1.1", "eupl-1.2": "EUPL-1.2", "agpl-3.0": "AGPL-3.0-only", "gfdl": "gfdl-any-version",
    "gpl": "gpl-any-version", "gpl-2.0": "GPL-2.0-only", "gpl-3.0": "GPL-3.0-only", "lgpl": "lgpl-any-version",
    "lgpl-2.1": "LGPL-2.1-only", "lgpl-3.0": "LGPL-3.0-only", "isc": "ISC", "h-research": "h-research-license",
    "intel-research": "intel-research-use", "lppl-1.3c": "LPPL-1.3c", "ms-pl": "MS-PL",
    "apple-ascl": "apple-sample-code-license", "apple-amlr": "apple-ml-research-model-license", "mpl-2.0": "MPL-2.0",
    "odc-by": "ODC-By-1.0", "odbl": "ODbL-1.0", "openmdw-1.0": "OpenMDW-1.0", "openrail++": "creativeml-openrail++-m",
    "osl-3.0": "OSL-3.0", "postgresql": "PostgreSQL", "ofl-1.1": "OFL-1.1", "ncsa": "NCSA", "unlicense": "Unlicense",
    "zlib": "Zlib", "pddl": "PDDL-1.0", "lgpl-lr": "LGPLLR", "deepfloyd-if-license": "deepfloyd-if-license-agreement",
    "fair-noncommercial-research-license": "fair-noncommercial-research-v1", "llama2": "llama-2-community",
    "llama3": "llama-3-community", "llama3.1": "llama-3.1-community", "llama3.2": "llama-3.2-community",
    "llama3.3": "llama-3.3-community", "llama4": "llama-4-community", "gemma": "gemma-terms-of-use",
    "unknown": "unknown",
}

#: Public-domain dedications and waivers: records with no conditions at all.
NO_CONDITIONS = {"CC0-1.0", "Unlicense", "WTFPL", "PDDL-1.0", "unknown"}


@pytest.mark.parametrize("hub_id, license_id", sorted(HUB_LICENCES.items()))
def test_every_hub_licence_id_resolves_to_a_cited_licence(hub_id, license_id):
    kb = knowledge_base()
    assert kb.resolve(hub_id) == license_id
    info = kb.licenses[license_id]
    if license_id == "unknown":  # not a licence: says nothing is known
        return
    assert info.meta.get("source", "").startswith(("https://", "http://")), info.meta
    assert info.meta.get("verification") in {"P", "C", "S", "U"}
    if license_id not in NO_CONDITIONS:
        assert info.clauses, f"{license_id} has no clause"
        for clause in info.clauses.values():
            assert clause.section and clause.source.startswith(("https://", "http://")), (license_id, clause.id)


def test_the_hub_list_is_all_there():
    assert len(HUB_LICENCES) == 80


@pytest.mark.parametrize("family, versions", [
    # GPL-2.0 9, GPL-3.0 14, LGPL-2.1 13, GFDL 10: a work that names no version may be used under
    # "any version ever published" -- a choice of every version the KB knows
    ("gpl", {"GPL-2.0-only", "GPL-3.0-only"}),
    ("lgpl", {"LGPL-2.0-only", "LGPL-2.1-only", "LGPL-3.0-only"}),
    ("gfdl", {"GFDL-1.1-only", "GFDL-1.2-only", "GFDL-1.3-only"}),
])
def test_a_family_id_whose_text_says_any_version_offers_every_version(family, versions):
    kb = knowledge_base()
    info = kb.licenses[kb.resolve(family)]
    assert info.id not in versions
    from reasoner.api import analyze_text

    # a component under the family id may go into a work under any one version it offers
    for version in sorted(versions):
        text = (f'software "lib" license {family}\nsoftware "app"\n  finetuned from "lib"\n'
                f'  released under {version}\ndeploy "app" as weights\n')
        assert [c.kind for c in analyze_text(text).conflicts] == [], (family, version)


@pytest.mark.parametrize("family", ["cc", "bsd", "openrail"])
def test_a_family_id_with_no_version_rule_warns_that_the_version_is_not_stated(family):
    from reasoner.api import analyze_text

    report = analyze_text(f'model "m" license {family}\ndeploy "m" as weights\n')
    assert any("whose version is not stated" in w for w in report.warnings), report.warnings
