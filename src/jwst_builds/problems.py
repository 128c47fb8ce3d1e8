"""The one record for every problem that jwst-builds reports."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from operator import attrgetter

PathPart = str | int


@dataclass(frozen=True, order=True)
class Problem:
    """One problem in one file.

    ``file`` is the path as the user should see it (relative to the data root
    where possible). ``where`` is the path inside the document (``("releases", 0,
    "crds_context")``); ``line`` and ``col`` are 1-based and 0 while unknown:
    checks leave them to :func:`jwst_builds.locate.locate` so that only files
    with a problem pay for the slower, position-aware YAML loader.
    """

    file: str
    line: int = 0
    col: int = 0
    field: str = ""
    message: str = ""
    hint: str = ""
    #: the stable code of the rule that found it (B007), empty for schema and YAML
    #: problems; CONTRIBUTING.md lists every code
    code: str = ""
    where: tuple[PathPart, ...] = dataclasses.field(default=(), compare=False)
    #: point at the key itself (an unknown key) rather than at its value
    at_key: bool = dataclasses.field(default=False, compare=False)

    def text(self) -> str:
        place = f"{self.file}:{self.line}:{self.col}" if self.line else self.file
        label = f"{self.field}: " if self.field else ""
        hint = f" ({self.hint})" if self.hint else ""
        code = f" [{self.code}]" if self.code else ""
        return f"{place}: {label}{self.message}{hint}{code}"


#: the order of problems (the dataclass order) as a key: sorting many problems by it
#: compares tuples made once per problem, not twice per comparison
sort_key = attrgetter(*(f.name for f in dataclasses.fields(Problem) if f.compare))


def field_name(where: tuple[PathPart, ...]) -> str:
    """Render a document path the way users read it: ``releases[0].crds_context``."""
    out = ""
    for part in where:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def problem(
    file: str,
    where: tuple[PathPart, ...],
    message: str,
    hint: str = "",
    *,
    code: str = "",
) -> Problem:
    """Build a problem whose position is found later from ``where``."""
    return Problem(
        file=file, field=field_name(where), message=message, hint=hint, code=code, where=where
    )
