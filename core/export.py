"""A transcript as TXT, JSON, SRT, VTT or DOCX, redacted by its reviewed state unless asked otherwise.

Every redaction the user has not rejected is applied (pending ones too: a transcript nobody reviewed
still leaves redacted). Segments and words are found in the text in order, so a redaction that
crosses a segment boundary is cut in two and both halves show its type.

DOCX is binary: `render_bytes` gives every format as bytes, `render` only the text ones. python-docx
(and lxml under it) is imported only when a DOCX is built, never on a start-up path.
"""

from __future__ import annotations

import bisect
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

from core.redaction.spans import Span, apply_spans, effective_spans
from core.redaction.timing import WordMap
from core.types import Redaction, Transcript

FORMATS = ("txt", "json", "srt", "vtt", "docx")

# Characters XML 1.0 cannot hold (lxml refuses them); a transcript should never have any.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


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
    ``speaker`` on segments and words), named by ``speakers`` (label -> name) where given. SRT and
    VTT cues are cut to subtitle limits (see `_subtitle_cues`); JSON keeps the recogniser's segments.
    """
    if fmt == "docx":
        raise ValueError("docx is a binary export format: render it with render_bytes")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    spans = effective_spans(redactions) if redacted else []
    if fmt == "txt":
        return apply_spans(transcript.text, spans).rstrip("\n") + "\n"
    if fmt in ("srt", "vtt"):
        subs = _subtitle_cues(transcript, spans, speakers or {}, redacted=redacted)
        if fmt == "srt":
            return "\n".join(
                f"{i}\n{_clock(a, ',')} --> {_clock(b, ',')}\n" + "\n".join(lines) + "\n"
                for i, (a, b, _who, lines) in enumerate(subs, 1)
            )
        return "WEBVTT\n\n" + "\n".join(
            f"{_clock(a, '.')} --> {_clock(b, '.')}\n" + _vtt_text(who, lines) + "\n" for a, b, who, lines in subs
        )
    cues = _cues(transcript, spans)
    who = _cue_speakers(transcript, cues, speakers or {}, redacted=redacted)
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


def _vtt_text(who: str | None, lines: Sequence[str]) -> str:
    """A VTT cue's text: the speaker as a voice span (``<v Name>``) in place of "Name: ", escaped."""
    body = list(lines)
    if who:
        body[0] = f"<v {_vtt_escape(who)}>" + _vtt_escape(body[0][len(who) + 2 :])
    else:
        body[0] = _vtt_escape(body[0])
    return "\n".join(body[:1] + [_vtt_escape(line) for line in body[1:]])


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
    document: DocumentInfo | None = None,
) -> bytes:
    """Any export format as the bytes of its file: UTF-8 for the text ones, a Word document for DOCX.

    `title` (the recording's) heads a DOCX and is its document title; `document` gives its recording
    date and duration, the export time (its footer and file dates) and the paper. The text formats
    ignore both.
    """
    if fmt != "docx":
        return render(fmt, transcript, redactions, redacted=redacted, speakers=speakers).encode("utf-8")
    spans = effective_spans(redactions) if redacted else []
    info = document if document is not None else DocumentInfo(exported_ms=transcript.created_ms)
    return _docx(transcript, spans, title, speakers or {}, info, redacted=redacted)


@dataclass(frozen=True)
class DocumentInfo:
    """What heads and frames a DOCX besides the transcript: the recording, the export, the page.

    Times are ms since the epoch, shown in `tz` (None: the machine's local zone). `paper` is "a4" or
    "letter" (`paper_for_locale` picks one from the locale).
    """

    exported_ms: int
    recorded_ms: int | None = None
    duration_ms: int | None = None
    paper: str = "a4"
    tz: tzinfo | None = None


#: Territories whose locales use US Letter (glibc's LC_PAPER data); everywhere else uses A4.
_LETTER_TERRITORIES = frozenset(
    {"US", "CA", "MX", "PH", "PR", "CL", "CO", "CR", "GT", "NI", "PA", "SV", "VE", "DO", "BZ"}
)
_LETTER_WINDOWS_NAMES = ("united states", "canada", "mexico", "philippines", "puerto rico", "chile", "colombia")


