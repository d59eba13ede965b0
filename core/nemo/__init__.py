"""The NeMo adapters: Parakeet speech recognition (`asr`) and Sortformer diarization (`sortformer`), with
what they share (`runtime`). `runtime` is the only module in VaultScribe that imports torch or nemo, inside
functions (import-linter keeps it so; the adapters get torch from `restore_verified`). They adapt NeMo's
models to the core's contracts, `core.asr.engine.Engine` and `core.diarization.types.Diarizer`, and depend
on those packages, never the other way.
"""
