"""The error of questions asked of the data, and the version of their JSON answers."""

from __future__ import annotations

#: version of the JSON answers of `affects`, `show` and `operations`; bump the
#: minor number for added fields, the major number for anything else.
SCHEMA_VERSION = "2.1"


class ConfigError(Exception):
    """towncrier.toml is missing or does not declare the categories properly."""


class QueryError(Exception):
    """A question the data cannot answer (unknown version, malformed value): one line."""
