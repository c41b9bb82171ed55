"""The `desk` command: its parser, one module per group of commands, and the terminal
printer. Qt only for the window.

`main` is the entry point (`desk = "desk.cli:main"`); it starts the window or one
command, and imports neither until it knows which."""

from desk.cli.main import main

__all__ = ["main"]
