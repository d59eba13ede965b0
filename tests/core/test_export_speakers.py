"""Speaker tags in exports: a diarized transcript's cues say who speaks, by the name the user gave,
except in a redacted export, where a given name (a person's name) falls back to "Speaker N"."""

from __future__ import annotations

import json
from io import BytesIO

import docx

from core import export
from core.types import RecordingId, Redaction, Segment, Transcript, TranscriptId, Word

TEXT = "Hello Anna. Yes I am here."
WORDS = (
    Word("Hello", 0, 400, "speaker_1"), Word("Anna.", 400, 900, "speaker_1"),
    Word("Yes", 1500, 1800, "speaker_2"), Word("I", 1800, 1900, "speaker_2"),
    Word("am", 1900, 2000, "speaker_2"), Word("here.", 2000, 2400, "speaker_2"),
)  # fmt: skip
SEGMENTS = (Segment("Hello Anna.", 0, 900), Segment("Yes I am here.", 1500, 2400))
TR = Transcript(TranscriptId("t"), RecordingId("r"), 1, "nemo", "m", TEXT, WORDS, "en", SEGMENTS)
NAMES = {"speaker_2": "Anna Smith"}
ANNA = Redaction(1, TR.id, "NAME", 6, 10, 400, 900, "rules", None, "pending")


def test_srt_and_vtt_tag_each_cue_with_its_speakers_name() -> None:
    srt = export.render("srt", TR, [], redacted=False, speakers=NAMES)
    assert "Speaker 1: Hello Anna." in srt and "Anna Smith: Yes I am here." in srt
    vtt = export.render("vtt", TR, [], redacted=False, speakers=NAMES)
    assert "<v Speaker 1>Hello Anna." in vtt and "<v Anna Smith>Yes I am here." in vtt


def test_json_names_segments_and_words() -> None:
    data = json.loads(export.render("json", TR, [], redacted=False, speakers=NAMES))
    assert [s["speaker"] for s in data["segments"]] == ["Speaker 1", "Anna Smith"]
    assert [w["speaker"] for w in data["words"]] == ["Speaker 1"] * 2 + ["Anna Smith"] * 4


def test_a_redacted_export_never_shows_a_given_name() -> None:
    for fmt in ("srt", "vtt", "json"):
        out = export.render(fmt, TR, [ANNA], redacted=True, speakers=NAMES)
        assert "Anna" not in out and "Speaker 2" in out and "[NAME]" in out, fmt


def test_docx_puts_the_speaker_before_each_paragraph() -> None:
    doc = docx.Document(BytesIO(export.render_bytes("docx", TR, [], redacted=False, speakers=NAMES)))
    assert doc.paragraphs[1].text == "Duration 2 s · Speakers: Speaker 1, Anna Smith"
    texts = [p.text for p in doc.paragraphs[2:]]
    assert texts[0].endswith("Speaker 1: Hello Anna.") and texts[1].endswith("Anna Smith: Yes I am here.")


def test_an_undiarized_transcript_exports_as_before() -> None:
    plain = Transcript(TR.id, TR.recording_id, 1, "nemo", "m", TEXT,
                               tuple(Word(w.text, w.start_ms, w.end_ms) for w in WORDS), "en", SEGMENTS)
    srt = export.render("srt", plain, [], redacted=False, speakers=NAMES)
    assert "Speaker" not in srt and "speaker" not in export.render("json", plain, [], redacted=False)


def test_words_the_text_no_longer_holds_do_not_shift_the_speakers() -> None:
    edited = Transcript(TR.id, TR.recording_id, 1, "nemo", "m", "Hello. Yes I am here.", WORDS, "en",
                                (Segment("Hello.", 0, 900), Segment("Yes I am here.", 1500, 2400)))
    data = json.loads(export.render("json", edited, [], redacted=False))
    assert [(w["word"], w["speaker"]) for w in data["words"]][:2] == [("Hello", "Speaker 1"), ("Yes", "Speaker 2")]
