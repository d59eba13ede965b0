"""The encrypted chunked audio store: round trips, random access, and every kind of tampering."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.audio.blobs import HEADER_SIZE, TAG, BlobCorrupt, BlobReader, BlobWriter, recover_unfinished

KEY = bytes(range(32))
CHUNK = 64


def write_blob(path: Path, data: bytes, *, rid: str = "rec-1", key: bytes = KEY, chunk: int = CHUNK) -> Path:
    with BlobWriter(path, key, recording_id=rid, chunk_size=chunk) as writer:
        for i in range(0, len(data), 50):  # writes that do not line up with chunks
            writer.write(data[i : i + 50])
    return path


def read_blob(path: Path, *, rid: str = "rec-1", key: bytes = KEY) -> bytes:
    with BlobReader(path, key, recording_id=rid) as reader:
        return reader.read_at(0, reader.size)


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK, 3 * CHUNK + 17])
def test_round_trip(tmp_path: Path, size: int) -> None:
    data = os.urandom(size)
    path = write_blob(tmp_path / "a.vsb", data)
    assert read_blob(path) == data
    chunks = max(1, -(-size // CHUNK)) + (1 if size and size % CHUNK == 0 else 0)
    assert path.stat().st_size == HEADER_SIZE + size + chunks * TAG


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=600), offset=st.integers(0, 700), length=st.integers(0, 700))
def test_random_access_matches_the_plaintext(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, offset: int, length: int
) -> None:
    path = write_blob(tmp_path_factory.mktemp("b") / "a.vsb", data)
    with BlobReader(path, KEY, recording_id="rec-1") as reader:
        assert reader.size == len(data)
        assert reader.read_at(offset, length) == data[offset : offset + length]
        reader.seek(offset)
        assert reader.read(length) == data[offset : offset + length]


def test_is_a_file_object_for_decoders(tmp_path: Path) -> None:
    data = os.urandom(1000)
    path = write_blob(tmp_path / "a.vsb", data)
    with BlobReader(path, KEY, recording_id="rec-1") as raw:
        buffered = io.BufferedReader(raw, buffer_size=100)
        assert buffered.read() == data
        raw.seek(-10, io.SEEK_END)
        assert raw.read() == data[-10:]


def test_no_plaintext_in_the_file(tmp_path: Path) -> None:
    data = b"the patient said her number is 555 0100. " * 20
    path = write_blob(tmp_path / "a.vsb", data)
    raw = path.read_bytes()
    assert b"patient" not in raw and b"555" not in raw


def test_every_flipped_bit_is_detected(tmp_path: Path) -> None:
    data = os.urandom(2 * CHUNK + 10)
    good = write_blob(tmp_path / "a.vsb", data).read_bytes()
    for pos in range(len(good)):
        bad = bytearray(good)
        bad[pos] ^= 0x01
        (tmp_path / "a.vsb").write_bytes(bytes(bad))
        with pytest.raises(BlobCorrupt):
            read_blob(tmp_path / "a.vsb")


def test_every_truncation_is_detected(tmp_path: Path) -> None:
    good = write_blob(tmp_path / "a.vsb", os.urandom(3 * CHUNK)).read_bytes()
    for cut in range(len(good)):
        (tmp_path / "a.vsb").write_bytes(good[:cut])
        with pytest.raises(BlobCorrupt):
            read_blob(tmp_path / "a.vsb")


def test_reordered_chunks_are_detected(tmp_path: Path) -> None:
    good = write_blob(tmp_path / "a.vsb", os.urandom(3 * CHUNK + 5)).read_bytes()
    stride = CHUNK + TAG
    head, c0, c1, rest = (
        good[:HEADER_SIZE],
        good[16 : 16 + stride],
        good[16 + stride : 16 + 2 * stride],
        good[16 + 2 * stride :],
    )
    (tmp_path / "a.vsb").write_bytes(head + c1 + c0 + rest)
    with pytest.raises(BlobCorrupt, match="chunk 0"):
        read_blob(tmp_path / "a.vsb")


def test_chunks_cannot_move_between_recordings_or_blobs(tmp_path: Path) -> None:
    data = os.urandom(2 * CHUNK)
    one = write_blob(tmp_path / "one.vsb", data, rid="rec-1")
    # same key, another recording id: refused
    with pytest.raises(BlobCorrupt):
        read_blob(one, rid="rec-2")
    # same key and id, another blob name (another blob of the same recording): refused
    (tmp_path / "two.vsb").write_bytes(one.read_bytes())
    with pytest.raises(BlobCorrupt):
        read_blob(tmp_path / "two.vsb")
    # a chunk spliced in from another recording's blob: refused
    other = write_blob(tmp_path / "other.vsb", os.urandom(2 * CHUNK), rid="rec-2").read_bytes()
    mixed = bytearray(one.read_bytes())
    mixed[16 : 16 + CHUNK + TAG] = other[16 : 16 + CHUNK + TAG]
    one.write_bytes(bytes(mixed))
    with pytest.raises(BlobCorrupt):
        read_blob(one)
    # the wrong key: refused
    with pytest.raises(BlobCorrupt):
        read_blob(write_blob(tmp_path / "k.vsb", data), key=bytes(32))


def test_abort_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError), BlobWriter(tmp_path / "a.vsb", KEY, recording_id="r", chunk_size=CHUNK) as w:
        w.write(os.urandom(500))
        raise RuntimeError("import failed half-way")
    assert list(tmp_path.iterdir()) == []


def test_recover_keeps_whole_chunks_and_drops_a_torn_tail(tmp_path: Path) -> None:
    data = os.urandom(5 * CHUNK)
    path = tmp_path / "a.vsb"
    writer = BlobWriter(path, KEY, recording_id="rec-1", chunk_size=CHUNK, sync=True)
    writer.write(data[: 3 * CHUNK + 20])  # three whole chunks on disk, 20 bytes still buffered
    os.close(writer._fd)  # the process "dies": no final chunk
    with open(path, "ab") as fh:
        fh.write(os.urandom(30))  # and a torn, half-written chunk
    with pytest.raises(BlobCorrupt, match=r"end is missing|truncated|altered"):
        read_blob(path)
    assert recover_unfinished(path, KEY, recording_id="rec-1") == 3 * CHUNK
    assert read_blob(path) == data[: 3 * CHUNK]
    # recovering a sealed blob changes nothing
    before = path.read_bytes()
    assert recover_unfinished(path, KEY, recording_id="rec-1") == 3 * CHUNK
    assert path.read_bytes() == before


WRITER = """
import os, sys
from pathlib import Path
from core.audio.blobs import BlobWriter
w = BlobWriter(Path(sys.argv[1]), bytes(range(32)), recording_id="live", chunk_size=4096, sync=True)
n = 0
while True:
    w.write(bytes([n % 251]) * 4096)  # one whole chunk, fsynced
    n += 1
    print(n, flush=True)
