"""The workbench: training, evaluation, metrics, gold sets, the model card and the statements
corpus. The runtime never imports it; paths to data sets come in from its command line
(:mod:`tracker.lab.cli`)."""
