"""Templates of jwst-builds (package data): notes.md.jinja renders release notes."""
