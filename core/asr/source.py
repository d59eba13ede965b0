"""A recording's encrypted 16 kHz PCM blob as an `AudioSource`.

Samples are decrypted a range at a time, straight into memory, so a 3-hour recording never sits in
memory whole and never touches the disk in plaintext. The reader stays owned by whoever opened it.
"""

from __future__ import annotations

import numpy as np

from core.audio.blobs import BlobReader
from core.audio.importer import BYTES_PER_SAMPLE

#: What the importer and the capture path write: float32, little-endian, mono, 16 kHz.
_PCM = np.dtype("<f4")


class BlobSource:
    def __init__(self, reader: BlobReader) -> None:
        self._reader = reader

    @property
    def num_samples(self) -> int:
        return self._reader.size // BYTES_PER_SAMPLE

    def read(self, start: int, count: int) -> np.ndarray:
        """Up to ``count`` samples from ``start``; fewer at the end, none past it."""
        if start < 0 or count < 0:
            raise ValueError("start and count must not be negative")
        data = self._reader.read_at(start * BYTES_PER_SAMPLE, count * BYTES_PER_SAMPLE)
        usable = len(data) - len(data) % BYTES_PER_SAMPLE
        return np.frombuffer(data[:usable], dtype=_PCM).astype(np.float32)
