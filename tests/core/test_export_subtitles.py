"""SRT and VTT cues within common subtitle limits (Netflix Timed Text Style Guide, BBC Subtitle
Guidelines): at most 2 lines of 42 characters, 7 s at most, about 1 s at least, breaks at pauses,
speaker changes and punctuation. The files are read back by FFmpeg's own demuxers through PyAV."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from pathlib import Path

import av
import pytest

from core import export
from core.types import RecordingId, Redaction, Segment, Transcript, TranscriptId, Word
from tests.core.test_cli import PASS, Cli, FakeFactory, _keep_pytests_core_limit, imported_ids, vs  # noqa: F401

TID = TranscriptId("t1")
VOCAB = (
    "the", "patient", "reports", "mild", "pain", "since", "Tuesday", "and", "we", "discussed", "options",
    "for", "physiotherapy", "medication", "follow-up", "appointments", "in", "two", "weeks", "carefully",
)  # fmt: skip


@dataclass(frozen=True)
class Cue:
    start_ms: int
    end_ms: int
    raw: str  # the cue's text as in the file (VTT tags included)

    @property
    def lines(self) -> list[str]:
        return re.sub(r"<v [^>]*>", "", self.raw).replace("&lt;", "<").replace("&gt;", ">").replace(
            "&amp;", "&"
        ).split("\n")


def parse(path: Path) -> list[Cue]:
    """The cues FFmpeg's srt or webvtt demuxer finds in the file: times from the packets, raw text."""
    with av.open(str(path)) as container:
        stream = container.streams.subtitles[0]
        assert stream.time_base is not None
        scale = 1000 * stream.time_base
        cues = [Cue(int(p.pts * scale), int((p.pts + p.duration) * scale), bytes(p).decode("utf-8"))
                for p in container.demux(stream) if p.pts is not None]  # fmt: skip
    assert container.format.name in ("srt", "webvtt")
    return cues


def monologue(n: int = 400, seed: int = 7) -> Transcript:
    """`n` timed words in sentences of 3-25 words, with now and then a long pause or a long word; two
    speakers taking turns; one segment per ~20 words, as a recogniser gives them."""
    rng = random.Random(seed)
    words: list[Word] = []
    t, speaker, left = 0, "speaker_1", rng.randint(3, 25)
    for _ in range(n):
        w = rng.choice(VOCAB) if rng.random() > 0.01 else "pneumonoultramicroscopicsilicovolcanoconiosis-like"
        left -= 1
        if left == 0:
            w += rng.choice(".?!")
            left = rng.randint(3, 25)
        elif rng.random() < 0.08:
            w += ","
        dur = rng.randint(150, 700)
        words.append(Word(w, t, t + dur, speaker))
        t += dur + (rng.choice((1200, 2500)) if rng.random() < 0.05 else rng.randint(20, 250))
        if rng.random() < 0.03:
            speaker = "speaker_2" if speaker == "speaker_1" else "speaker_1"
    text = " ".join(w.text for w in words)
    segments = [Segment(" ".join(x.text for x in words[k : k + 20]), words[k].start_ms,
                                words[min(k + 20, n) - 1].end_ms) for k in range(0, n, 20)]  # fmt: skip
    return Transcript(TID, RecordingId("r1"), 1, "nemo", "m", text, tuple(words), "en", tuple(segments))


def check_limits(cues: list[Cue], transcript: Transcript) -> None:
    assert cues
    gaps = [(a.end_ms, b.start_ms) for a, b in zip(transcript.words, transcript.words[1:], strict=False)
            if b.start_ms - a.end_ms >= export.PAUSE_MS]  # fmt: skip
    for cue, after in zip(cues, [*cues[1:], None], strict=True):
        assert 1 <= len(cue.lines) <= 2, cue
        assert all(0 < len(line) <= 42 for line in cue.lines), cue
        assert cue.end_ms - cue.start_ms <= 7000, cue
        if after is not None:
            assert cue.end_ms <= after.start_ms, (cue, after)  # no overlap
            # at least 1 s, unless the next cue starts sooner: then it runs right up to it
            assert cue.end_ms - cue.start_ms >= 1000 or cue.end_ms == after.start_ms, (cue, after)
        else:
            assert cue.end_ms - cue.start_ms >= 1000
        # never across a pause, unless what comes before it is too short to stand alone
        assert all(g0 - cue.start_ms < 1000 and g1 - g0 < 1000 for g0, g1 in gaps
                   if cue.start_ms < g0 and g1 < cue.end_ms), cue  # fmt: skip


