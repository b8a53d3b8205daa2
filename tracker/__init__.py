"""tracker: directed country-to-country statements, their tone, and a relationship index.

Importing the package is cheap: torch and transformers load only when a model is first needed.
"""
from tracker import speedups as _speedups

__version__ = "0.1.0"
# Extraction's hot modules come from their compiled copies when these match the source
# (see tracker/speedups.py); the import itself changes nothing else.
_speedups.install()
