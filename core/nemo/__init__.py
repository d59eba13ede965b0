"""The NeMo adapters: Parakeet speech recognition (`asr`) and Sortformer diarization (`sortformer`), with
what they share (`runtime`). The only modules in VaultScribe that import torch or nemo, inside functions
(import-linter keeps it so): they adapt NeMo's models to the core's contracts, `core.asr.engine.Engine`
and `core.diarization.types.Diarizer`, and depend on those packages, never the other way.
"""
