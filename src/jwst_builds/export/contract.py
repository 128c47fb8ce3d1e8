"""Version of the export format and the names of the files it writes."""

from __future__ import annotations

#: major.minor.patch of the export format (docs/exports.md, "Compatibility"):
#: additive changes raise the minor number, anything else the major number.
SCHEMA_VERSION = "2.1.0"

#: the JSON Schema of builds.json and issues.json, in schema/ and copied next to the exports
EXPORT_SCHEMA = "export.schema.json"
