"""tracker: directed country-to-country statements, their tone, and a relationship index.

Importing the package is cheap: torch and transformers load only when a model is first needed.
"""
__version__ = "0.1.0"
