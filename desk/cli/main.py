"""The `desk` command: the window when no command is given, else one command.

Every change the window can make to records, a command can make too (`desk.cli_commands`
holds them). Starting the window parses only the options it takes and imports none of
the commands, so the window's first paint does not wait for them; and a command never
imports Qt, so scripted use starts fast and works on machines without a display.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path

from desk.cli.terminal import PrintableStream
from desk.cli.window import open_window
from desk.core.errors import DeskError
from desk.core.paths import default_db_path


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        import multiprocessing

        # Started as a frozen build's worker process: run the worker (see desk/jobs.py).
        multiprocessing.freeze_support()
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = PrintableStream(out), PrintableStream(err)
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    finally:
        sys.stdout, sys.stderr = out, err


def global_options(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    """`--db FILE` and `--read-only` wherever they are on the line (`desk --db F list
    contacts` and `desk list contacts --db F` alike), and the rest of the line."""
    quick = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    quick.add_argument("--db", type=Path, default=None)
    quick.add_argument("--read-only", action="store_true")
    return quick.parse_known_args(argv)


def _main(argv: list[str]) -> int:
    if argv == ["--self-test"]:
        from desk.cli import self_test

        return self_test.run()
    try:
        options, rest = global_options(argv)
    except argparse.ArgumentError as exc:  # "--db" with nothing after it
        from desk.cli.commands import parser

        parser().error(str(exc))
    # Only the window's options: straight to the window, without the commands' parser.
    window = rest in ([], ["gui"])
    args = options
    if not window:
        from desk.cli.commands import parser

        args = parser().parse_args(rest)
        args.db = options.db or args.db
        args.read_only = options.read_only or args.read_only
        window = args.command in (None, "gui")
    # The file itself, not a symlink's name: its log, lock and backups are beside it.
    path = Path(os.path.realpath((args.db or default_db_path()).expanduser()))
    # A path the user named ($DESK_DB too) must exist; only the default one is made.
    named = args.db is not None or bool(os.environ.get("DESK_DB"))
    try:
        if window:
            return open_window(path, args.read_only)
        from desk.cli.commands import run

        return run(args, path, named_db=named)
    except DeskError as exc:
        print(f"desk: {exc}", file=sys.stderr)
        return 1
    except sqlite3.DatabaseError as exc:
        # Tables or pages missing under a command that needs them: the file is damaged.
        from desk.core.safety import crash

        crash.write_log(exc)
        print(
            f"desk: {path} is damaged or incomplete (SQLite says: {exc}); nothing was "
            "changed. 'desk check' says what is wrong and 'desk check --repair' mends it.",
            file=sys.stderr,
        )
        return 1
    except BrokenPipeError:  # output piped to a reader that stopped, like `| head`
        return 0
    except OSError as exc:
        from desk.core.disk.files import explain

        where = exc.filename if exc.filename is not None else path
        print(f"desk: {explain(exc, where)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("desk: stopped. Nothing was half-written.", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defense: a sentence, never a traceback
        from desk.core.safety import crash

        print(f"desk: {crash.one_line(exc, crash.write_log(exc))}", file=sys.stderr)
        return 70
