from desk.cli import main

# Guarded: a worker process started for long work imports this module again.
if __name__ == "__main__":
    raise SystemExit(main())