def paper_for_locale(environ: Mapping[str, str], fallback: str | None = None) -> str:
    """ "letter" or "a4" from the paper locale: LC_ALL, then LC_PAPER, then LANG (POSIX order).

    `fallback` is another locale name to read when none of them is set (Windows, where the caller
    passes ``locale.getlocale()[0]``, e.g. "English_United States"). Without any, A4.
    """
    name = next((environ[k] for k in ("LC_ALL", "LC_PAPER", "LANG") if environ.get(k)), fallback or "")
    if name.lower().startswith(_LETTER_WINDOWS_NAMES) or any(
        name.lower().endswith("_" + w) for w in _LETTER_WINDOWS_NAMES
    ):
        return "letter"
    territory = re.split(r"[.@]", name, maxsplit=1)[0].rpartition("_")[2]
    return "letter" if territory.upper() in _LETTER_TERRITORIES else "a4"


#: How a redacted copy counts what it removed, by type: (one, many).
_DETAIL_NOUNS: dict[str, tuple[str, str]] = {
    "NAME": ("name", "names"), "ADDRESS": ("address", "addresses"), "DATE": ("date", "dates"),
    "AGE": ("age", "ages"), "PHONE": ("phone number", "phone numbers"), "FAX": ("fax number", "fax numbers"),
    "EMAIL": ("email address", "email addresses"), "URL": ("web address", "web addresses"),
    "IP_ADDRESS": ("IP address", "IP addresses"), "SSN": ("social security number", "social security numbers"),
    "MEDICAL_RECORD_NUMBER": ("medical record number", "medical record numbers"),
    "HEALTH_PLAN_ID": ("health plan ID", "health plan IDs"), "ACCOUNT_NUMBER": ("account number", "account numbers"),
    "CREDIT_DEBIT_NUMBER": ("card number", "card numbers"),
    "CREDIT_DEBIT_CVV": ("card security code", "card security codes"),
    "CREDIT_DEBIT_EXPIRY": ("card expiry date", "card expiry dates"), "PIN": ("PIN code", "PIN codes"),
    "LICENSE_NUMBER": ("licence number", "licence numbers"), "VEHICLE_ID": ("vehicle ID", "vehicle IDs"),
    "DEVICE_ID": ("device ID", "device IDs"),
}  # fmt: skip


def redaction_summary(spans: Sequence[Span]) -> str:
    """ "Redacted copy: 7 personal details removed (3 names, 2 dates, 1 phone number, 1 address)"."""
    if not spans:
        return "Redacted copy: no personal details were found to remove."
    counts: dict[str, int] = {}
    for s in spans:
        counts[s.type] = counts.get(s.type, 0) + 1
    parts = []
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):  # stable: first seen first among equals
        one, many = _DETAIL_NOUNS.get(kind, (kind.replace("_", " ").lower(),) * 2)
        parts.append(f"{n} {one if n == 1 else many}")
    total = len(spans)
    return f"Redacted copy: {total} personal {'detail' if total == 1 else 'details'} removed ({', '.join(parts)})"


def _duration(ms: int) -> str:
    seconds = round(ms / 1000)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    if h:
        return f"{h} h {m:02d} min"
    return f"{m} min {s:02d} s" if m else f"{s} s"


def _local(ms: int, tz: tzinfo | None) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).astimezone(tz)


def _heading_details(transcript: Transcript, info: DocumentInfo, names: Mapping[str, str], *, redacted: bool) -> str:
    """The line under the heading: when recorded, how long, who speaks.

    A redacted copy gives the recording's year only: a date of service is an identifier (HIPAA Safe
    Harbor, 45 CFR 164.514(b)(2)(i)(C)), and the copy redacts every other date too.
    """
    parts = []
    if info.recorded_ms is not None:
        when = _local(info.recorded_ms, info.tz)
        parts.append(f"Recorded in {when:%Y}" if redacted else f"Recorded {when:%Y-%m-%d %H:%M}")
    duration = (
        info.duration_ms
        if info.duration_ms is not None
        else (transcript.words[-1].end_ms if transcript.words else None)
    )
    if duration:
        parts.append(f"Duration {_duration(duration)}")
    labels = list(dict.fromkeys(w.speaker for w in transcript.words if w.speaker is not None))
    if labels:
        who = list(dict.fromkeys(speaker_display(label, names, redacted=redacted) for label in labels))
        parts.append(f"Speakers: {', '.join(who)}")
    return " · ".join(parts)


