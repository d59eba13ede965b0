"""The recipe that trains the project's small FastConformer-TDT test model (see models/training/README.md).

Training tooling only: the app never imports this package.
"""

from typing import Any, TypeAlias

#: A ``torch.Tensor`` in the recipes' signatures. Not imported, even for type
#: checking: torch is imported where the recipes compute, so no module of the project imports it at
#: module level (core.nemo is the app's one adapter package for it).
Tensor: TypeAlias = Any
