import sys

from desk.cli.main import main

# Guarded: a worker process started for long work imports this module again.
if __name__ == "__main__":
    if getattr(sys, "frozen", False):
        import multiprocessing

        # In a frozen build the same executable is started for each worker process;
        # this makes such a start run the worker, not the command line.
        multiprocessing.freeze_support()
    raise SystemExit(main())
