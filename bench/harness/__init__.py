"""The parts of `make bench`; `../run.py` is the entry point and holds the run itself."""
