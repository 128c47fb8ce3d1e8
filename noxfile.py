"""Tasks for contributors and CI: `nox -l` lists them, `nox` runs the checks."""

from __future__ import annotations

import hashlib
from pathlib import Path

import nox

nox.needs_version = ">=2024.3.2"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.reuse_venv = "yes"
nox.options.sessions = ["validate", "fmt", "tests", "lint", "typecheck"]

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _group(name: str) -> list[str]:
    return list(PYPROJECT["dependency-groups"][name])


def _install(session: nox.Session, *extra: str) -> None:
    """Install the project (editable, so code edits show at once) and ``extra``.

    Skipped when this environment already has them from the same pyproject.toml:
    reinstalling cost more than `nox -s validate` itself.
    """
    location = getattr(session.virtualenv, "location", None)
    want = hashlib.sha256(Path("pyproject.toml").read_bytes() + repr(extra).encode()).hexdigest()
    stamp = Path(location) / ".jwst-builds-installed" if location else None
    if stamp is not None and stamp.is_file() and stamp.read_text() == want:
        session.log("jwst-builds already installed from this pyproject.toml")
        return
    session.install("-e", ".", *extra)
    if stamp is not None:
        stamp.write_text(want)


@nox.session
def validate(session: nox.Session) -> None:
    """Validate every data file: schemas, then cross-file checks (`-- PATHS` for some files)."""
    _install(session)
    session.run("jwst-builds", "validate", *session.posargs)


@nox.session
def fmt(session: nox.Session) -> None:
    """Check that data files are in canonical form (`nox -s fmt -- --write` rewrites them)."""
    _install(session)
    args = session.posargs or ["--check"]
    session.run("jwst-builds", "fmt", *[a for a in args if a != "--write"])


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite with pytest."""
    _install(session, *_group("test"))
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Lint and check formatting of the Python code with ruff."""
    session.install(*_group("lint"))
    paths = ("src", "tests", "scripts", "noxfile.py", "hatch_build.py")
    session.run("ruff", "check", *paths)
    session.run("ruff", "format", "--check", *paths)


@nox.session
def typecheck(session: nox.Session) -> None:
    """Type-check the package with mypy (strict)."""
    _install(session, *_group("typecheck"))
    session.run("mypy")


@nox.session(default=False)
def export(session: nox.Session) -> None:
    """Write the CSV, JSON and Markdown exports and the data package to dist/ (or --out DIR)."""
    _install(session)
    session.run("jwst-builds", "export", *(session.posargs or ["--out", "dist"]))


@nox.session(default=False)
def site(session: nox.Session) -> None:
    """Write the static website and its JSON API to dist/site (or --out DIR, --base-url URL)."""
    _install(session)
    session.run("jwst-builds", "site", *(session.posargs or ["--out", "dist/site"]))


@nox.session(default=False)
def notes(session: nox.Session) -> None:
    """Compile release notes with towncrier: `nox -s notes -- 10.2`, or every build with fragments."""
    _install(session)
    session.run("jwst-builds", "notes", *session.posargs)


@nox.session(default=False)
def sync(session: nox.Session) -> None:
    """Compare the data with the jwst README table and change log (`nox -s sync -- --write` applies)."""
    _install(session)
    session.run("jwst-builds", "sync", *session.posargs)


@nox.session(default=False)
def goldens(session: nox.Session) -> None:
    """Rewrite tests/golden/export/ from the fixture, only if it passes the hand-written facts."""
    _install(session, *_group("test"))
    session.run("python", "scripts/update_goldens.py")


@nox.session(default=False)
def mutate(session: nox.Session) -> None:
    """Mutation testing of checks/, issuerange, query and operations with mutmut (slow)."""
    _install(session, *_group("test"), *_group("mutate"))
    session.run("mutmut", "run", *session.posargs)
    session.run("mutmut", "results")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time `validate` against check-jsonschema (`-- ARGS` for it) and `scan` against astropy."""
    session.install("-e", ".[fits]", *_group("bench"))  # scan reads FITS headers
    # Here check-jsonschema has ruamel's C loader (our dependency ruamel.yaml.clib). The
    # other one gets its own venv as pip installs it, and the C loader is removed should
    # pip have brought it (ruamel.yaml < 0.19 did): the issue asks for both figures.
    peer = Path(session.create_tmp()) / "peer"
    python = str(peer / "bin" / "python")
    session.run("python", "-m", "venv", "--clear", str(peer))
    session.run(python, "-m", "pip", "install", "-q", *_group("bench"), external=True)
    session.run(python, "-m", "pip", "uninstall", "-q", "-y", "ruamel.yaml.clib", external=True)
    session.run(
        "python",
        "scripts/bench_validate.py",
        "--peer",
        str(peer / "bin" / "check-jsonschema"),
        *session.posargs,
    )
    session.run("python", "scripts/bench_scan.py")
