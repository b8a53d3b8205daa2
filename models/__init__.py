"""The shipped models, installed as the package data ``tracker.models`` (one folder each,
with its card)."""
