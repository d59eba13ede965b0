"""The town gazetteer's recipe (models/training/places_gazetteer.py): its pickled input is read safely."""

from __future__ import annotations

import io
import os
import pickle

import pytest

from models.training.places_gazetteer import _everyday, _NoGlobals


def test_the_gazetteer_recipe_reads_its_word_list_without_running_code() -> None:
    """english-words ships its lists pickled: the recipe's unpickler builds strings and sets only, and a
    pickle that names any class or function (how a pickle runs code) is refused."""
    words = {"cairn", "toast", "bell"}
    assert _NoGlobals(io.BytesIO(pickle.dumps(words, protocol=4))).load() == words
    hostile = pickle.dumps(os.getcwd, protocol=4)  # unpickling it would look up a function
    with pytest.raises(SystemExit, match="refused"):
        _NoGlobals(io.BytesIO(hostile)).load()
    lowercase = frozenset(words)
    assert _everyday("cairns", lowercase) and _everyday("toast", lowercase) and _everyday("bells", lowercase)
    assert not _everyday("swindon", lowercase)
