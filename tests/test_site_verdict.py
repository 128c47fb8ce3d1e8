"""verdict.js, the check page's copy of the applicability rules, against
issuerange.verdict: every release, several sets of header values and contexts, the real
issues and synthetic ones built to reach each rule. Runs in Chromium (tests/browser.py).
"""

from __future__ import annotations

import copy
import itertools
import json
from pathlib import Path
from typing import Any

from selenium import webdriver

from jwst_builds import dataset
from jwst_builds.dataset import Record
from jwst_builds.issuerange import Product, mode_groups, position, verdict
from jwst_builds.model import KnownIssue

from .browser import open_page
from .conftest import REPO

#: software ranges over real builds: unknown start, fixed release, last affected release or
#: build, fixed build
SOFTWARE = [
    {
        "introduced": None,
        "documented_from": ("10.0", "1.12.0"),
        "last_affected": None,
        "fixed": None,
    },
    {
        "introduced": ("9.0", None),
        "documented_from": ("10.0", "1.12.0"),
        "last_affected": None,
        "fixed": ("11.0", "1.15.1"),
    },
    {
        "introduced": None,
        "documented_from": ("10.2", None),
        "last_affected": ("11.0", "1.15.0"),
        "fixed": None,
    },
    {
        "introduced": ("10.0", "1.12.3"),
        "documented_from": ("10.0", "1.12.3"),
        "last_affected": ("10.2", None),
        "fixed": None,
    },
    {
        "introduced": None,
        "documented_from": ("9.3", None),
        "last_affected": None,
        "fixed": ("12.0", None),
    },
    {
        "introduced": None,
        "documented_from": ("9.2", None),
        "documented_until": ("10.0", "1.12.3"),
        "last_affected": None,
        "fixed": None,
    },
]
#: reference-file ranges: none, a fixing context, an introducing context, both
REFERENCE = [
    (None, None),
    (None, "jwst_1293.pmap"),
    ("jwst_1100.pmap", None),
    ("jwst_1100.pmap", "jwst_1293.pmap"),
]
SCOPES = [
    {
        "instruments": ["NIRSpec"],
        "mode_groups": [],
        "exp_types": [],
        "subarray": "any",
        "readpatt": ["NRSIRS2"],
        "detectors": [],
    },
    {
        "instruments": ["NIRCam"],
        "mode_groups": ["tso"],
        "exp_types": [],
        "subarray": "subarray",
        "readpatt": [],
        "detectors": ["NRCALONG"],
    },
    {
        "instruments": [],
        "mode_groups": [],
        "exp_types": [],
        "subarray": "full",
        "readpatt": [],
        "detectors": [],
    },
    {
        "instruments": ["NIRSpec", "MIRI"],
        "mode_groups": ["ifu", "tso"],
        "exp_types": ["NRS_FIXEDSLIT"],
        "subarray": "any",
        "readpatt": [],
        "detectors": [],
    },
]
PRODUCTS = [
    {},
    {
        "instrument": "NIRSpec",
        "exp_type": "NRS_IFU",
        "readpatt": "NRSIRS2",
        "subarray": "FULL",
        "detector": "NRS1",
    },
    {
        "instrument": "NIRCam",
        "exp_type": "NRC_TSGRISM",
        "readpatt": "RAPID",
        "subarray": "SUBGRISM64",
        "detector": "NRCALONG",
    },
    {"instrument": "MIRI"},
    {"instrument": "MIRI", "exp_type": "MIR_LRS-SLITLESS", "subarray": "SLITLESSPRISM"},
    {"exp_type": "NRC_TSGRISM"},  # a mode group member of an instrument the issue does not name
]
CONTEXTS = [None, "jwst_1099.pmap", "jwst_1100.pmap", "jwst_1292.pmap", "jwst_1293.pmap"]


def _point(value: tuple[str, str | None] | None) -> dict[str, Any] | None:
    return None if value is None else {"build": value[0], "release": value[1]}


