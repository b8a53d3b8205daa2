"""tracker: directed country-to-country statements, their tone, and a relationship index.

Importing the package is cheap: torch and transformers load only when a model is first needed.
"""
__version__ = "0.1.0"


def open(db="tracker.db"):  # noqa: A001 - tracker.open, as in the README
    """A tracker database as DataFrames: ``tracker.open("tracker.db").index()``; see
    :class:`tracker.api.Tracker`."""
    from tracker.api import Tracker

    return Tracker(db)
