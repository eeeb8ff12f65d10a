"""The `whosaid` command: a thin layer over archive/ and index/ for scripted use.

Exit codes: 0 success; 1 nothing found; 2 usage error; 3 index problem
(missing, incompatible, locked); 4 spaCy pipeline problem; 5 Dask cluster
problem; 70 internal error.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import replace
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

import click
import orjson

from archive import DEFAULT_MODEL
from archive.cluster import ClusterError
from archive.nlp import ModelError
from index.types import (
    SearchIndex,
    SearchRequest,
    SearchResult,
    SortOrder,
    Target,
    WhosaidIndexError,
)
from tui import render

EXIT_OK, EXIT_NOT_FOUND, EXIT_USAGE, EXIT_INDEX, EXIT_MODEL, EXIT_CLUSTER = 0, 1, 2, 3, 4, 5
EXIT_INTERNAL = 70
DEFAULT_INDEX = ".whosaid/index"

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str, code: int) -> None:
    click.echo(f"whosaid: error: {message}", err=True)
    sys.exit(code)


def friendly_errors(func: F) -> F:
    """Turn the errors a user can act on into one line and an exit code, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except WhosaidIndexError as exc:
            fail(str(exc), EXIT_INDEX)
        except ModelError as exc:
            fail(str(exc), EXIT_MODEL)
        except ClusterError as exc:
            fail(str(exc), EXIT_CLUSTER)
        except BrokenPipeError:
            os._exit(EXIT_OK)  # `whosaid ... | head`: the reader left, which is fine
        except KeyboardInterrupt:
            fail("interrupted", 130)
        except OSError as exc:
            fail(f"{exc.filename or ''}: {exc.strerror or exc}".lstrip(": "), EXIT_INTERNAL)

    return cast(F, wrapper)


index_option = click.option(
    "--index",
    "index_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_INDEX,
    envvar="WHOSAID_INDEX",
    show_default=True,
    help="Index folder (env WHOSAID_INDEX).",
)
model_option = click.option(
    "--model",
    default=DEFAULT_MODEL,
    show_default=True,
    help="spaCy pipeline: an installed package name or a pipeline folder.",
)
processes_option = click.option(
    "--processes",
    type=click.IntRange(1, 64),
    default=max(1, min(os.cpu_count() or 1, 8)),
    show_default="all cores, at most 8",
    help="Worker processes for extraction.",
)


def _open(index_dir: Path) -> SearchIndex:
    from index.search import open_index

    return open_index(index_dir)


def _dump(obj: Any) -> None:
    sys.stdout.buffer.write(orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS) + b"\n")


@contextmanager
def _progress_bars() -> Iterator[Any]:
    """Rich progress on stderr when it is a terminal; silent otherwise (scripts, CI)."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from index.rebuild import Progress as BuildProgress

    console = Console(stderr=True)
    bars = Progress(
        SpinnerColumn(),
        TextColumn("{task.description:<11}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        disable=not console.is_terminal,
        transient=False,
    )

    class Bars(BuildProgress):
        def __init__(self) -> None:
            self.tasks: dict[str, Any] = {}

        def stage(self, name: str, total: int | None) -> None:
            self.tasks[name] = bars.add_task(name, total=total)

        def advance(self, name: str, amount: int = 1) -> None:
            if name in self.tasks:
                bars.advance(self.tasks[name], amount)

        def waiting(self, message: str) -> None:
            click.echo(f"whosaid: {message}", err=True)

    with bars:
        yield Bars()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="whosaid")
def cli() -> None:
    """Search news articles and who said what in them."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@index_option
