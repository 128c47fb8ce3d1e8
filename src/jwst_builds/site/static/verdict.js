/* Where a known issue applies, computed in the browser.

   A line-by-line port of src/jwst_builds/issuerange.py (position, Range.state,
   scope_modes, verdict) and of the question checks and the ordering of
   src/jwst_builds/query.py (normalize, affects). Change both together: the browser
   tests (tests/test_site_browser.py) compare this file's answers with
   `query.affects(..., include_all=True)`.

   Input: the API documents index.json, builds.json and issues.json. */
(function (global) {
  "use strict";

  var END = [1 << 30];
  var PREFIXES = { MIR: "MIRI", NRC: "NIRCam", NIS: "NIRISS", NRS: "NIRSpec", FGS: "FGS" };
  var CONTEXT = /^jwst_([0-9]{4})\.pmap$/;

  // --- versions and positions (dataset.version_key, issuerange.position) ---

  function versionKey(text) {
    return text.split(".").filter(function (p) { return /^[0-9]+$/.test(p); }).map(Number);
  }

  function compareKeys(a, b) {
    for (var i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] !== b[i]) { return a[i] < b[i] ? -1 : 1; }
    }
    return a.length === b.length ? 0 : (a.length < b.length ? -1 : 1);
  }

  function comparePositions(p, q) {
    var c = compareKeys(p[0], q[0]);
    return c !== 0 ? c : compareKeys(p[1], q[1]);
  }

  function position(buildId, jwstVersion) {
    return [versionKey(buildId), jwstVersion ? versionKey(jwstVersion) : []];
  }

  function pointPosition(point, end) {
    if (point.release !== null) { return [versionKey(point.build), versionKey(point.release)]; }
    return [versionKey(point.build), end ? END : []];
  }

  // --- the software range (issuerange.Range) ---

  function issueRange(issue) {
    var sw = issue.software;
    return {
      introduced: sw.introduced ? pointPosition(sw.introduced, false) : null,
      documented: pointPosition(sw.documented_from, false),
      last: sw.last_affected ? pointPosition(sw.last_affected, true) : null,
      fix: sw.fixed ? pointPosition({ build: sw.fixed.build, release: sw.fixed.release }, false) : null,
      documentedUntil: sw.documented_until ? pointPosition(sw.documented_until, true) : null
    };
  }

  function state(range, pos) {
    if (range.fix !== null && comparePositions(pos, range.fix) >= 0) { return "fixed"; }
    if (range.last !== null && comparePositions(pos, range.last) > 0) { return "after"; }
    if (range.introduced !== null && comparePositions(pos, range.introduced) < 0) { return "before"; }
    if (range.introduced === null && comparePositions(pos, range.documented) < 0) { return "undocumented"; }
    if (range.documentedUntil !== null && comparePositions(pos, range.documentedUntil) > 0) {
      return "unassessed";
    }
    return "affected";
  }

  // --- scope (issuerange.scope_modes, _scope_unchecked) ---

  function instrumentOf(expType) {
    var owner = PREFIXES[expType.split("_")[0]];
    return owner === undefined ? null : owner;
  }

  function contextNumber(context) {
    var m = CONTEXT.exec(context);
    if (m === null) { throw new Error("not a CRDS context: " + context); }
    return parseInt(m[1], 10);
  }

  function scopeModes(issue, groups) {
    var sc = issue.scope;
    var wanted = {};
    sc.exp_types.forEach(function (e) { wanted[e] = true; });
    sc.mode_groups.forEach(function (name) {
      (groups[name] || []).forEach(function (expType) {
        var owner = instrumentOf(expType);
        if (!sc.instruments.length || sc.instruments.indexOf(owner) >= 0) { wanted[expType] = true; }
      });
    });
    return Object.keys(wanted).sort();
  }

  function scopeUnchecked(issue, p, groups) {
    var sc = issue.scope;
    var unchecked = [];
    var limits = [
      ["instrument", p.instrument, sc.instruments],
      ["exp_type", p.exp_type, scopeModes(issue, groups)],
      ["readpatt", p.readpatt, sc.readpatt],
      ["detector", p.detector, sc.detectors]
    ];
    for (var i = 0; i < limits.length; i++) {
      var axis = limits[i][0], value = limits[i][1], allowed = limits[i][2];
      if (!allowed.length) { continue; }
      if (value === null) { unchecked.push(axis); } else if (allowed.indexOf(value) < 0) { return null; }
    }
    if (sc.subarray !== "any") {
      if (p.subarray === null) {
        unchecked.push("subarray");
      } else if ((p.subarray === "FULL") !== (sc.subarray === "full")) {
        return null;
      }
    }
    return unchecked;
  }

  // --- the verdict (issuerange.verdict) ---

  function verdict(issue, p, groups) {
    if (issue.status === "withdrawn") { return null; }
    var st = state(issueRange(issue), p.position);
    if (st === "before" || st === "after") { return null; }
    var unchecked = scopeUnchecked(issue, p, groups);
    if (unchecked === null) { return null; }
    var refs = issue.reference_files;
    var ctx = p.crds_ctx ? contextNumber(p.crds_ctx) : null;
    if (refs.introduced !== null) {
      if (ctx === null) {
        unchecked.push("crds_ctx");
      } else if (ctx < contextNumber(refs.introduced)) {
        return null;
      }
    }
    var releaseFix = issue.software.fixed === null ? null : st === "fixed";
    var contextFix = null;
    if (refs.fixed !== null && ctx !== null) { contextFix = ctx >= contextNumber(refs.fixed); }
    // A fix needs every part the record names: new software, new reference files, or both.
    if (releaseFix === false || contextFix === false) {
      // still affected
    } else if (refs.fixed === null) {
      if (releaseFix) { return null; }
    } else if (contextFix === null) {
      if (unchecked.indexOf("crds_ctx") < 0) { unchecked.push("crds_ctx"); }
    } else if (contextFix && (releaseFix === null || releaseFix === true)) {
      return null;
    }
    var undocumented = st === "undocumented";
    var unassessed = st === "unassessed";
    return {
      applies: unchecked.length || undocumented || unassessed ? "possibly" : "yes",
      unchecked: unchecked,
      undocumented: undocumented,
      unassessed: unassessed,
      release_has_fix: releaseFix,
      context_has_fix: contextFix
    };
  }

  // --- the question (query.normalize) ---

  function QueryError(message) { this.message = message; }

  function nearest(known, value) {
    var ordered = known.slice().sort(function (a, b) { return compareKeys(versionKey(a), versionKey(b)); });
    var key = versionKey(value);
    var at = 0;
    while (at < ordered.length && compareKeys(versionKey(ordered[at]), key) < 0) { at++; }
    return ordered.slice(Math.max(at - 1, 0), at + 1);
  }

  function upper(value) { return value === null ? null : value.trim().toUpperCase(); }

  function normalize(q, api) {
    var known = Object.keys(api.releases);
    if (!Object.prototype.hasOwnProperty.call(api.releases, q.cal_ver)) {
      if (!versionKey(q.cal_ver).length) {
        throw new QueryError("CAL_VER '" + q.cal_ver + "' is not a jwst version such as 1.14.0");
      }
      var near = nearest(known, q.cal_ver).join(" and ");
      var hint = near ? " (nearest known: " + near + ")" : " (the data hold no releases)";
      throw new QueryError("unknown CAL_VER '" + q.cal_ver + "': no jwst release has that version" + hint);
    }
    var ctx = q.crds_ctx === null ? null : q.crds_ctx.trim();
    if (ctx !== null && !CONTEXT.test(ctx)) {
      var fmt = /^[0-9]{4}$/.test(ctx) ? " (write it in full: jwst_" + ctx + ".pmap)" : "";
      throw new QueryError("CRDS_CTX '" + ctx + "' is not a CRDS context such as jwst_1240.pmap" + fmt);
    }
    var instrument = null;
    if (q.instrument !== null) {
      var wanted = q.instrument.trim().toUpperCase();
      instrument = api.index.instruments.filter(function (n) { return n.toUpperCase() === wanted; })[0] || null;
      if (instrument === null) {
        throw new QueryError("unknown instrument '" + q.instrument + "' (one of " + api.index.instruments.join(", ") + ")");
      }
    }
    var expType = upper(q.exp_type);
    if (expType !== null) {
      if (api.index.exp_types.length && api.index.exp_types.indexOf(expType) < 0) {
        throw new QueryError("unknown EXP_TYPE '" + q.exp_type + "'");
      }
      var owner = instrumentOf(expType);
      if (instrument === null) {
        instrument = owner;
      } else if (owner !== instrument) {
        throw new QueryError("EXP_TYPE " + expType + " is a " + owner + " mode, but the instrument is " + instrument);
      }
    }
    return {
      cal_ver: q.cal_ver, crds_ctx: ctx, instrument: instrument, exp_type: expType,
      readpatt: upper(q.readpatt), subarray: upper(q.subarray), detector: upper(q.detector)
    };
  }

  // --- the answer (query.affects with include_all) ---

  /* api: {index, builds, issues} (the parsed documents); returns the release, its
     build and every issue that applies, in the order of `affects`. */
  function affects(question, documents) {
    var api = { index: documents.index, releases: {} };
    documents.builds.builds.forEach(function (build) {
      build.releases.forEach(function (rel) {
        if (!(rel.jwst_version in api.releases)) { api.releases[rel.jwst_version] = { build: build, release: rel }; }
      });
    });
    var q = normalize(question, api);
    var found = api.releases[q.cal_ver];
    var product = {
      position: position(found.build.id, found.release.jwst_version),
      crds_ctx: q.crds_ctx, instrument: q.instrument, exp_type: q.exp_type,
      subarray: q.subarray, readpatt: q.readpatt, detector: q.detector
    };
    var groups = documents.index.mode_groups;
    var issues = [];
    documents.issues.issues.forEach(function (issue) {
      var v = verdict(issue, product, groups);
      if (v !== null) { issues.push({ issue: issue, verdict: v }); }
    });
    issues.sort(function (a, b) {
      var ka = [!a.issue.data_issue, a.verdict.applies !== "yes"];
      var kb = [!b.issue.data_issue, b.verdict.applies !== "yes"];
      for (var i = 0; i < 2; i++) {
        if (ka[i] !== kb[i]) { return ka[i] ? 1 : -1; }
      }
      return a.issue.id < b.issue.id ? -1 : (a.issue.id > b.issue.id ? 1 : 0);
    });
    return { query: q, build: found.build, release: found.release, issues: issues };
  }

  global.JwstVerdict = {
    versionKey: versionKey,
    position: position,
    scopeModes: scopeModes,
    verdict: verdict,
    normalize: normalize,
    affects: affects,
    contextNumber: contextNumber,
    QueryError: QueryError
  };
})(window);
