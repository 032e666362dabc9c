"""The preview server against hostile or careless clients (issue 18): the Host check on every
loopback address, quiet disconnects, timeouts, a cap on connections, only shown pictures."""

from __future__ import annotations

import select
import socket
import threading
from pathlib import Path

import pytest
from test_html_render import tiny_png
from test_preview_server import get

from reportkit.preview import server as S
from reportkit.preview.server import PreviewServer, allowed_hosts


@pytest.fixture
def folder(seed000: Path) -> Path:
    images = seed000 / "content" / "images"
    images.mkdir()
    (images / "shown.png").write_bytes(tiny_png())
    (images / "unused.png").write_bytes(tiny_png())
    (seed000 / ".git").mkdir()
    (seed000 / ".git" / "x.png").write_bytes(tiny_png())
    section = next((seed000 / "content").glob("1-1-*.md"))
    section.write_text("主要职能。\n\n![图](images/shown.png)\n", encoding="utf-8")
    return seed000


def test_explicit_loopback_host_keeps_the_host_check(folder: Path) -> None:
    with PreviewServer(folder, host="127.0.0.1", port=0, allow_remote=True, log=lambda _: None) as preview:
        port = preview.server.server_address[1]
        assert get(preview, "/", host="evil.example")[0] == 403
        assert get(preview, "/", host=f"evil.example:{port}")[0] == 403
        assert get(preview, "/", host=f"localhost:{port}")[0] == 200
    assert allowed_hosts("127.0.0.2", 8000) is not None and "127.0.0.2:8000" in allowed_hosts("127.0.0.2", 8000)
    assert "localhost:8000" in allowed_hosts("localhost", 8000)
    assert allowed_hosts("0.0.0.0", 8000) is None and allowed_hosts("192.168.1.5", 8000) is None


def test_only_pictures_the_report_shows_are_served(folder: Path) -> None:
    with PreviewServer(folder, port=0, log=lambda _: None) as preview:
        assert get(preview, "/images/content/images/shown.png")[0] == 200
        assert get(preview, "/images/content/images/unused.png")[0] == 404
        assert get(preview, "/images/.git/x.png")[0] == 404