@model_option
@processes_option
@click.option("--batch-size", type=click.IntRange(1, 1000), default=8, show_default=True)
@click.option("--wait", is_flag=True, help="Wait for another build on this index to finish.")
@click.option("--no-cache", is_flag=True, help="Re-run NLP on every article.")
@click.option(
    "--cluster",
    metavar="ADDRESS",
    help="Run extraction on an existing Dask cluster (scheduler address).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@friendly_errors
def build(
    paths: tuple[Path, ...],
    index_dir: Path,
    model: str,
    processes: int,
    batch_size: int,
    wait: bool,
    no_cache: bool,
    cluster: str | None,
    as_json: bool,
) -> None:
    """Ingest PATHS (files or folders), extract quotes and (re)build the index.

    The live index is replaced atomically at the end; unchanged articles reuse
    cached extractions. Rejected inputs are listed in errors.jsonl in the index.
    """
    from archive.pipeline import ExtractOptions
    from index.rebuild import build_archive

    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder", EXIT_NOT_FOUND)
    options = ExtractOptions(model=model, processes=processes, batch_size=batch_size)
    with ExitStack() as stack:
        submit = None
        if cluster:
            from archive.cluster import dask_submitter

            submit = stack.enter_context(dask_submitter(cluster, model))
            # keep every cluster thread busy: the window of batches in flight scales with this
            options = replace(options, processes=max(processes, submit.threads))
        progress = stack.enter_context(_progress_bars())
        report = build_archive(
            paths,
            index_dir,
            options=options,
            progress=progress,
            lock_timeout=None if wait else 0,
            use_cache=not no_cache,
            submit=submit,
        )
    if as_json:
        _dump(render.build_report_dict(report))
    else:
        for rejection in report.rejections[:20]:
            where = f"{rejection.source}:{rejection.line}" if rejection.line else rejection.source
            click.echo(f"skipped {where}: {rejection.reason}", err=True)
        if len(report.rejections) > 20:
            click.echo(f"... and more in {report.errors_path}", err=True)
        click.echo(render.build_summary(report))
    if report.articles == 0:
        sys.exit(EXIT_NOT_FOUND)


@cli.command()
@index_option
@click.option("--wait", is_flag=True, help="Wait for another build on this index to finish.")
@friendly_errors
def reindex(index_dir: Path, wait: bool) -> None:
    """Rebuild the index from stored extraction records, without NLP."""
    from index.rebuild import reindex as run_reindex

    with _progress_bars() as progress:
        stats = run_reindex(index_dir, progress=progress, lock_timeout=None if wait else 0)
    click.echo(
        f"reindexed {stats.articles} articles, {stats.quotes} quotes, "
        f"{stats.speakers} speakers into {stats.path}"
    )


def _request(query: str, target: str, options: dict[str, Any]) -> SearchRequest:
    """The search the shared filter options describe (see `filter_options`)."""
    return SearchRequest(
        text=query,
        target=cast(Target, target),
        speakers=tuple(options["speaker"]),
        outlets=tuple(options["outlet"]),
        topics=tuple(options["topic"]),
        date_from=options["date_from"],
        date_to=options["date_to"],
        sort=cast(SortOrder, options["sort"]),
        limit=int(options["limit"]),
    )


def _run_search(index_dir: Path, request: SearchRequest, options: dict[str, Any]) -> None:
    index = _open(index_dir)
    try:
        if request.speakers and not any(index.find_speakers(n) for n in request.speakers):
            names = ", ".join(repr(n) for n in request.speakers)
            fail(f"no speaker matches {names}", EXIT_NOT_FOUND)
        result = index.search(request)
    finally:
        index.close()
    _print_result(result, options["as_json"], options["as_jsonl"])


def filter_options(func: F) -> F:
    for option in reversed(
        [
            click.option("--speaker", "-s", multiple=True, help="Speaker name or id; repeatable."),
            click.option("--outlet", "-o", multiple=True, help="Outlet; repeatable."),
            click.option("--topic", "-t", multiple=True, help="Topic; repeatable."),
            click.option(
                "--from", "date_from", metavar="DATE", help="On or after (yyyy[-mm[-dd]])."
            ),
            click.option("--to", "date_to", metavar="DATE", help="On or before this date."),
            click.option(
                "--sort",
                type=click.Choice(["relevance", "date", "date_asc"]),
                default="relevance",
                show_default=True,
            ),
            click.option(
                "--limit", "-n", type=click.IntRange(1, 10_000), default=20, show_default=True
            ),
            click.option(
                "--json", "as_json", is_flag=True, help="One JSON object: hits and facets."
            ),
            click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per hit."),
        ]
    ):
        func = option(func)
    return func


def _print_result(result: SearchResult, as_json: bool, as_jsonl: bool) -> None:
    if as_json:
        _dump(render.result_dict(result))
    elif as_jsonl:
        for row in render.hit_dicts(result):
            _dump(row)
    else:
        click.echo(render.result_text(result, color=sys.stdout.isatty()))
    if result.total == 0:
        sys.exit(EXIT_NOT_FOUND)


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@filter_options
@click.option("--quotes", "-q", "quotes_only", is_flag=True, help="Search quotes, not articles.")
@friendly_errors
def search(query: str, index_dir: Path, quotes_only: bool, **options: Any) -> None:
    """Search articles (or quotes with --quotes); QUERY takes Whoosh syntax or plain words."""
    target = "quotes" if quotes_only else "articles"
    _run_search(index_dir, _request(query, target, options), options)


@cli.command()
@click.argument("query", required=False, default="")
@index_option
@filter_options
@friendly_errors
def quotes(query: str, index_dir: Path, **options: Any) -> None:
    """Find quotes, e.g. `whosaid quotes --speaker kirby` (accent- and surname-tolerant)."""
    _run_search(index_dir, _request(query, "quotes", options), options)


@cli.command()
@click.argument("name", required=False)
@index_option
@click.option("--limit", "-n", type=click.IntRange(1, 1_000_000), default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="A JSON array of speakers.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per speaker.")
@friendly_errors
def speakers(name: str | None, index_dir: Path, limit: int, as_json: bool, as_jsonl: bool) -> None:
    """List canonical speakers with kind, quote counts and aliases; NAME narrows the list."""
    index = _open(index_dir)
    try:
        found = index.find_speakers(name) if name else index.speakers()
    finally:
        index.close()
    found = found[:limit]
    if as_json:
        _dump([render.speaker_dict(s) for s in found])
    elif as_jsonl:
        for speaker in found:
            _dump(render.speaker_dict(speaker))
    else:
        click.echo(render.speakers_text(found))
    if not found:
        sys.exit(EXIT_NOT_FOUND)


@cli.command()
@click.argument("article_id")
@index_option
@click.option("--json", "as_json", is_flag=True, help="The article and its quotes as JSON.")
@friendly_errors
def show(article_id: str, index_dir: Path, as_json: bool) -> None:
    """Print one article with its quotes marked and attributed."""
    index = _open(index_dir)
    try:
        view = index.article(article_id)
    finally:
        index.close()
    if view is None:
        fail(f"no article with id {article_id!r} (see `whosaid search`)", EXIT_NOT_FOUND)
        return
    if as_json:
        _dump(render.article_view_dict(view))
    else:
        click.echo(render.article_text(view, color=sys.stdout.isatty()))


@cli.command()
@index_option
@click.option("--json", "as_json", is_flag=True)
@friendly_errors
def stats(index_dir: Path, as_json: bool) -> None:
    """Counts and versions of the live index."""
    index = _open(index_dir)
    try:
        info = index.stats()
    finally:
        index.close()
    if as_json:
        _dump(info)
    else:
        click.echo(render.stats_text(info))


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@model_option
@processes_option
@click.option("--jsonl", "as_jsonl", is_flag=True, help="One JSON object per quote (default).")
@click.option("--all", "include_all", is_flag=True, help="Include quoted text that is not speech.")
@friendly_errors
def extract(
    paths: tuple[Path, ...], model: str, processes: int, as_jsonl: bool, include_all: bool
) -> None:
    """Extract quotes from PATHS without touching an index; JSONL on stdout.

    Fields: article, source, quote, start, end, speaker, speaker_mention,
    speaker_id, kind, cue, how, speech (plus outlet, date, topics).
    """
    from archive.collect import collect
    from archive.export import quote_rows
    from archive.pipeline import ExtractOptions
    from archive.records import read_records
    from archive.speakers import SpeakerDirectory

    for path in paths:
        if not path.exists():
            fail(f"{path}: no such file or folder", EXIT_NOT_FOUND)
    options = ExtractOptions(model=model, processes=processes)
    with tempfile.TemporaryDirectory(prefix="whosaid-extract-") as tmp:
        records = Path(tmp) / "records"
        report = collect(paths, records, options=options)
        for rejection in report.rejections:
            where = f"{rejection.source}:{rejection.line}" if rejection.line else rejection.source
            click.echo(f"skipped {where}: {rejection.reason}", err=True)
        directory = SpeakerDirectory()
        for extraction in read_records(records):
            directory.add(extraction)
        by_id = {s.id: s for s in directory.speakers()}
        for extraction in read_records(records):
            for row in quote_rows(extraction, directory.speaker_id, by_id):
                if include_all or row["speech"]:
                    _dump(row)
    if report.articles == 0:
        sys.exit(EXIT_NOT_FOUND)


@cli.command()
@index_option
@friendly_errors
def tui(index_dir: Path) -> None:
    """Open the terminal interface: search, facets, articles, speakers."""
    from tui.app import run_tui

    sys.exit(run_tui(index_dir))


def main(argv: Sequence[str] | None = None) -> int:
    """Console-script entry point; any unexpected error is one line, not a traceback."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="whosaid")
    except SystemExit as exc:
        return int(exc.code or 0) if not isinstance(exc.code, str) else EXIT_USAGE
    except Exception as exc:  # the last line of defence: a bug, reported briefly
        if os.environ.get("WHOSAID_DEBUG"):
            raise
        click.echo(
            f"whosaid: internal error: {type(exc).__name__}: {exc} "
            "(set WHOSAID_DEBUG=1 for a traceback)",
            err=True,
        )
        return EXIT_INTERNAL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