def synthetic_issues(template: dict[str, Any]) -> list[dict[str, Any]]:
    """Every combination of the ranges and scopes above, plus a withdrawn record."""
    out = []
    for n, (sw, (ctx_in, ctx_fix), scope) in enumerate(
        itertools.product(SOFTWARE, REFERENCE, SCOPES)
    ):
        data = copy.deepcopy(template)
        data["id"] = f"synthetic-{n}"
        data["scope"].update(scope)
        fixed = sw["fixed"]
        data["software"] = {
            "introduced": _point(sw["introduced"]),
            "documented_from": _point(sw["documented_from"]),
            "documented_until": _point(sw.get("documented_until")),
            "last_affected": _point(sw["last_affected"]),
            "fixed": None
            if fixed is None
            else {**_point(fixed), "changelog": [], "changelog_note": "test"},
        }
        data["reference_files"] = {"introduced": ctx_in, "fixed": ctx_fix, "reftypes": []}
        out.append(data)
    withdrawn = copy.deepcopy(out[0])
    withdrawn.update(id="synthetic-withdrawn", status="withdrawn")
    return [*out, withdrawn]


def test_verdict_js_follows_issuerange(
    browser: webdriver.Chrome, site: Path, real_ds: dataset.Dataset
) -> None:
    """For every release, five sets of header values and five contexts, verdict.js and
    issuerange.verdict agree on every real issue and on synthetic issues that exercise each
    rule (introduced, documented_from, last_affected, software and reference-file fixes,
    the reference-file start, instrument, mode groups, EXP_TYPE, subarray, READPATT,
    DETECTOR, withdrawn)."""
    template = real_ds.issues["nirspec-irs2-refpix-columns-zeroed"].data
    records = [r.data for _, r in sorted(real_ds.issues.items())] + synthetic_issues(template)
    typed = [KnownIssue.from_record(Record("issue", f"{d['id']}.yaml", d)) for d in records]
    groups = mode_groups(REPO / "schema")
    products = [
        {"build": build.id, "release": rel["jwst_version"], "crds_ctx": ctx, **values}
        for build, rel in real_ds.releases()
        for ctx in CONTEXTS
        for values in PRODUCTS
    ]
    python = []
    for p in products:
        product = Product(
            position=position(p["build"], p["release"]),
            **{
                k: p.get(k)
                for k in ("crds_ctx", "instrument", "exp_type", "subarray", "readpatt", "detector")
            },
        )
        row = []
        for issue in typed:
            v = verdict(issue, product, groups)
            row.append(
                None
                if v is None
                else [
                    v.applies,
                    list(v.unchecked),
                    v.undocumented,
                    v.unassessed,
                    v.release_has_fix,
                    v.context_has_fix,
                ]
            )
        python.append(row)
    open_page(browser, site.as_uri() + "/check.html")
    browser.set_script_timeout(120)
    script = """
    const [products, issues, groups] = arguments;
    const V = window.JwstVerdict;
    return products.map(p => {
      const product = {position: V.position(p.build, p.release), crds_ctx: p.crds_ctx,
        instrument: p.instrument ?? null, exp_type: p.exp_type ?? null, subarray: p.subarray ?? null,
        readpatt: p.readpatt ?? null, detector: p.detector ?? null};
      return issues.map(i => {
        const v = V.verdict(i, product, groups);
        return v === null ? null : [v.applies, v.unchecked, v.undocumented, v.unassessed, v.release_has_fix, v.context_has_fix];
      });
    });
    """
    javascript = browser.execute_script(script, products, json.loads(json.dumps(records)), groups)
    differ = [
        (products[n], typed[k].id, python[n][k], javascript[n][k])
        for n in range(len(products))
        for k in range(len(typed))
        if python[n][k] != javascript[n][k]
    ]
    assert [] == differ[:5]
    # the cases reach every outcome: both verdicts, unassessed or not, and each fix flag true,
    # false and unknown
    found = [v for row in python for v in row if v]
    assert {"yes", "possibly"} == {v[0] for v in found}
    assert ({True, False}, {True, False, None}, {True, False, None}) == (
        {v[3] for v in found},
        {v[4] for v in found},
        {v[5] for v in found},
    )
