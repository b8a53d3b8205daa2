"""The reader: one transformer decides which ordered pairs of states a sentence holds a statement
or act between, and its tone, from the candidates the rule extractor proposes.

The encoder reads each unit (a sentence with the one before it) once, with every state mention
marked; a small head reads every ordered pair of the unit's states from their pooled vectors.

Modules: ``candidates`` (the rules' state mentions -> ordered pairs; no torch), ``model``
(:class:`Reader`: load, save, read; :class:`ReaderStage`: the reader as the pipeline's extract
stage), ``net`` (the torch network, imported on first use), ``engine`` (what runs it: ONNX
Runtime or torch; no torch), ``export`` (building and checking the ONNX files) and ``accurate``
(installing the accurate reader's encoder from its packages). Training is the workbench's
(:mod:`tracker.lab.reader_train`, :mod:`tracker.lab.distill`).
"""
from tracker.reader.model import Reader, ReaderStage, Unit

__all__ = ["Reader", "ReaderStage", "Unit"]
