"""`make bench`: how fast the API is at 1,000 and 10,000 news items (see bench/run.py)."""
