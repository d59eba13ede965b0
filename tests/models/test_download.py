"""ModelStore.download against a real HTTP server on 127.0.0.1: resume, restart, verify, refuse."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from core.errors import Cancelled, ModelDownloadFailed, ModelMismatch, UsageError
from core.progress import CancelToken
from models.manifest import ModelSpec
from models.store import ModelStore

from .helpers import files_in, payload, spec_for

DATA = payload(7)


class FileServer:
    """Serves DATA at /model.nemo, with Range support that tests can switch off or cut short once."""

    def __init__(self) -> None:
        self.ranges: list[str | None] = []  # the Range header of each request, in order
        self.honour_range = True
        self.cut_after: int | None = None  # send this many body bytes, then drop the connection (once)
        self.error: int | None = None  # answer every request with this status instead
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                asked = self.headers.get("Range")
                server.ranges.append(asked)
                if server.error is not None:
                    self.send_error(server.error)
                    return
                match = re.fullmatch(r"bytes=(\d+)-", asked or "")
                start = int(match.group(1)) if match and server.honour_range else 0
                body = DATA[start:]
                self.send_response(206 if start else 200)
                if start:
                    self.send_header("Content-Range", f"bytes {start}-{len(DATA) - 1}/{len(DATA)}")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if server.cut_after is not None:
                    body, server.cut_after = body[: server.cut_after], None
                    self.close_connection = True
                self.wfile.write(body)

            def log_message(self, *_args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/model.nemo"

    def spec(self, data: bytes = DATA) -> ModelSpec:
        return spec_for(data, "remote", url=self.url)


@pytest.fixture
def server() -> Iterator[FileServer]:
    srv = FileServer()
    thread = threading.Thread(target=srv.httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield srv
    srv.httpd.shutdown()
    srv.httpd.server_close()
    thread.join()


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return ModelStore(tmp_path / "models")


def test_download_verifies_and_renames_into_place(store: ModelStore, server: FileServer) -> None:
    seen: list[float] = []
    path = store.download(server.spec(), consent=True, progress=seen.append)

    assert path == store.root / "remote.nemo" and path.read_bytes() == DATA
    assert seen == sorted(seen) and seen[-1] == 1.0
    assert not (store.root / "remote.nemo.part").exists()
    assert server.ranges == [None]


def test_an_interrupted_download_resumes_with_a_range_request(store: ModelStore, server: FileServer) -> None:
    server.cut_after = 1_500_000
    with pytest.raises(ModelDownloadFailed, match="stopped after 1,500,000 of"):
        store.download(server.spec(), consent=True)
    assert (store.root / "remote.nemo.part").stat().st_size == 1_500_000

    path = store.download(server.spec(), consent=True)

    assert path.read_bytes() == DATA
    assert server.ranges == [None, "bytes=1500000-"]


def test_a_server_that_ignores_range_restarts_from_zero(store: ModelStore, server: FileServer) -> None:
    server.cut_after = 700_000
    with pytest.raises(ModelDownloadFailed):
        store.download(server.spec(), consent=True)
    server.honour_range = False

    path = store.download(server.spec(), consent=True)

    assert path.read_bytes() == DATA
    assert server.ranges == [None, "bytes=700000-"]


def test_a_sha256_mismatch_deletes_the_part(store: ModelStore, server: FileServer) -> None:
    wrong = server.spec(payload(8, size=len(DATA)))  # right size, other bytes
    with pytest.raises(ModelMismatch, match=f"got {len(DATA):,} bytes, sha256 {server.spec().sha256}"):
        store.download(wrong, consent=True)
    assert files_in(store.root) == []


def test_a_server_sending_too_much_is_stopped_and_refused(store: ModelStore, server: FileServer) -> None:
    short = server.spec(DATA[:1000])
    with pytest.raises(ModelMismatch):
        store.download(short, consent=True)
    assert files_in(store.root) == []


def test_cancel_keeps_the_part_for_the_next_attempt(store: ModelStore, server: FileServer) -> None:
    token = CancelToken()

    def progress(fraction: float) -> None:
        if fraction > 0.3:
            token.cancel()

    with pytest.raises(Cancelled):
        store.download(server.spec(), consent=True, progress=progress, cancel=token)
    kept = (store.root / "remote.nemo.part").stat().st_size
    assert 0 < kept < len(DATA)

    assert store.download(server.spec(), consent=True).read_bytes() == DATA
    assert server.ranges[-1] == f"bytes={kept}-"


def test_no_consent_no_request(store: ModelStore, server: FileServer) -> None:
    with pytest.raises(UsageError, match="consent"):
        store.download(server.spec(), consent=False)
    assert server.ranges == []


@pytest.mark.parametrize("url", ["http://example.com/m.nemo", "ftp://127.0.0.1/m.nemo", "file:///etc/passwd"])
def test_only_https_except_for_this_computer(store: ModelStore, url: str) -> None:
    with pytest.raises(UsageError, match="https only"):
        store.download(spec_for(DATA, "remote", url=url), consent=True)
    assert files_in(store.root) == []


def test_a_model_without_url_cannot_be_downloaded(store: ModelStore) -> None:
    with pytest.raises(UsageError, match="import its file"):
        store.download(spec_for(DATA, "local"), consent=True)


def test_a_server_error_is_a_download_failure(store: ModelStore, server: FileServer) -> None:
    server.error = 404
    with pytest.raises(ModelDownloadFailed, match="the server answered 404"):
        store.download(server.spec(), consent=True)
    assert files_in(store.root) == []
