"""`jwst-builds notes [BUILD]`: release notes compiled from changes/<build>/ by towncrier."""

from __future__ import annotations

from pathlib import Path

import click

from ..report import text as report_text
from . import Settings


@click.command()
@click.argument("build", required=False)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the notes of BUILD to this file instead of stdout.",
)
@click.option(
    "--output-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Write one file per build, <DIR>/<build>.md (created if missing).",
)
@click.pass_obj
def notes(
    settings: Settings, build: str | None, output: Path | None, output_dir: Path | None
) -> None:
    """Compile the release notes of BUILD, such as 10.2, from its fragments.

    Without BUILD, compile every build that has fragments, newest first.
    The header comes from builds/BUILD.yaml, the known issues from issues/;
    fragments are only read. Exit 0 ok, 1 problems in the data, 2 usage.
    """
    from .. import fragments
    from .. import notes as notes_mod

    if output is not None and output_dir is not None:
        raise click.UsageError("use either --output (one build) or --output-dir, not both")
    if output is not None and build is None:
        raise click.UsageError("--output needs a BUILD; use --output-dir DIR for every build")
    root = settings.root
    try:
        if build is not None:
            rendered = {build: notes_mod.render(root, build)}
        else:
            rendered = notes_mod.render_all(root)
    except notes_mod.UnknownBuild as exc:
        raise click.UsageError(str(exc)) from exc
    except fragments.ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except notes_mod.NotesError as exc:
        click.echo(report_text(exc.problems), err=True)
        click.echo("fix these problems first (jwst-builds validate lists them all)", err=True)
        raise SystemExit(1) from exc
    if not rendered:
        click.echo("no build has fragments under changes/", err=True)
        return
    if output is not None:
        _write(output, rendered[build or ""])
    elif output_dir is not None:
        for build_id, text in rendered.items():
            _write(output_dir / f"{build_id}.md", text)
    else:
        click.echo("\n".join(rendered.values()), nl=False)


def _write(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.UsageError(f"cannot write {path}: {exc.strerror}") from exc
    click.echo(f"wrote {path}", err=True)
