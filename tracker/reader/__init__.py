"""The reader: one transformer decides which ordered pairs of states a sentence holds a statement
or act between, and its tone, from the candidates the rule extractor proposes.

Modules: ``candidates`` (the rules' state mentions -> ordered pairs; no torch), ``model``
(:class:`Reader`: load, save, read; :class:`ReaderStage`: the reader as the pipeline's extract
stage) and ``net`` (the torch network, imported on first use). Training is the workbench's
(:mod:`tracker.lab.reader_train`).
"""
from tracker.reader.model import Reader, ReaderStage, Unit

__all__ = ["Reader", "ReaderStage", "Unit"]