@pytest.mark.parametrize(("fmt", "seed"), [("srt", 7), ("vtt", 7), ("srt", 1), ("vtt", 2), ("srt", 3)])
def test_every_cue_of_a_long_diarized_transcript_is_within_the_limits(fmt: str, seed: int, tmp_path: Path) -> None:
    tr = monologue(seed=seed)
    path = tmp_path / f"a.{fmt}"
    path.write_text(export.render(fmt, tr, [], redacted=False, speakers={"speaker_2": "Dr Ames"}), "utf-8")

    cues = parse(path)

    check_limits(cues, tr)
    shown = " ".join(" ".join(c.lines) for c in cues)
    words_shown = re.sub(r"(Speaker 1|Dr Ames): ", "", shown) if fmt == "srt" else shown
    assert "".join(words_shown.split()) == "".join(tr.text.split())  # every word, in order, nothing else
    assert sum(len(c.lines) == 2 for c in cues) > 10  # two-line cues are used, not just short ones
    durations = sorted(c.end_ms - c.start_ms for c in cues)
    assert durations[len(durations) // 10] >= 1000  # short cues are the exception (a cue before a close one)


def test_a_speaker_change_starts_a_new_cue_with_the_name(tmp_path: Path) -> None:
    tr = monologue()
    srt = tmp_path / "a.srt"
    srt.write_text(export.render("srt", tr, [], redacted=False, speakers={"speaker_2": "Dr Ames"}), "utf-8")
    vtt = tmp_path / "a.vtt"
    vtt.write_text(export.render("vtt", tr, [], redacted=False, speakers={"speaker_2": "Dr Ames"}), "utf-8")

    for cue in parse(srt):
        assert cue.raw.startswith(("Speaker 1: ", "Dr Ames: ")) and cue.raw.count(": ") == 1
    voices = [re.findall(r"<v ([^>]*)>", cue.raw) for cue in parse(vtt)]
    assert all(len(v) == 1 for v in voices) and {v[0] for v in voices} == {"Speaker 1", "Dr Ames"}
    for cue in parse(vtt):  # each cue's words are one speaker's
        said = {w.speaker for w in tr.words if cue.start_ms <= w.start_ms and w.end_ms <= cue.end_ms}
        assert len(said) == 1
    redacted = export.render("srt", tr, [], redacted=True, speakers={"speaker_2": "Dr Ames"})
    assert "Ames" not in redacted and "Speaker 2: " in redacted


def test_cues_break_after_a_sentence_and_a_long_segment_is_split(tmp_path: Path) -> None:
    # The case: one 9.6 s segment of 80 characters, and two sentences that would fit one cue.
    text = "I have been feeling a lot better since we changed the dose. The nights are calm now too."
    words = text.split()
    step = 9600 // len(words)
    timed = tuple(Word(w, i * step, i * step + step - 40) for i, w in enumerate(words))
    tr = Transcript(TID, RecordingId("r1"), 1, "nemo", "m", text, timed, "en",
                            (Segment(text, 0, 9600),))  # fmt: skip
    path = tmp_path / "a.srt"
    path.write_text(export.render("srt", tr, [], redacted=False), "utf-8")

    cues = parse(path)

    check_limits(cues, tr)
    assert " ".join(cues[0].lines).endswith("changed the dose.")
    assert " ".join(cues[1].lines) == "The nights are calm now too."


def test_a_redaction_is_one_token_and_no_word_of_it_shows() -> None:
    text = "Please call Maria Gonzalez on Friday about the results."
    words = tuple(Word(w, i * 500, i * 500 + 400) for i, w in enumerate(text.split()))
    tr = Transcript(TID, RecordingId("r1"), 1, "nemo", "m", text, words, "en",
                            (Segment(text, 0, len(words) * 500),))  # fmt: skip
    start = text.index("Maria Gonzalez")
    red = Redaction(1, TID, "NAME", start, start + 14, None, None, "rules", None, "pending")
    srt = export.render("srt", tr, [red])
    (cue,) = export.render("srt", tr, [red]).split("\n\n")
    assert cue.split("\n", 2)[2] == "Please call [NAME] on\nFriday about the results.\n"  # bottom-heavy
    assert "Maria" not in srt and "Gonzalez" not in srt and srt.count("[NAME]") == 1


def test_subtitle_lines_break_at_punctuation_and_prefer_a_longer_bottom_line() -> None:
    assert export.subtitle_lines("Short.") == ["Short."]
    assert export.subtitle_lines("We met on Tuesday, and the plan for next week is agreed now.") == [
        "We met on Tuesday,", "and the plan for next week is agreed now."
    ]  # fmt: skip
    top, bottom = export.subtitle_lines("one two three four five six seven eight nine ten eleven twelve") or []
    assert len(top) <= len(bottom) <= 42
    assert export.subtitle_lines("x" * 43) is None
    assert export.subtitle_lines("Dr Ames: " + "y" * 40, keep=9) is None  # never breaks inside the name


def test_the_cli_exports_subtitles_ffmpeg_reads_within_the_limits(vs: Cli, tmp_path: Path) -> None:  # noqa: F811
    from tests.core.audio_fixtures import encode

    vs.engine_factory = FakeFactory()
    rc, data, err = imported_ids(vs, encode(tmp_path / "a.flac", "flac", "flac", 44_100, seconds=12.0),
                                 extra=("--transcribe",))  # fmt: skip
    assert rc == 0, err
    rid = data["recordings"][0]["id"]
    for fmt in ("srt", "vtt"):
        out = tmp_path / f"a.{fmt}"
        rc, _done, err = vs("export", rid, "--format", fmt, "--out", str(out), "--passphrase-stdin", "--json",
                            "--totp", vs.code(), stdin=PASS + "\n")  # fmt: skip
        assert rc == 0, err
        cues = parse(out)
        assert len(cues) >= 3 and all(c.end_ms - c.start_ms <= 7000 and len(c.lines) <= 2 for c in cues)
        assert all(len(line) <= 42 for c in cues for line in c.lines)
        assert " ".join(cues[0].lines).startswith("w0 w1 w2 w3.")
