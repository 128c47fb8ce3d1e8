"""jwst-builds: JWST calibration-pipeline builds and known issues as validated data.

``jwst_builds.load()`` returns a :class:`Dataset` that answers questions with typed,
immutable records (docs/api.md). The public names are those of ``__all__`` (docs/api.md); every other module is
private. They are imported on first use, so that ``import jwst_builds`` stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__all__ = [
    "Answer",
    "Build",
    "Conflict",
    "DataRootError",
    "Dataset",
    "IssueMatch",
    "KnownIssue",
    "Mitigation",
    "Operations",
    "Point",
    "QueryError",
    "Release",
    "ScanRow",
    "Source",
    "Verdict",
    "load",
]

#: public name -> the private module that defines it
_HOME = {
    "Answer": "answers",
    "Build": "buildmodel",
    "Conflict": "model",
    "DataRootError": "dataroot",
    "Dataset": "api",
    "IssueMatch": "answers",
    "KnownIssue": "model",
    "Mitigation": "model",
    "Operations": "answers",
    "Point": "model",
    "QueryError": "errors",
    "Release": "buildmodel",
    "ScanRow": "scan",
    "Source": "buildmodel",
    "Verdict": "answers",
    "load": "api",
}

if TYPE_CHECKING:
    from .answers import Answer, IssueMatch, Operations, Verdict
    from .api import Dataset, load
    from .buildmodel import Build, Release, Source
    from .dataroot import DataRootError
    from .errors import QueryError
    from .model import Conflict, KnownIssue, Mitigation, Point
    from .scan import ScanRow


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'jwst_builds' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
