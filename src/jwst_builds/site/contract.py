"""Version of the static API and where its files go."""

from __future__ import annotations

#: major.minor.patch of the API (docs/web-api.md): additive changes raise the minor number;
#: anything else starts api/v2/ beside api/v1/.
API_VERSION = "1.0.0"

#: the folder of the API documents, inside the site
API_ROOT = "api/v1"

#: the JSON Schema of the API documents, in schema/
API_SCHEMA = "api.schema.json"

#: written into the site folder: the files of the last build, so that a rebuild
#: removes what it no longer writes and never touches a folder it did not make
MANIFEST = ".jwst-builds-site"
