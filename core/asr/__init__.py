"""Speech to text. `engine` is the contract; `nemo_engine` is the only module that imports torch or nemo."""
