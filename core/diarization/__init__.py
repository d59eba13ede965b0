"""Who spoke when: the diarizer contract, word-to-speaker assignment and the error rate it is measured by.

Nothing here imports torch or NeMo; the Sortformer adapter lives in `core.nemo.sortformer`, which
depends on this package, never the other way.
"""
