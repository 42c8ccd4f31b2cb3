"""The reliability suite's checks; `../run.py` runs them in order."""