"""


def test_kill_9_while_writing_keeps_every_synced_chunk(tmp_path: Path) -> None:
    path = tmp_path / "live.vsb"
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=repo)
    assert proc.stdout is not None
    for _ in range(200):
        last = int(proc.stdout.readline())
    os.kill(proc.pid, signal.SIGKILL)
    last = max([last, *(int(line) for line in proc.stdout.read().split())])
    proc.wait()
    kept = recover_unfinished(path, KEY, recording_id="live")
    assert kept >= last * 4096  # every chunk reported as written is there
    data = read_blob(path, rid="live")
    assert data == b"".join(bytes([n % 251]) * 4096 for n in range(kept // 4096))


# -- each kind of damage gets its own message (issue 22) ------------------------------------------------


def test_a_flipped_byte_a_swapped_blob_and_a_cut_file_each_say_what_happened(tmp_path: Path) -> None:
    data = os.urandom(3 * CHUNK + 5)
    good = write_blob(tmp_path / "a.vsb", data).read_bytes()
    stride = CHUNK + TAG
    flipped = bytearray(good)
    flipped[HEADER_SIZE + stride + 7] ^= 0x01  # inside chunk 1
    (tmp_path / "a.vsb").write_bytes(bytes(flipped))
    with pytest.raises(BlobCorrupt, match="chunk 1 was altered"):
        read_blob(tmp_path / "a.vsb")
    flipped = bytearray(good)
    flipped[-3] ^= 0x01  # inside the final chunk
    (tmp_path / "a.vsb").write_bytes(bytes(flipped))
    with pytest.raises(BlobCorrupt, match="its last chunk was altered"):
        read_blob(tmp_path / "a.vsb")
    (tmp_path / "a.vsb").write_bytes(good[: HEADER_SIZE + 2 * stride])  # cut at a chunk's edge
    with pytest.raises(BlobCorrupt, match="the end is missing: the file was cut short after chunk 1"):
        read_blob(tmp_path / "a.vsb")
    (tmp_path / "a.vsb").write_bytes(good[:5])
    with pytest.raises(BlobCorrupt, match="truncated"):
        read_blob(tmp_path / "a.vsb")
    other = write_blob(tmp_path / "other.vsb", os.urandom(3 * CHUNK), rid="rec-2").read_bytes()
    (tmp_path / "a.vsb").write_bytes(other)  # another recording's blob, renamed into place
    with pytest.raises(BlobCorrupt, match="not this recording's audio: another file was put in its place"):
        read_blob(tmp_path / "a.vsb")
