"""How long work says how far it has come: called with (done, total, what it is doing);
a total of 0 when the end cannot be known yet. The window shows it in a progress dialog,
the command line on its standard error."""

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
