"""The audit trail, read and written: verify the chain, export it, list events, record one."""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from core.audit import AuditEvent, VerifyReport
from core.session.context import VaultContext


class AuditDesk:
    def __init__(self, ctx: VaultContext) -> None:
        self._ctx = ctx

    def verify(self) -> VerifyReport:
        """The vault's chain (MACs and sealed head), then the pre-unlock log still waiting outside it, whose
        events, like those already copied in, are counted as unauthenticated."""
        report = self._ctx.read(self._ctx.audit_log.verify)
        if not report.ok:
            return report
        events, pre = self._ctx.preauth.read()
        waiting = report.unauthenticated + len(events)
        if not pre.ok:
            return VerifyReport(
                False, report.events + pre.events, pre.first_bad_seq, f"pre-unlock log: {pre.reason}", waiting
            )
        return VerifyReport(True, report.events + len(events), unauthenticated=waiting)

    def export(self, out: IO[str]) -> int:
        return self._ctx.read(lambda conn: self._ctx.audit_log.export_jsonl(conn, out))

    def export_to_file(self, out: Path, *, overwrite: bool = False) -> int:
        """``export`` to a file the user chose, with the care of every export (``VaultContext.user_file``)."""
        self._ctx.require_open()
        with self._ctx.user_file(out, overwrite=overwrite) as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
            try:
                count = self.export(text)
                text.flush()
            finally:
                text.detach()
        return count

    def events(self, kind_prefix: str | None = None, *, limit: int = 5000) -> list[AuditEvent]:
        """The newest audit events first, optionally only kinds starting with ``kind_prefix``."""

        def read(conn: Any) -> list[AuditEvent]:
            events = [e for e in self._ctx.audit_log.events(conn) if not kind_prefix or e.kind.startswith(kind_prefix)]
            return events[::-1][:limit]

        return self._ctx.read(read)

    def record(
        self, kind: str, outcome: str, *, object_id: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        """Append one event (no content in ``detail``: names, counts, reasons) and mirror it if the policy says so."""
        self._ctx.audit(kind, outcome, object_id=object_id, detail=detail)
