"""Speech to text. `engine` is the contract; its NeMo adapter is `core.nemo.asr` (core.nemo is the only
package that imports torch or nemo)."""
