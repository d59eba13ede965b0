"""Import an audio or video file: keep the original bytes encrypted, decode to 16 kHz mono float32.

The source is copied into an encrypted blob while its SHA-256 is computed;
decoding then reads that blob through a decrypting file object, so the audio
the vault holds is exactly the audio that was hashed, and no plaintext copy,
decoded or not, is written anywhere. Memory stays bounded: one chunk of the
source, one decrypted blob chunk and one decoded frame at a time.

The container is recognised by its content (FFmpeg probes the bytes; the
file name's extension is never consulted), and only the demuxers of real
audio/video containers are allowed: playlists and other formats that would
open further files or URLs are refused before they read anything.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from core.errors import BadInput
from core.progress import CancelToken, Progress, no_progress

SAMPLE_RATE_HZ = 16_000
BYTES_PER_SAMPLE = 4  # float32
READ_CHUNK = 1 << 20

#: FFmpeg demuxers for the formats we support: wav, flac, mp3, m4a/aac, ogg (vorbis, opus),
#: webm, the audio of mp4/mov/mkv, and a few recorder formats (aiff, caf, w64, wma, amr).
ALLOWED_DEMUXERS = "wav,w64,flac,mp3,aac,mov,mp4,m4a,3gp,3g2,mj2,ogg,matroska,webm,aiff,caf,asf,amr"


@dataclass(frozen=True)
class ImportLimits:
    max_bytes: int = 4 * 1000**3
    max_duration_s: float = 12 * 3600.0


@dataclass(frozen=True)
class ImportedRecording:
    id: str
    file: str
    duration_s: float
    sha256: str


@dataclass(frozen=True)
class DecodeResult:
    samples: int
    container: str
    codec: str

    @property
    def duration_s(self) -> float:
        return self.samples / SAMPLE_RATE_HZ


def check_source(path: Path, limits: ImportLimits) -> int:
    """Size checks before anything is written. Returns the size in bytes."""
    name = path.name
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise BadInput(f"{name}: the file does not exist.") from None
    except OSError as exc:
        raise BadInput(f"{name}: the file cannot be read ({exc.strerror}).") from None
    if not path.is_file():
        raise BadInput(f"{name}: not a file.")
    if size == 0:
        raise BadInput(f"{name}: the file is empty.")
    if size > limits.max_bytes:
        raise BadInput(f"{name}: the file is {size / 1e9:.1f} GB, over the {limits.max_bytes / 1e9:.0f} GB limit.")
    return size


def copy_and_hash(
    path: Path, write: Callable[[bytes], None], *, cancel: CancelToken | None = None, progress: Progress = no_progress
) -> str:
    """Stream the source into ``write`` (an encrypting blob) and return its SHA-256."""
    digest = hashlib.sha256()
    size = max(1, path.stat().st_size)
    done = 0
    try:
        with open(path, "rb") as fh:
            while block := fh.read(READ_CHUNK):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                digest.update(block)
                write(block)
                done += len(block)
                progress(min(1.0, done / size))
    except OSError as exc:
        raise BadInput(f"{path.name}: the file cannot be read ({exc.strerror}).") from None
    return digest.hexdigest()


def decode(
    source: IO[bytes],
    *,
    name: str,
    on_pcm: Callable[[bytes], None],
    limits: ImportLimits,
    cancel: CancelToken | None = None,
    progress: Progress = no_progress,
) -> DecodeResult:
    """Decode the first audio stream of ``source`` to 16 kHz mono float32, handing PCM to ``on_pcm``."""
    import av
    import numpy as np

    _check_riff_length(source, name)
    try:
        container = av.open(
            source,
            mode="r",
            container_options={"format_whitelist": ALLOWED_DEMUXERS, "protocol_whitelist": "none"},
        )
    except (av.FFmpegError, ValueError, OSError) as exc:
        raise BadInput(f"{name}: not an audio or video file VaultScribe can read.") from exc
    try:
        if not container.streams.audio:
            raise BadInput(f"{name}: the file has no audio stream.")
        stream = container.streams.audio[0]
        declared_s = _declared_duration_s(container, stream)
        if declared_s is not None and declared_s > limits.max_duration_s:
            raise BadInput(
                f"{name}: {_duration(declared_s)} of audio, over the {_duration(limits.max_duration_s)} limit."
            )
        # Resample with FFmpeg but keep the channels; the down-mix is ours (a plain mean),
        # since FFmpeg's adds channels at -3 dB each and can clip a loud stereo file.
        resampler = av.AudioResampler(format="fltp", rate=SAMPLE_RATE_HZ)
        max_samples = int(limits.max_duration_s * SAMPLE_RATE_HZ)
        # A length the format states exactly bounds the decode too, so a header that understates it (a
        # small file holding hours of silence) is refused after seconds, not after the 12-hour limit.
        exact_s = _exact_duration_s(container, stream)
        ceiling = max_samples if exact_s is None else min(max_samples, int((exact_s + _SLACK_S) * SAMPLE_RATE_HZ))
        samples = 0

        def emit(frames: list[Any]) -> None:
            nonlocal samples
            for out in frames:
                planes = out.to_ndarray()  # (channels, samples) float32
                pcm = planes.mean(axis=0, dtype=np.float32).astype("<f4").tobytes()
                samples += out.samples
                if samples > ceiling:
                    if exact_s is not None and ceiling < max_samples:
                        raise BadInput(
                            f"{name}: the file's header declares {exact_s:.1f} s of audio but holds more: it is "
                            "damaged or made to mislead, and was not imported."
                        )
                    raise BadInput(f"{name}: more than {_duration(limits.max_duration_s)} of audio, over the limit.")
                on_pcm(pcm)

        try:
            for frame in container.decode(stream):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                emit(resampler.resample(frame))
                if declared_s:
                    progress(min(1.0, samples / SAMPLE_RATE_HZ / declared_s))
            emit(resampler.resample(None))
        except av.FFmpegError as exc:
            raise BadInput(f"{name}: the audio is damaged and cannot be decoded ({_short(exc)}).") from exc
        if samples == 0:
            raise BadInput(f"{name}: the file contains no audio samples.")
        if declared_s and declared_s > 2.0 and samples / SAMPLE_RATE_HZ < 0.9 * declared_s:
            raise BadInput(
                f"{name}: the file is truncated: it declares {declared_s:.1f} s of audio "
                f"but only {samples / SAMPLE_RATE_HZ:.1f} s could be decoded."
            )
        return DecodeResult(samples, container.format.name, stream.codec_context.name)
    finally:
        container.close()


#: How far past a FLAC's stated length decoding may run (resampling rounds frame edges) before it is refused.
_SLACK_S = 1.0


def _exact_duration_s(container: Any, stream: Any) -> float | None:
    """The length a FLAC's STREAMINFO states in samples (exact by the format; 0 means unknown). Other
    formats' durations are estimates (an Ogg stream from FFmpeg's own encoder understates its length)."""
    if container.format.name != "flac" or stream.duration is None or stream.time_base is None or stream.duration <= 0:
        return None
    return float(stream.duration * stream.time_base)


def _declared_duration_s(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000
    return None


def _duration(seconds: float) -> str:
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} h"
    if seconds >= 60:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.1f} s"


def _check_riff_length(source: IO[bytes], name: str) -> None:
    """A WAV file cut short still decodes, so compare its RIFF length with the bytes there are."""
    head = source.read(12)
    total = source.seek(0, 2)
    source.seek(0)
    if len(head) == 12 and head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        declared = int.from_bytes(head[4:8], "little") + 8
        if declared not in (8, 0xFFFFFFFF + 8) and declared > total:
            raise BadInput(
                f"{name}: the file is truncated: its header declares {declared:,} bytes but only {total:,} are there."
            )


def _short(exc: Exception) -> str:
    return str(exc).split(":")[0][:80]


#: What a folder given for import contributes (a file named directly is always tried).
MEDIA_SUFFIXES = frozenset(
    {".wav", ".flac", ".mp3", ".m4a", ".aac", ".ogg", ".oga", ".opus", ".wma", ".aiff", ".aif"}
    | {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi"}
)


def expand_inputs(paths: Iterable[Path]) -> list[Path]:
    """Files as given, and the audio and video files inside folders (recursively, sorted), each once."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += [p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in MEDIA_SUFFIXES]
        else:
            found.append(path)
    return list(dict.fromkeys(found))
