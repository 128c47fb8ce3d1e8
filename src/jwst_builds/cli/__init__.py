"""The `jwst-builds` command: a thin click layer over importable functions.

Subcommands live in their own modules and are imported only when used, so that
`jwst-builds validate` does not pay for towncrier or astropy.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys
from pathlib import Path

import click

from ..dataroot import DataRoot, DataRootError, resolve
from ..report import REPORTERS

#: command name -> ("module:function" inside jwst_builds.cli, its line in --help).
#: The line is kept here so that --help imports no command; a test ties each one to
#: the first line of the command's own help.
COMMANDS = {
    "affects": ("query:affects", "Which known issues affect data made with a jwst version..."),
    "check": ("check:check", "Fail when the commits since REF change builds/ or issues/..."),
    "export": ("export:export", "Write the CSV, JSON and Markdown exports and datapackage.json."),
    "fmt": ("fmt:fmt", "Rewrite data files in canonical form (key order,..."),
    "info": ("info:info", "Which data are in use, where they are, how old they are,..."),
    "new": ("new:new", "Start a build, release, known issue or fragment from a..."),
    "notes": ("notes:notes", "Compile the release notes of BUILD, such as 10.2, from its..."),
    "operations": ("query:operations", "Which build was in operations on a given day (from the..."),
    "scan": ("scan:scan", "Tell, for every FITS product under PATHS, what to do about..."),
    "show": ("query:show", "One build (by id, such as 10.2, or by a jwst version) with..."),
    "site": ("site:site", "Write the static website and its JSON API (api/v1/, with..."),
    "sync": ("sync:sync", "Compare builds/ with the jwst README build table and change..."),
    "validate": (
        "validate:validate",
        "Check every data file against its schema and against each...",
    ),
}


class BrokenSetup(click.ClickException):
    """A schema or towncrier.toml that cannot be used: one line, exit 2 (wrong setup)."""

    exit_code = 2


class LazyGroup(click.Group):
    def invoke(self, ctx: click.Context) -> object:
        from ..errors import ConfigError  # not from fragments: most commands need no toml
        from ..schemas import SchemaError

        try:
            return super().invoke(ctx)
        except (SchemaError, ConfigError) as exc:
            raise BrokenSetup(str(exc)) from exc

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # from the table: importing every command (towncrier, jinja2, astropy) to print
        # one line each would make --help the slowest command of all
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in self.list_commands(ctx)])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module_name, attr = COMMANDS[name][0].split(":")
        try:
            module = importlib.import_module(f"{__name__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.startswith(__name__):
                return None  # the command is not part of this installation yet
            raise
        command = getattr(module, attr, None)
        return command if isinstance(command, click.Command) else None


#: How problems are printed; defined once, stacked on every command that reports problems.
problem_format = click.option(
    "--format",
    "report",
    type=click.Choice(sorted(REPORTERS)),
    default="text",
    show_default=True,
    help="text: one problem per line; json: a document; github: Actions annotations.",
)


#: commands that only read the data: they may use the packaged snapshot outside a checkout
READ_ONLY = frozenset({"affects", "info", "notes", "operations", "scan", "show", "validate"})


class Settings:
    def __init__(self, root: Path | None, command: str | None = None) -> None:
        self._root = root
        self._command = command
        self._found: DataRoot | None = None

    @property
    def data(self) -> DataRoot:
        """The data root and how it was found: --root, $JWST_BUILDS_ROOT, the checkout around
        the current folder, or (for commands that only read) the packaged snapshot."""
        if self._found is None:
            fallback = self._command is None or self._command in READ_ONLY
            try:
                self._found = resolve(self._root, fallback=fallback)
            except DataRootError as exc:
                message = str(exc)
                if not fallback and message.startswith("no jwst-builds data here"):
                    message = message.replace(
                        "no jwst-builds data here",
                        f"no jwst-builds checkout here ({self._command} changes a checkout's "
                        "files, never the packaged snapshot)",
                        1,
                    )
                raise click.UsageError(message) from exc
        return self._found

    @property
    def root(self) -> Path:
        return self.data.path


def _show_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    from .info import version_text

    click.echo(version_text())
    ctx.exit()


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Data root (a jwst-builds checkout). Default: $JWST_BUILDS_ROOT, else the checkout "
    "around the current folder, else the data packaged with jwst-builds.",
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and which data are in use, then exit.",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """JWST calibration-pipeline builds, releases and known issues, as checked data."""
    ctx.obj = Settings(root, ctx.invoked_subcommand)


def _terminated(signum: int, _frame: object) -> None:
    # Unwind instead of dying at once, so that temporary files are removed on the way out.
    raise SystemExit(128 + signum)


def main() -> None:
    signal.signal(signal.SIGTERM, _terminated)
    try:
        try:
            cli.main(prog_name="jwst-builds", standalone_mode=True)
        finally:
            sys.stdout.flush()  # here, not at exit, so that a failure is reported below
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        # stdout could not take the output: a full disk, a closed pipe. Say so once,
        # and stop Python from trying (and failing) to flush it again at exit.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        click.echo(f"error: cannot write the output: {exc.strerror or exc}", err=True)
        sys.exit(1)
