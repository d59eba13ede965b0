"""A transcript as TXT, JSON, SRT, VTT or DOCX, redacted by its reviewed state unless asked otherwise.

Every redaction the user has not rejected is applied (pending ones too: a transcript nobody reviewed
still leaves redacted). Segments and words are found in the text in order, so a redaction that
crosses a segment boundary is cut in two and both halves show its type.

DOCX is binary: `render_bytes` gives every format as bytes, `render` only the text ones. python-docx
(and lxml under it) is imported only when a DOCX is built, never on a start-up path.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from core.redaction.timing import WordMap
from core.vault.records import Redaction, Transcript

FORMATS = ("txt", "json", "srt", "vtt", "docx")

# Characters XML 1.0 cannot hold (lxml refuses them); a transcript should never have any.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    type: str


def effective_spans(redactions: Sequence[Redaction]) -> list[_Span]:
    """The redactions in force, sorted, overlaps merged (the earlier one's type is kept)."""
    spans: list[_Span] = []
    for r in sorted((r for r in redactions if r.redacted), key=lambda r: (r.start, -r.end)):
        if spans and r.start < spans[-1].end:
            last = spans[-1]
            spans[-1] = _Span(last.start, max(last.end, r.end), last.type)
        else:
            spans.append(_Span(r.start, r.end, r.type))
    return spans


def apply_spans(text: str, spans: Sequence[_Span], *, offset: int = 0) -> str:
    """`text`, which starts at `offset` in the transcript, with every span (clipped to it) as [TYPE]."""
    out: list[str] = []
    pos = 0
    for s in spans:
        a, b = max(s.start - offset, 0), min(s.end - offset, len(text))
        if a >= b or a < pos:
            continue
        out += [text[pos:a], f"[{s.type}]"]
        pos = b
    out.append(text[pos:])
    return "".join(out)


def speaker_display(label: str, names: Mapping[str, str], *, redacted: bool) -> str:
    """What a speaker is called in an export: the name the user gave, or "Speaker N".

    A redacted export never shows a given name: it is a person's name (the detector redacts it in
    the text as NAME too), so the tag falls back to the neutral "Speaker N".
    """
    if not redacted and names.get(label):
        return names[label]
    number = label.rpartition("_")[2]
    return f"Speaker {number}" if number.isdigit() else label


def render(
    fmt: str,
    transcript: Transcript,
    redactions: Sequence[Redaction],
    *,
    redacted: bool = True,
    speakers: Mapping[str, str] | None = None,
) -> str:
    """A text format (TXT, JSON, SRT, VTT) as a string; DOCX is binary, see `render_bytes`.

    A diarized transcript's cues carry their speaker (SRT "Name: …", VTT ``<v Name>``, JSON
    ``speaker`` on segments and words), named by ``speakers`` (label -> name) where given.
    """
    if fmt == "docx":
        raise ValueError("docx is a binary export format: render it with render_bytes")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    spans = effective_spans(redactions) if redacted else []
    if fmt == "txt":
        return apply_spans(transcript.text, spans).rstrip("\n") + "\n"
    cues = _cues(transcript, spans)
    who = _cue_speakers(transcript, cues, speakers or {}, redacted=redacted)
    if fmt == "srt":
        blocks = [
            f"{i}\n{_clock(a, ',')} --> {_clock(b, ',')}\n{f'{w}: ' if w else ''}{t}\n"
            for i, ((a, b, t), w) in enumerate(zip(cues, who, strict=True), 1)
        ]
        return "\n".join(blocks)
    if fmt == "vtt":
        return "WEBVTT\n\n" + "\n".join(
            f"{_clock(a, '.')} --> {_clock(b, '.')}\n{f'<v {_vtt_escape(w)}>' if w else ''}{t}\n"
            for (a, b, t), w in zip(cues, who, strict=True)
        )
    data = _json(transcript, redactions, spans, cues, who, speakers or {}, redacted=redacted)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _cue_speakers(
    transcript: Transcript, cues: Sequence[tuple[int, int, str]], names: Mapping[str, str], *, redacted: bool
) -> list[str | None]:
    """Each cue's speaker: the one who says most of its words (by time); None when not diarized."""
    out: list[str | None] = []
    for a, b, _t in cues:
        spoken: dict[str, int] = {}
        for w in transcript.words:
            if w.speaker is not None and w.start_ms < b and a < w.end_ms:
                spoken[w.speaker] = spoken.get(w.speaker, 0) + max(1, min(b, w.end_ms) - max(a, w.start_ms))
        label = max(spoken, key=lambda s: spoken[s]) if spoken else None
        out.append(None if label is None else speaker_display(label, names, redacted=redacted))
    return out


def _vtt_escape(name: str) -> str:
    return name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_bytes(
    fmt: str,
    transcript: Transcript,
    redactions: Sequence[Redaction],
    *,
    redacted: bool = True,
    title: str | None = None,
    speakers: Mapping[str, str] | None = None,
) -> bytes:
    """Any export format as the bytes of its file: UTF-8 for the text ones, a Word document for DOCX.

    `title` (the recording's) heads a DOCX and is its document title; the text formats ignore it.
    """
    if fmt != "docx":
        return render(fmt, transcript, redactions, redacted=redacted, speakers=speakers).encode("utf-8")
    spans = effective_spans(redactions) if redacted else []
    return _docx(transcript, spans, title, speakers or {}, redacted=redacted)


def _docx(
    transcript: Transcript, spans: Sequence[_Span], title: str | None, names: Mapping[str, str], *, redacted: bool
) -> bytes:
    """A heading, then one paragraph per segment (or the whole text), each after its start time in grey."""
    import docx  # lazily: python-docx imports lxml
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    props = document.core_properties  # the template's say "python-docx"; nothing about the user either
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.title = _NOT_XML.sub("", title) if title else ""
    document.add_heading(_NOT_XML.sub("", title) if title else "Transcript", level=1)
    timed = bool(transcript.segments)
    cues = _cues(transcript, spans)
    for (start_ms, _end_ms, text), who in zip(cues, _cue_speakers(transcript, cues, names, redacted=redacted),
                                              strict=True):
        paragraph = document.add_paragraph()
        if timed:
            stamp = paragraph.add_run(f"[{_clock(start_ms, '.').rpartition('.')[0]}] ")
            stamp.font.size = Pt(9)
            stamp.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        if who:
            paragraph.add_run(_NOT_XML.sub("", who) + ": ").bold = True
        paragraph.add_run(_NOT_XML.sub("", text.strip()))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _cues(transcript: Transcript, spans: Sequence[_Span]) -> list[tuple[int, int, str]]:
    text = transcript.text
    segments = transcript.segments
    if not segments:
        end_ms = transcript.words[-1].end_ms if transcript.words else 0
        return [(0, end_ms, apply_spans(text, spans))] if text.strip() else []
    where = WordMap.build(text, segments)
    cues: list[tuple[int, int, str]] = []
    for a, b, t0, t1 in zip(where.starts, where.ends, where.start_ms, where.end_ms, strict=True):
        cues.append((t0, t1, apply_spans(text[a:b], spans, offset=a)))
    return cues


def _json(
    transcript: Transcript,
    redactions: Sequence[Redaction],
    spans: Sequence[_Span],
    cues: Sequence[tuple[int, int, str]],
    who: Sequence[str | None],
    names: Mapping[str, str],
    *,
    redacted: bool,
) -> dict[str, object]:
    words = WordMap.build(transcript.text, transcript.words)
    # WordMap skips words the text no longer holds (edits), so speakers are found by their times.
    speakers_at = {(w.start_ms, w.end_ms): w.speaker for w in transcript.words if w.speaker is not None}
    out_words: list[dict[str, object]] = []
    covering: _Span | None = None
    for a, b, t0, t1 in zip(words.starts, words.ends, words.start_ms, words.end_ms, strict=True):
        hit = next((s for s in spans if s.start < b and a < s.end), None)
        if hit is None:
            out_words.append({"word": transcript.text[a:b], "start_s": t0 / 1000, "end_s": t1 / 1000})
        elif hit is covering:
            out_words[-1]["end_s"] = t1 / 1000
            covering = hit
            continue
        else:
            out_words.append({"word": f"[{hit.type}]", "start_s": t0 / 1000, "end_s": t1 / 1000})
        label = speakers_at.get((t0, t1))
        if label is not None:
            out_words[-1]["speaker"] = speaker_display(label, names, redacted=redacted)
        covering = hit
    data: dict[str, object] = {
        "recording_id": transcript.recording_id,
        "transcript_id": transcript.id,
        "model": transcript.model_id,
        "language": transcript.language,
        "redacted": redacted,
        "text": apply_spans(transcript.text, spans),
        "segments": [
            {"start_s": a / 1000, "end_s": b / 1000, "text": t, **({"speaker": w} if w else {})}
            for (a, b, t), w in zip(cues, who, strict=True)
        ],
        "words": out_words,
    }
    if redacted:
        data["redactions"] = [
            {"type": r.type, "start_s": _s(r.start_ms), "end_s": _s(r.end_ms)} for r in redactions if r.redacted
        ]
    else:
        data["entities"] = [
            {"type": r.type, "start": r.start, "end": r.end, "text": transcript.text[r.start : r.end],
             "start_s": _s(r.start_ms), "end_s": _s(r.end_ms), "state": r.state, "detector": r.detector}
            for r in redactions
        ]  # fmt: skip
    return data


def _s(ms: int | None) -> float | None:
    return None if ms is None else ms / 1000


def _clock(ms: int, sep: str) -> str:
    h, rest = divmod(max(ms, 0), 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, milli = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{milli:03d}"
