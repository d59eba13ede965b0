"""The recipe that trains the project's small FastConformer-TDT test model (see models/training/README.md).

Training tooling only: the app never imports this package.
"""
