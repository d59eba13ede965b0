"""Who spoke when: the diarizer contract, word-to-speaker assignment and the error rate it is measured by.

Nothing here imports torch or NeMo; the Sortformer adapter lives in `core.asr.nemo_engine`.
"""