def test_a_client_gone_mid_answer_is_not_logged(folder: Path, capfd) -> None:
    lines: list[str] = []
    with PreviewServer(folder, port=0, log=lines.append) as preview:
        for gone in (ConnectionResetError(), BrokenPipeError(), TimeoutError()):
            try:
                raise gone
            except OSError:
                preview.server.handle_error(None, ("127.0.0.1", 1))
        address, port = preview.server.server_address[:2]
        for _ in range(20):  # really hang up mid-answer: reset instead of reading the page
            sock = socket.create_connection((address, port), timeout=10)
            sock.sendall(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
        assert get(preview, "/")[0] == 200  # and it still serves
    assert not [line for line in lines if "内部错误" in line]
    assert "Traceback" not in capfd.readouterr().err


def test_idle_connections_time_out_and_are_capped(folder: Path, monkeypatch) -> None:
    monkeypatch.setattr(S._Handler, "timeout", 0.5)
    monkeypatch.setattr(S, "MAX_CONNECTIONS", 4)
    with PreviewServer(folder, port=0, log=lambda _: None) as preview:
        address, port = preview.server.server_address[:2]
        before = threading.active_count()
        idle = [socket.create_connection((address, port), timeout=30) for _ in range(S.MAX_CONNECTIONS + 3)]
        assert threading.active_count() <= before + S.MAX_CONNECTIONS
        for sock in idle:  # the oldest closed at once to make room, the others at the head timeout
            assert sock.recv(1024) == b""
            sock.close()
        assert get(preview, "/")[0] == 200  # the slots are free again


def _closed(sock: socket.socket) -> bool:
    """The server has closed this connection (waits for it as long as the socket's timeout)."""
    try:
        return sock.recv(1024) == b""
    except ConnectionResetError:
        return True


def _still_open(sock: socket.socket) -> bool:
    """Not closed by the server so far: reads what it sent without waiting, and no end of it."""
    sock.setblocking(False)
    try:
        while sock.recv(4096):
            pass
        return False
    except BlockingIOError:
        return True
    except ConnectionResetError:
        return False
    finally:
        sock.settimeout(60)


def test_an_honest_page_is_served_under_a_slowloris_of_idle_connections(folder: Path, monkeypatch) -> None:
    """40 connections that never send a byte, then a real GET: it is answered at once, by closing
    the oldest idle connection, not after a timeout (the head timeout is made far longer than
    any wait in this test, so only making room can explain the answer)."""
    monkeypatch.setattr(S._Handler, "timeout", 600)
    with PreviewServer(folder, port=0, log=lambda _: None) as preview:
        address, port = preview.server.server_address[:2]
        idle = [socket.create_connection((address, port), timeout=60) for _ in range(40)]
        assert len(preview.server.connections) <= S.MAX_CONNECTIONS
        assert get(preview, "/")[0] == 200
        assert get(preview, "/fragment")[0] == 200
        # The 8 beyond the cap and the first GET each closed the oldest idle one; the second
        # GET did too, unless the first one's connection had ended already.
        open_ = [_still_open(sock) for sock in idle]
        made_room = open_.index(True)
        assert made_room in (40 - S.MAX_CONNECTIONS + 1, 40 - S.MAX_CONNECTIONS + 2), open_
        assert all(open_[made_room:]), open_  # the oldest went first; none was freed by a timeout
        assert all(_closed(sock) for sock in idle[:made_room])
        assert len(preview.server.connections) <= S.MAX_CONNECTIONS
        for sock in idle:
            sock.close()


def test_a_head_sent_a_byte_at_a_time_is_cut_at_the_head_timeout(folder: Path, monkeypatch) -> None:
    """Each byte comes well within the read timeout; the whole head still has its deadline."""
    monkeypatch.setattr(S._Handler, "timeout", 1)
    with PreviewServer(folder, port=0, log=lambda _: None) as preview:
        address, port = preview.server.server_address[:2]
        sock = socket.create_connection((address, port), timeout=60)
        cut = False
        for byte in (b"GET / HTTP/1.0\r\nX-Slow: " + b"a" * 10_000)[:400]:  # 400 × 0.1 s: far past the deadline
            try:
                sock.sendall(bytes([byte]))
            except OSError:
                cut = True
                break
            if select.select([sock], [], [], 0.1)[0]:
                cut = _closed(sock)
                break
        assert cut
        sock.close()
        assert get(preview, "/")[0] == 200


def test_event_streams_of_pages_never_lock_a_page_out(folder: Path, monkeypatch) -> None:
    """MAX_CONNECTIONS pages each holding its event stream: one more page is still served (the
    oldest stream is closed; its page reconnects by itself)."""
    monkeypatch.setattr(S, "MAX_CONNECTIONS", 6)
    with PreviewServer(folder, port=0, log=lambda _: None) as preview:
        address, port = preview.server.server_address[:2]
        streams = []
        for _ in range(S.MAX_CONNECTIONS):
            sock = socket.create_connection((address, port), timeout=60)
            sock.sendall(f"GET /events HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            assert b"retry: 1000" in _read_until(sock, b"retry: 1000")
            streams.append(sock)
        assert get(preview, "/")[0] == 200
        assert _closed_after_events(streams[0])
        assert all(_still_open(sock) for sock in streams[2:])
        for sock in streams:
            sock.close()


def _read_until(sock: socket.socket, marker: bytes) -> bytes:
    data = b""
    while marker not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def _closed_after_events(sock: socket.socket) -> bool:
    """Read what the stream still sends until the server closes it."""
    try:
        while sock.recv(4096):
            pass
    except ConnectionResetError:
        pass
    return True


def test_answers_in_progress_are_never_closed_to_make_room(folder: Path, monkeypatch) -> None:
    """At the cap with every connection answering (none idle, none a stream), a new one is
    refused rather than cutting an answer short."""
    monkeypatch.setattr(S, "MAX_CONNECTIONS", 2)
    release = threading.Event()
    entered = threading.Semaphore(0)
    original = S._Handler.do_GET

    def slow_get(self) -> None:  # noqa: ANN001
        entered.release()
        release.wait(60)
        original(self)

    monkeypatch.setattr(S._Handler, "do_GET", slow_get)
    with PreviewServer(folder, port=0, log=lambda _: None) as preview:
        address, port = preview.server.server_address[:2]
        busy = []
        for _ in range(2):
            sock = socket.create_connection((address, port), timeout=60)
            sock.sendall(f"GET / HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            assert entered.acquire(timeout=60)
            busy.append(sock)
        extra = socket.create_connection((address, port), timeout=60)
        assert _closed(extra)  # refused
        release.set()
        for sock in busy:  # both answers complete
            assert b"200" in _read_until(sock, b"</html>").split(b"\r\n", 1)[0]
            sock.close()
        extra.close()
