"""The preview server against hostile or careless clients (issue 18): the Host check on every
loopback address, quiet disconnects, timeouts, a cap on connections, only shown pictures."""

from __future__ import annotations

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
        for sock in idle:  # the extra ones refused at once, the others closed at the timeout
            assert sock.recv(1024) == b""
            sock.close()
        assert get(preview, "/")[0] == 200  # the slots are free again