_PAPER_MM = {"a4": (210.0, 297.0), "letter": (215.9, 279.4)}


def _page_setup(document: Any, info: DocumentInfo, footer_text: str) -> None:
    """The paper size, even margins, and a footer: the export date and "Page N of M" as live fields."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    if info.paper not in _PAPER_MM:
        raise ValueError(f"unknown paper size {info.paper!r}; use a4 or letter")
    width, height = _PAPER_MM[info.paper]
    section = document.sections[0]
    section.page_width, section.page_height = Mm(width), Mm(height)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{footer_text} · Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")
    for run in paragraph.runs:
        run.font.size = Pt(9)


def _field(paragraph: Any, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) as begin / instruction / separate / placeholder / end runs."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    def char(kind: str) -> None:
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        paragraph.add_run()._r.append(el)

    char("begin")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    paragraph.add_run()._r.append(instr)
    char("separate")
    paragraph.add_run("1")
    char("end")


def _docx(
    transcript: Transcript,
    spans: Sequence[Span],
    title: str | None,
    names: Mapping[str, str],
    info: DocumentInfo,
    *,
    redacted: bool,
) -> bytes:
    """A heading with the recording's details, on a redacted copy what was removed, then one
    paragraph per segment (or the whole text), each after its start time in grey; a footer."""
    import docx  # lazily: python-docx imports lxml
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    heading = _NOT_XML.sub("", title) if title else "Transcript"
    exported = _local(info.exported_ms, info.tz)
    props = document.core_properties  # the template's say "python-docx"; nothing about the user either
    props.author = ""
    props.last_modified_by = ""
    props.comments = ""
    props.title = heading
    props.created = props.modified = exported.astimezone(UTC).replace(tzinfo=None)  # python-docx writes it as Z
    props.revision = 1
    _page_setup(document, info, f"Exported {exported:%Y-%m-%d}")
    document.add_heading(heading, level=1)
    grey = RGBColor(0x59, 0x59, 0x59)
    details = _heading_details(transcript, info, names, redacted=redacted)
    if details:
        run = document.add_paragraph().add_run(_NOT_XML.sub("", details))
        run.font.color.rgb = grey
    if redacted:
        document.add_paragraph().add_run(redaction_summary(spans)).italic = True
    timed = bool(transcript.segments)
    cues = _cues(transcript, spans)
    for (start_ms, _end_ms, text), who in zip(
        cues, _cue_speakers(transcript, cues, names, redacted=redacted), strict=True
    ):
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


def _cues(transcript: Transcript, spans: Sequence[Span]) -> list[tuple[int, int, str]]:
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
    spans: Sequence[Span],
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
    covering: Span | None = None
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


# -- Subtitles -----------------------------------------------------------------------------------
# Cues follow the Netflix Timed Text Style Guide (General Requirements: at most 42 characters a line,
# at most 2 lines, at most 7 s, at least 5/6 s; line breaks after punctuation, a bottom-heavy pair
# preferred) and the BBC Subtitle Guidelines (break at natural points: a sentence's end, a clause, a
# pause; a new subtitle for each new speaker, who is identified).
#: Netflix: 42 characters a line (and 2 lines: subtitle_lines).
MAX_LINE_CHARS = 42
#: Netflix: at most 7 s a subtitle; at least 5/6 s (20 frames), which we round up to 1 s where the
#: gap before the next cue allows.
MAX_CUE_MS = 7000
MIN_CUE_MS = 1000
#: A silence this long between words ends a cue (BBC: follow the rhythm of speech), unless the cue
#: would be shorter than the minimum and the next starts within it: then they join (see _join_short).
PAUSE_MS = 700
#: A speaker's name longer than this is shortened in a subtitle, so the name leaves room for words.
_MAX_NAME_CHARS = 20
_SENTENCE_END = (".", "?", "!", "…")
_CLAUSE_END = (",", ";", ":", "—", "–")


@dataclass(frozen=True)
class _Token:
    text: str  # as shown: redactions already [TYPE]
    start_ms: int
    end_ms: int
    speaker: str | None  # the diarizer's label


def _tokens(transcript: Transcript, spans: Sequence[Span]) -> list[_Token]:
    """The transcript's whitespace-separated words in order, each timed from the recogniser's words it
    overlaps (by interpolation within its segment where none does: an edit), a redaction one token."""
    text = transcript.text
    words = WordMap.build(text, transcript.words)
    speakers_at = {(w.start_ms, w.end_ms): w.speaker for w in transcript.words}
    if transcript.segments:
        where = WordMap.build(text, transcript.segments)
        pieces = list(zip(where.starts, where.ends, where.start_ms, where.end_ms, strict=True))
    else:
        end_ms = transcript.words[-1].end_ms if transcript.words else 0
        pieces = [(0, len(text), 0, end_ms)] if text.strip() else []
    out: list[_Token] = []
    for seg_a, seg_b, seg_t0, seg_t1 in pieces:
        if seg_t1 <= seg_t0:  # no times at all: a reading pace of 15 characters a second
            seg_t1 = seg_t0 + max(MIN_CUE_MS, (seg_b - seg_a) * 1000 // 15)
        ranges = [(m.start() + seg_a, m.end() + seg_a) for m in re.finditer(r"\S+", text[seg_a:seg_b])]
        merged: list[tuple[int, int]] = []
        for a, b in ranges:  # words inside one redaction become one token
            if merged and any(s.start < merged[-1][1] and a < s.end for s in spans):
                merged[-1] = (merged[-1][0], b)
            else:
                merged.append((a, b))
        for a, b in merged:
            first = bisect.bisect_right(words.ends, a)
            last = bisect.bisect_left(words.starts, b)
            if first < last:
                t0, t1 = min(words.start_ms[first:last]), max(words.end_ms[first:last])
                who = next((speakers_at.get((words.start_ms[i], words.end_ms[i])) for i in range(first, last)), None)
            else:
                scale = (seg_t1 - seg_t0) / max(seg_b - seg_a, 1)
                t0, t1 = seg_t0 + int((a - seg_a) * scale), seg_t0 + int((b - seg_a) * scale)
                who = out[-1].speaker if out else None
            out.append(_Token(apply_spans(text[a:b], spans, offset=a), t0, max(t1, t0), who))
    return out


def subtitle_lines(text: str, width: int = MAX_LINE_CHARS, *, keep: int = 0) -> list[str] | None:
    """`text` as at most two lines of at most `width` characters, broken at a space (not in its first
    `keep` characters, a speaker's name): after punctuation where one is near the middle, else where
    the lines are most even, the lower one the longer (Netflix: a bottom-heavy pyramid). None when it
    does not fit."""
    if len(text) <= width:
        return [text]
    best: tuple[float, int] | None = None
    for i, ch in enumerate(text):
        if ch != " " or i < keep:
            continue
        top, bottom = text[:i].rstrip(), text[i + 1 :].lstrip()
        if len(top) > width or len(bottom) > width:
            continue
        score = abs(len(top) - len(bottom)) + (2 if len(top) > len(bottom) else 0)
        if top.endswith(_SENTENCE_END + _CLAUSE_END):
            score -= 25  # Netflix: break after punctuation; both lines already fit
        if best is None or score < best[0]:
            best = (score, i)
    if best is None:
        return None
    return [text[: best[1]].rstrip(), text[best[1] + 1 :].lstrip()]


def _fits(prefix: str, tokens: Sequence[_Token]) -> bool:
    return subtitle_lines(prefix + " ".join(t.text for t in tokens), keep=len(prefix)) is not None


def _subtitle_cues(
    transcript: Transcript, spans: Sequence[Span], names: Mapping[str, str], *, redacted: bool
) -> list[tuple[int, int, str | None, list[str]]]:
    """Cues as (start_ms, end_ms, speaker shown or None, lines) within the limits above; the first
    line starts with "Name: " when there is a speaker."""
    tokens = _tokens(transcript, spans)
    diarized = any(t.speaker is not None for t in tokens)

    def shown(label: str | None) -> str | None:
        if not diarized or label is None:
            return None
        name = _NOT_XML.sub("", speaker_display(label, names, redacted=redacted))
        return name if len(name) <= _MAX_NAME_CHARS else name[: _MAX_NAME_CHARS - 1].rstrip() + "…"

    groups: list[tuple[str | None, list[_Token]]] = []
    current: list[_Token] = []
    who: str | None = None

    def close(upto: int | None = None) -> None:
        nonlocal current
        taken, current = (current, []) if upto is None else (current[:upto], current[upto:])
        if taken:
            groups.append((who, taken))

    for tok in _split_long(tokens, shown):
        name = shown(tok.speaker)
        if current and (name != who or tok.start_ms - current[-1].end_ms >= PAUSE_MS):
            close()  # BBC: a new speaker, or a pause, starts a new subtitle
        who = name
        prefix = f"{who}: " if who else ""
        while current and (not _fits(prefix, [*current, tok]) or tok.end_ms - current[0].start_ms > MAX_CUE_MS):
            # Too long: end at the last clause or sentence in the cue's later half, else here.
            cut = next((i + 1 for i in range(len(current) - 1, len(current) // 2 - 1, -1)
                        if current[i].text.endswith(_SENTENCE_END + _CLAUSE_END)), None)  # fmt: skip
            close(cut if cut is not None and cut < len(current) else None)
        current.append(tok)
        if tok.text.endswith(_SENTENCE_END) and tok.end_ms - current[0].start_ms >= MIN_CUE_MS:
            close()  # a sentence's end closes a cue that can stand on its own
    close()
    groups = _join_short(groups)

    cues: list[tuple[int, int, str | None, list[str]]] = []
    for i, (name, toks) in enumerate(groups):
        start, end = toks[0].start_ms, toks[-1].end_ms
        following = groups[i + 1][1][0].start_ms if i + 1 < len(groups) else None
        if end - start < MIN_CUE_MS:  # Netflix: at least 5/6 s; stretched into the silence after it
            end = start + MIN_CUE_MS if following is None else max(end, min(start + MIN_CUE_MS, following))
        end = min(end, start + MAX_CUE_MS)
        prefix = f"{name}: " if name else ""
        lines = subtitle_lines(prefix + " ".join(t.text for t in toks), keep=len(prefix))
        assert lines is not None  # every group was built to fit
        cues.append((start, end, name, lines))
    return cues


def _join_short(groups: list[tuple[str | None, list[_Token]]]) -> list[tuple[str | None, list[_Token]]]:
    """A cue under the minimum joins the same speaker's next cue where that starts within the minimum
    (so only a short pause parts them) and the two fit together. One with a longer silence after it
    is instead stretched into the silence."""
    out = list(groups)
    i = 0
    while i + 1 < len(out):
        (who, toks), (after, more) = out[i], out[i + 1]
        joined = [*toks, *more]
        if (
            who == after
            and more[0].start_ms - toks[0].start_ms < MIN_CUE_MS
            and joined[-1].end_ms - joined[0].start_ms <= MAX_CUE_MS
            and _fits(f"{who}: " if who else "", joined)
        ):
            out[i : i + 2] = [(who, joined)]
        else:
            i += 1
    return out


def _split_long(tokens: Sequence[_Token], shown: Callable[[str | None], str | None]) -> Iterator[_Token]:
    """Tokens, with any too long for a line beside its speaker's name cut into pieces that fit."""
    for tok in tokens:
        name = shown(tok.speaker)
        room = MAX_LINE_CHARS - (len(name) + 2 if name else 0)
        if len(tok.text) <= room:
            yield tok
            continue
        parts = [tok.text[i : i + room] for i in range(0, len(tok.text), room)]
        step = (tok.end_ms - tok.start_ms) / len(parts)
        for k, part in enumerate(parts):
            yield _Token(part, tok.start_ms + int(k * step), tok.start_ms + int((k + 1) * step), tok.speaker)
