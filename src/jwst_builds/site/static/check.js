/* The "check my data" page: read the question from the address, load the API
   documents, ask verdict.js, show the answer.

   Over http(s) the documents are fetched from api/v1/. Browsers refuse fetch() on
   file:// pages, so there the page loads assets/api-bundle.js instead: the same
   documents, written by the same build into one script. */
(function () {
  "use strict";

  var NAMES = ["index", "builds", "issues", "operations"];
  var FIELDS = ["cal_ver", "crds_ctx", "instrument", "exp_type", "readpatt", "subarray", "detector"];
  var HEADER = {
    instrument: "INSTRUME", exp_type: "EXP_TYPE", readpatt: "READPATT",
    subarray: "SUBARRAY", detector: "DETECTOR", crds_ctx: "CRDS_CTX"
  };
  var answer = document.getElementById("answer");

  function fetchDocuments() {
    return Promise.all(NAMES.map(function (name) {
      return fetch("api/v1/" + name + ".json").then(function (response) {
        if (!response.ok) { throw new Error("api/v1/" + name + ".json: HTTP " + response.status); }
        return response.json();
      });
    })).then(function (docs) {
      var out = {};
      NAMES.forEach(function (name, i) { out[name] = docs[i]; });
      document.body.setAttribute("data-source", "api");
      return out;
    });
  }

  function loadBundle() {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = "assets/api-bundle.js";
      script.onload = function () {
        var bundle = window.JWST_BUILDS_API;
        var out = {};
        NAMES.forEach(function (name) { out[name] = bundle[name + ".json"]; });
        document.body.setAttribute("data-source", "bundle");
        resolve(out);
      };
      script.onerror = function () { reject(new Error("cannot load assets/api-bundle.js")); };
      document.head.appendChild(script);
    });
  }

  function load() {
    if (location.protocol === "http:" || location.protocol === "https:") { return fetchDocuments(); }
    return loadBundle();
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = text; }
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function point(p) { return p.release ? "jwst " + p.release : "build " + p.build; }

  function why(entry) {
    var v = entry.verdict, parts = [];
    if (v.unchecked.length) {
      parts.push("depends on " + v.unchecked.map(function (a) { return HEADER[a] || a; }).join(", ") + ", which you did not give");
    }
    if (v.undocumented) {
      parts.push("not assessed before " + point(entry.issue.software.documented_from) + ", where it was first documented");
    }
    if (v.unassessed) {
      parts.push("not assessed after " + point(entry.issue.software.documented_until) + ", where it was last documented");
    }
    return parts.join("; ");
  }

  function fixText(entry) {
    var issue = entry.issue, v = entry.verdict, parts = [];
    if (issue.software.fixed) {
      var fx = issue.software.fixed;
      parts.push("software fixed in " + (fx.release ? "jwst " + fx.release + " (build " + fx.build + ")" : "build " + fx.build));
    }
    if (issue.reference_files.fixed) {
      var has = v.context_has_fix === null ? "" : (v.context_has_fix ? ", which your context has" : ", newer than your context");
      parts.push("reference files fixed in " + issue.reference_files.fixed + has);
    }
    return parts.length ? parts.join("; ") : "no fix recorded (" + issue.status + ")";
  }

  function issueList(entries, id) {
    var list = el("ol", null, { id: id, "class": "results" });
    entries.forEach(function (entry) {
      var item = el("li", null, {
        "data-issue": entry.issue.id,
        "data-applies": entry.verdict.applies,
        "data-unchecked": entry.verdict.unchecked.join(" "),
        "data-undocumented": String(entry.verdict.undocumented)
      });
      item.appendChild(el("span", entry.verdict.applies === "yes" ? "applies" : "may apply",
        { "class": "badge " + entry.verdict.applies }));
      item.appendChild(document.createTextNode(" "));
      item.appendChild(el("a", entry.issue.title, { href: "issues/" + entry.issue.id + ".html" }));
      var detail = [entry.issue.impact, why(entry), fixText(entry)].filter(Boolean).join(" · ");
      item.appendChild(el("p", detail, { "class": "muted" }));
      list.appendChild(item);
    });
    return list;
  }

  function show(result, docs) {
    var build = result.build, rel = result.release, q = result.query;
    answer.appendChild(el("h2", "Answer for jwst " + rel.jwst_version));
    var asked = FIELDS.filter(function (name) { return q[name] !== null; }).map(function (name) {
      return (name === "cal_ver" ? "CAL_VER" : HEADER[name]) + " " + q[name];
    });
    answer.appendChild(el("p", "Read as: " + asked.join(", ") + ".", { id: "question", "class": "muted" }));
    var facts = "jwst " + rel.jwst_version + " (" + rel.kind + ") belongs to build " + build.id +
      ", status " + build.status + "; the release was made with " + (rel.crds_context || "no recorded context") + ".";
    var summary = el("p", facts, { id: "summary" });
    answer.appendChild(summary);
    var link = el("a", "Build " + build.id, { href: "builds/" + build.id + ".html" });
    answer.appendChild(el("p")).appendChild(link);
    var ops = docs.operations.current;
    if (ops) {
      var text = "In operations now: build " + ops.build + " (jwst " + ops.release + ", " + ops.crds_context + ").";
      if (q.crds_ctx && ops.crds_context &&
          JwstVerdict.contextNumber(q.crds_ctx) < JwstVerdict.contextNumber(ops.crds_context)) {
        text += " Your context is older than the one in operations: MAST products made today may differ.";
      }
      answer.appendChild(el("p", text));
    }
    var data = result.issues.filter(function (e) { return e.issue.data_issue; });
    var other = result.issues.filter(function (e) { return !e.issue.data_issue; });
    answer.appendChild(el("h3", "Data issues (" + data.length + ")"));
    answer.appendChild(data.length ? issueList(data, "data-issues") : el("p", "No known data issue applies."));
    answer.appendChild(el("h3", "Installation, speed and usability issues (" + other.length + ")"));
    answer.appendChild(other.length ? issueList(other, "other-issues") : el("p", "None."));
  }

  function fail(message) {
    answer.appendChild(el("p", message, { "class": "alert", role: "alert", id: "error" }));
  }

  function question() {
    var params = new URLSearchParams(location.search);
    var q = {};
    FIELDS.forEach(function (name) {
      var value = params.get(name);
      value = value === null ? "" : value.trim();
      var input = document.getElementById(name);
      if (input) { input.value = value; }
      q[name] = value === "" ? null : value;
    });
    if (q.readpatt || q.subarray || q.detector) { document.getElementById("more").open = true; }
    return q;
  }

  var q = question();
  if (q.cal_ver === null) {
    answer.setAttribute("data-state", "idle");
    return;
  }
  answer.setAttribute("data-state", "loading");
  load().then(function (docs) {
    try {
      show(JwstVerdict.affects(q, docs), docs);
    } catch (err) {
      if (!(err instanceof JwstVerdict.QueryError)) { throw err; }
      fail(err.message);
    }
    answer.setAttribute("data-state", "done");
  }).catch(function (err) {
    fail("The data could not be loaded: " + err.message);
    answer.setAttribute("data-state", "failed");
  });
})();
