"""The columns of the CSV exports: one definition feeds the CSV header and the data package."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

#: lists are written into one CSV cell joined by this character (no value contains it)
LIST_SEPARATOR = ";"

KINDS = [
    "candidate",
    "final",
    "patch",
    "documentation",
    "packaging",
    "pypi-only",
    "dependency-pin",
    "dms-test",
]
STATUSES = ["development", "candidate", "operations", "archived"]
POLICIES = ["fixed", "minimum"]
ISSUE_STATUSES = ["open", "mitigated", "fixed", "withdrawn"]
IMPACTS = ["data-quality", "processing-failure", "performance", "usability", "installation"]
SUBARRAYS = ["any", "full", "subarray"]
FIX_NEEDS = ["software", "reference-files", "both"]

JWST_VERSION = r"[0-9]+\.[0-9]+\.[0-9]+"
BUILD_ID = r"[0-9]+\.[0-9]+"
DMS_VERSION = r"[0-9]+\.[0-9]+(\.[0-9]+)?"
CRDS_CONTEXT = r"jwst_[0-9]{4}\.pmap"
SDP_VERSION = r"[0-9]{4}([._][0-9]+)+"
ISSUE_ID = r"[a-z0-9]+(-[a-z0-9]+)*"
DATE_OR_MONTH = r"[0-9]{4}-(0[1-9]|1[0-2])(-[0-9]{2})?"
VERSION_OR_BUILD = r"[0-9]+\.[0-9]+(\.[0-9]+)?"
INSTRUMENT = r"NIRCam|NIRSpec|NIRISS|MIRI|FGS"
MODE_GROUP = r"[a-z]+(-[a-z]+)*"
EXP_TYPE = r"[A-Z]+_[A-Z0-9-]+"
HEADER_VALUE = r"[A-Z0-9]+"
SUFFIX = r"[a-z0-9]+"
CATEGORY = r"[a-z0-9_]+"
REFTYPE = r"[a-z0-9_]+"
CHANGELOG_ENTRY = r"[0-9]+\.[0-9]+\.[0-9]+#[0-9]+"
MITIGATION = r"[a-z]+(-[a-z]+)*(:[a-z0-9_]+)?"


@dataclass(frozen=True)
class Column:
    """One CSV column: its name, Table Schema type, meaning and constraints."""

    name: str
    type: str  # a Frictionless Table Schema type: string, integer, boolean, date
    description: str
    required: bool = False
    unique: bool = False
    enum: list[str] | None = None
    pattern: str | None = None  # for a list column, the pattern of one item
    is_list: bool = False
    #: what joins the items of a list column: ';' for ids, a line break for sentences
    separator: str = LIST_SEPARATOR

    def constraints(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.required:
            out["required"] = True
        if self.unique:
            out["unique"] = True
        if self.enum is not None:
            out["enum"] = list(self.enum)
        if self.pattern is not None:
            item = self.pattern
            sep = self.separator
            out["pattern"] = f"({item})({sep}({item}))*" if self.is_list else item
        return out


@dataclass(frozen=True)
class TableSpec:
    """One CSV file: its columns, primary key and references to other tables."""

    name: str  # resource name; the file is <name>.csv
    title: str
    description: str
    columns: list[Column]
    primary_key: list[str]
    #: (column, other table, its column)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _list(description: str) -> str:
    return f"{description} Items joined by '{LIST_SEPARATOR}'."


def _lines(description: str) -> str:
    return f"{description} One item per line."


RELEASES = TableSpec(
    name="releases",
    title="jwst releases",
    description="One row per jwst tag, like the build table of the jwst README, oldest tag first.",
    columns=[
        Column(
            "jwst_version",
            "string",
            "The jwst tag, as written in the CAL_VER keyword.",
            required=True,
            unique=True,
            pattern=JWST_VERSION,
        ),
        Column(
            "build",
            "string",
            "The id of the build record this tag lives in (builds.csv).",
            required=True,
            pattern=BUILD_ID,
        ),
        Column(
            "dms_build", "string", "The README's 'DMS build' label, verbatim (B10.2rc1, B9.2.x)."
        ),
        Column(
            "kind",
            "string",
            "What the tag is: candidate, final, patch, a re-release, or a tag made for no build.",
            required=True,
            enum=KINDS,
        ),
        Column(
            "sdp_version", "string", "The SDP version (SDP_VER) of the tag.", pattern=SDP_VERSION
        ),
        Column(
            "crds_context",
            "string",
            "The tag's CRDS context in full; before build 11.1 a minimum (testing) context.",
            pattern=CRDS_CONTEXT,
        ),
        Column(
            "released",
            "date",
            "The README's Released date (for some tags, the first candidate's date).",
        ),
        Column(
            "ops_install",
            "date",
            "The README's Ops Install date: when the tag went into DMS operations.",
        ),
        Column(
            "build_status",
            "string",
            "The lifecycle status of the build the tag lives in.",
            required=True,
            enum=STATUSES,
        ),
        Column("note", "string", "The README's Notes cell, verbatim."),
        Column(
            "dms_version",
            "string",
            "The build or patch level the tag was made for; empty for tags made for no build.",
            pattern=DMS_VERSION,
        ),
        Column("candidate", "integer", "The release-candidate number for candidates (1 for rc1)."),
        Column(
            "pre_launch",
            "boolean",
            "Whether the tag's build predates JWST's launch.",
            required=True,
        ),
        Column(
            "also_labelled",
            "string",
            _list("Further README labels for the same tag (0.8.0 is also B7.1.1)."),
            is_list=True,
        ),
        Column(
            "disputed",
            "string",
            _list(
                "Fields of this row on which sources disagree; builds.json has both values and why."
            ),
            is_list=True,
        ),
        Column(
            "sources",
            "string",
            _list("Ids of the sources of the row's facts."),
            required=True,
            is_list=True,
        ),
    ],
    primary_key=["jwst_version"],
    foreign_keys=[("build", "builds", "id")],
)

BUILDS = TableSpec(
    name="builds",
    title="Operations builds",
    description="One row per operations build, like Table 1 of the JDox build page, oldest first.",
    columns=[
        Column(
            "id",
            "string",
            "The build id (10.2); patches such as 10.2.1 are releases of it.",
            required=True,
            unique=True,
            pattern=BUILD_ID,
        ),
        Column(
            "status", "string", "Where the build is in its lifecycle.", required=True, enum=STATUSES
        ),
        Column("pre_launch", "boolean", "Whether the build predates JWST's launch.", required=True),
        Column("candidate_released", "date", "When the build was released as a candidate."),
        Column("operations_installed", "date", "When the build was installed in DMS operations."),
        Column(
            "crds_context",
            "string",
            "The build's CRDS context in operations (or of its final release).",
            pattern=CRDS_CONTEXT,
        ),
        Column(
            "context_policy",
            "string",
            "Whether the context is fixed (builds 11.1 on) or a minimum.",
            required=True,
            enum=POLICIES,
        ),
        Column(
            "sdp_version",
            "string",
            "The SDP version of the build's operational or final release.",
            pattern=SDP_VERSION,
        ),
        Column("release_notes", "string", "Link to the build's release notes."),
        Column("summary", "string", "A sentence or two about the build."),
        Column(
            "jwst_versions",
            "string",
            _list("Every jwst tag of the build, oldest first."),
            required=True,
            is_list=True,
            pattern=JWST_VERSION,
        ),
        Column(
            "known_issues",
            "string",
            _list("Ids of the known issues of the build (issues.csv)."),
            is_list=True,
        ),
        Column(
            "changes",
            "integer",
            "How many change fragments the build has (their text is in builds.json).",
            required=True,
        ),
        Column(
            "disputed",
            "string",
            _list("Build-level fields on which sources disagree."),
            is_list=True,
        ),
        Column(
            "sources",
            "string",
            _list("Ids of the sources of the build-level facts."),
            required=True,
            is_list=True,
        ),
        Column(
            "fixed_issues",
            "string",
            _list("Ids of the known issues whose software fix first came with the build."),
            is_list=True,
            pattern=ISSUE_ID,
        ),
    ],
    primary_key=["id"],
)

ISSUES = TableSpec(
    name="issues",
    title="Known issues",
    description="One row per known issue, withdrawn records included, sorted by id.",
    columns=[
        Column(
            "id", "string", "The issue's stable id.", required=True, unique=True, pattern=ISSUE_ID
        ),
        Column("title", "string", "One line naming the problem.", required=True),
        Column(
            "status",
            "string",
            "open, mitigated, fixed or withdrawn.",
            required=True,
            enum=ISSUE_STATUSES,
        ),
        Column(
            "impact",
            "string",
            "What the issue does to data, processing or users.",
            required=True,
            enum=IMPACTS,
        ),
        Column(
            "data_issue",
            "boolean",
            "Whether the issue changes or withholds science data (impact data-quality or "
            "processing-failure); jwst-builds affects lists only these by default.",
            required=True,
        ),
        Column(
            "instruments",
            "string",
            _list("Affected instruments; empty when it does not depend on the instrument."),
            is_list=True,
            pattern=INSTRUMENT,
        ),
        Column(
            "mode_groups",
            "string",
            _list("Named groups of observing modes the record limits the issue to."),
            is_list=True,
            pattern=MODE_GROUP,
        ),
        Column(
            "exp_types",
            "string",
            _list(
                "EXP_TYPE values of the affected modes: the record's own and the members of its "
                "mode groups (only those of its instruments, when it lists any), sorted; empty "
                "for every mode."
            ),
            is_list=True,
            pattern=EXP_TYPE,
        ),
        Column(
            "subarray",
            "string",
            "any (not limited), full (full-frame data only) or subarray (subarray data only).",
            required=True,
            enum=SUBARRAYS,
        ),
        Column(
            "readpatt",
            "string",
            _list("READPATT values the issue is limited to; empty for every readout pattern."),
            is_list=True,
            pattern=HEADER_VALUE,
        ),
        Column(
            "detectors",
            "string",
            _list("DETECTOR values the issue is limited to; empty for every detector."),
            is_list=True,
            pattern=HEADER_VALUE,
        ),
        Column(
            "products",
            "string",
            _list(
                "File suffixes of the products that show the problem (cal, x1d); empty: not stated."
            ),
            is_list=True,
            pattern=SUFFIX,
        ),
        Column(
            "steps",
            "string",
            _list("Pipeline steps or areas involved (jwst change-log categories)."),
            is_list=True,
            pattern=CATEGORY,
        ),
        Column(
            "conditions",
            "string",
            "Limits the header cannot show (bright sources, crowded fields), in words.",
        ),
        Column(
            "introduced_build",
            "string",
            "First affected build, when the sources say; empty when unknown.",
            pattern=BUILD_ID,
        ),
        Column(
            "introduced_release",
            "string",
            "First affected jwst tag, when known more precisely than the build.",
            pattern=JWST_VERSION,
        ),
        Column(
            "documented_from_build",
            "string",
            "Earliest build a source shows to be affected (earlier builds may be affected too "
            "when introduced_build is empty).",
            required=True,
            pattern=BUILD_ID,
        ),
        Column(
            "documented_from_release",
            "string",
            "Earliest jwst tag a source shows to be affected, when known more precisely.",
            pattern=JWST_VERSION,
        ),
        Column(
            "last_affected_build",
            "string",
            "Last affected build when the range ends without a software fix.",
            pattern=BUILD_ID,
        ),
        Column(
            "last_affected_release",
            "string",
            "Last affected jwst tag when the range ends without a software fix.",
            pattern=JWST_VERSION,
        ),
        Column(
            "fixed_build", "string", "First build whose software has the fix.", pattern=BUILD_ID
        ),
        Column(
            "fixed_release",
            "string",
            "First jwst tag with the software fix, when known more precisely.",
            pattern=JWST_VERSION,
        ),
        Column(
            "fixed_changelog",
            "string",
            _list(
                "Entries of the jwst change log that carry the fix, as version#pull-request "
                "(1.20.1#9939)."
            ),
            is_list=True,
            pattern=CHANGELOG_ENTRY,
        ),
        Column(
            "context_introduced",
            "string",
            "First CRDS context whose reference files bring the problem.",
            pattern=CRDS_CONTEXT,
        ),
        Column(
            "context_fixed",
            "string",
            "First CRDS context whose reference files fix the problem.",
            pattern=CRDS_CONTEXT,
        ),
        Column(
            "reftypes",
            "string",
            _list("CRDS reference types involved (photom, specwcs)."),
            is_list=True,
            pattern=REFTYPE,
        ),
        Column(
            "fix_needs",
            "string",
            "What data need to be fixed: new software, new reference files, or both; empty "
            "while there is no fix.",
            enum=FIX_NEEDS,
        ),
        Column(
            "mitigations",
            "string",
            _list(
                "The remedies the pipeline offers, one item each: their kind, and the step "
                "after a colon for kinds step and parameter (parameter:jump)."
            ),
            is_list=True,
            pattern=MITIGATION,
        ),
        Column(
            "default_mitigation_from",
            "string",
            "The earliest point from which a remedy runs by default: a jwst tag (1.14.0) when "
            "the record names the release, otherwise a build id (10.2); empty when none does.",
            pattern=VERSION_OR_BUILD,
        ),
        Column(
            "affected_builds",
            "string",
            _list("Builds with at least one affected release (none for withdrawn records)."),
            is_list=True,
            pattern=BUILD_ID,
        ),
        Column(
            "summary", "string", "What goes wrong, when, and how much it matters.", required=True
        ),
        Column(
            "symptoms",
            "string",
            _lines("What a user sees."),
            required=True,
            is_list=True,
            separator="\n",
        ),
        Column("workaround", "string", "What a user can do now."),
        Column("mitigation_plan", "string", "What the pipeline team has done or plans."),
        Column(
            "planned_build",
            "string",
            "The build the mitigation plan is announced for.",
            pattern=BUILD_ID,
        ),
        Column(
            "discovered",
            "string",
            "When the issue was first documented: a date, or a month (2024-06); empty when "
            "the sources do not date it.",
            pattern=DATE_OR_MONTH,
        ),
        Column(
            "last_reviewed",
            "date",
            "When the record was last checked against its sources.",
            required=True,
        ),
        Column("withdrawn", "date", "When the record was withdrawn."),
        Column("withdrawn_reason", "string", "Why it was withdrawn."),
        Column(
            "replaced_by",
            "string",
            "The issue that supersedes a withdrawn duplicate.",
            pattern=ISSUE_ID,
        ),
        Column(
            "related",
            "string",
            _list("Other issues worth reading with this one."),
            is_list=True,
            pattern=ISSUE_ID,
        ),
        Column(
            "notes", "string", "Maintainers' notes on how the record was read from its sources."
        ),
        Column(
            "disputed",
            "string",
            _list("Fields on which sources disagree; issues.json holds both values."),
            is_list=True,
        ),
        Column(
            "sources",
            "string",
            _list("Ids of the sources of the record's facts."),
            required=True,
            is_list=True,
        ),
        Column(
            "documented_until_build",
            "string",
            "Last build a source shows to be affected, for an old record that no current source "
            "confirms (later builds may be affected too); empty otherwise. Added in 2.1.0.",
            pattern=BUILD_ID,
        ),
        Column(
            "documented_until_release",
            "string",
            "Last jwst tag a source shows to be affected, when known more precisely. Added in 2.1.0.",
            pattern=JWST_VERSION,
        ),
    ],
    primary_key=["id"],
    foreign_keys=[
        ("introduced_build", "builds", "id"),
        ("documented_from_build", "builds", "id"),
        ("last_affected_build", "builds", "id"),
        ("fixed_build", "builds", "id"),
        ("documented_until_build", "builds", "id"),
    ],
)
