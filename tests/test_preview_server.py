"""Issue 5: the preview server: fixed routes only (traversal → 404), loopback only, rebuilds on
save, errors in the page, server-sent events, and the command's start and clean stop."""

from __future__ import annotations

import http.client
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_html_render import tiny_png

from reportkit.errors import ReportError
from reportkit.preview.server import Draft, PreviewServer

SECRET = "top-secret-outside-the-report"
SECTION = "1-1-主要职能.md"


@pytest.fixture
def folder(seed000: Path, tmp_path: Path) -> Path:
    """Seed 000 with a picture, and files outside the folder that must never be served."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    (outside / "secret.png").write_bytes(SECRET.encode())
    images = seed000 / "content" / "images"
    images.mkdir()
    (images / "org.png").write_bytes(tiny_png())
    (seed000 / "content" / "link.png").symlink_to(outside / "secret.png")
    (seed000 / "content" / "link-dir").symlink_to(outside, target_is_directory=True)
    (seed000 / "content" / SECTION).write_text("主要职能。\n\n![机构图](images/org.png)\n", encoding="utf-8")
    return seed000


@pytest.fixture
def server(folder: Path) -> Iterator[PreviewServer]:
    lines: list[str] = []
    with PreviewServer(folder, port=0, log=lines.append) as preview:
        preview.lines = lines  # type: ignore[attr-defined]
        yield preview


def get(preview: PreviewServer, path: str, host: str | None = None) -> tuple[int, dict, bytes]:
    """A request with exactly this path (no client-side normalising)."""
    address, port = preview.server.server_address[:2]
    conn = http.client.HTTPConnection(address, port, timeout=10)
    conn.putrequest("GET", path, skip_host=True)
    conn.putheader("Host", host or f"127.0.0.1:{port}")
    conn.endheaders()
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


def test_the_routes_of_the_draft(server: PreviewServer) -> None:
    status, headers, page = get(server, "/")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    text = page.decode()
    assert "2021年度部门整体绩效评价报告" in text and '<script src="/assets/preview.js" defer>' in text

    status, headers, fragment = get(server, "/fragment")
    assert status == 200 and headers["X-Report-Ok"] == "1" and headers["X-Report-Version"] == "1"
    assert "主要职能。" in fragment.decode()

    for name, ctype in (("report.css", "text/css"), ("preview.js", "text/javascript")):
        status, headers, _ = get(server, f"/assets/{name}")
        assert status == 200 and headers["Content-Type"].startswith(ctype)

    status, headers, data = get(server, "/images/content/images/org.png?v=1")
    assert status == 200 and headers["Content-Type"] == "image/png" and data == tiny_png()


TRAVERSALS = [
    "/../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2E%2E/%2E%2E/etc/passwd",
    "//etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1/etc/passwd",
    "/content/facts.yaml",
    "/content/",
    "/assets/",
    "/assets/../content/facts.yaml",
    "/assets/%2e%2e/content/facts.yaml",
    "/assets/report.css/../../content/facts.yaml",
    "/images/",
    "/images/content/",
    "/images/content/facts.yaml",
    "/images/../content/facts.yaml",
    "/images/%2e%2e/%2e%2e/etc/passwd",
    "/images/..%2f..%2f..%2foutside%2fsecret.png",
    "/images//etc/passwd",
    "/images/%2Fetc%2Fpasswd",
    "/images/content/link.png",  # a symlink in content/ pointing outside
    "/images/content/link-dir/secret.png",  # a directory symlink pointing outside
    "/images/content/images/org.png%00.txt",
    "/images/content/images/%ff.png",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_anything_else_is_not_found(server: PreviewServer, path: str) -> None:
    status, _, data = get(server, path)
    assert status == 404
    assert SECRET.encode() not in data and b"root:" not in data


def test_every_traversal_target_exists(folder: Path) -> None:
    """The 404s above are refusals, not missing files."""
    outside = folder.parent / "outside"
    assert (outside / "secret.png").read_text(encoding="utf-8") == SECRET
    assert (folder / "content" / "link.png").read_text(encoding="utf-8") == SECRET
    assert (folder / "content" / "link-dir" / "secret.png").is_file()
    assert (folder / "content" / "facts.yaml").is_file()


def test_other_host_names_are_refused(server: PreviewServer) -> None:
    """A page on another site cannot read the draft by pointing its own name at 127.0.0.1."""
    status, _, data = get(server, "/fragment", host="attacker.example")
    assert status == 403 and "主要职能" not in data.decode()
    port = server.server.server_address[1]
    assert get(server, "/", host=f"localhost:{port}")[0] == 200


def test_loopback_only_unless_asked(folder: Path) -> None:
    with pytest.raises(ReportError, match="--host"):
        PreviewServer(folder, host="0.0.0.0", port=0)
    with PreviewServer(folder, port=0, log=lambda line: None) as preview:
        address, port = preview.server.server_address[:2]
        assert address == "127.0.0.1"
        # 127.0.0.2 is this machine too, but the server does not listen there
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.2", port), timeout=5)


def test_a_busy_port_is_a_message(folder: Path) -> None:
    with PreviewServer(folder, port=0, log=lambda line: None) as first:
        port = first.server.server_address[1]
        with pytest.raises(ReportError, match=f"端口 {port} 已被占用"):
            PreviewServer(folder, port=port, log=lambda line: None).start()


def _edit(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def test_rebuild_on_save_error_in_page_and_recovery(folder: Path) -> None:
    lines: list[str] = []
    draft = Draft(folder, lines.append)
    assert draft.build.ok and draft.build.version == 1 and "已生成（" in lines[-1]
    assert not draft.poll()  # nothing changed

    section = folder / "content" / SECTION
    _edit(section, "新写的主要职能段落。\n")
    assert draft.poll()
    assert draft.build.version == 2 and "新写的主要职能段落。" in draft.build.fragment
    assert lines[-1].endswith("毫秒）") and f"content/{SECTION}：已重新生成（" in lines[-1]

    facts = folder / "content" / "facts.yaml"
    good = facts.read_text(encoding="utf-8")
    _edit(facts, good.replace("initial: 57373.02", "initial: [57373.02"))
    assert draft.poll()
    assert not draft.build.ok and "facts.yaml:11" in draft.build.fragment and "YAML" in draft.build.fragment
    assert "新写的主要职能段落" not in draft.build.fragment
    assert "错误：" in lines[-1] and "facts.yaml:11" in lines[-1]

    _edit(facts, good)
    assert draft.poll() and draft.build.ok and "新写的主要职能段落。" in draft.build.fragment

    _edit(section, "第一行。\n执行率 {{ budget.no_such_name }}。\n")
    assert draft.poll()
    assert not draft.build.ok and f"{SECTION}:2" in draft.build.fragment and "未知的名称" in draft.build.fragment

    section.write_bytes(b"\xff\xfe bad bytes")
    assert draft.poll() and not draft.build.ok

    section.unlink()
    assert draft.poll() and not draft.build.ok and "缺少章节文件" in draft.build.fragment

    _edit(section, "恢复了。\n")
    assert draft.poll() and draft.build.ok and "恢复了。" in draft.build.fragment


def test_pictures_and_new_files_are_watched(folder: Path) -> None:
    draft = Draft(folder, lambda line: None)
    picture = (folder / "content" / "images" / "org.png").resolve()
    assert picture in draft.watched()
    picture.write_bytes(tiny_png() + b"\0")
    assert draft.poll()
    (folder / "reportkit.yaml").write_text("toc: true\n", encoding="utf-8")
    assert draft.poll()
    (folder / "reportkit.yaml").write_text("unknown_option: 1\n", encoding="utf-8")
    assert draft.poll() and not draft.build.ok and "reportkit.yaml:1" in draft.build.fragment


def test_events_announce_each_build(server: PreviewServer, folder: Path) -> None:
    address, port = server.server.server_address[:2]
    conn = http.client.HTTPConnection(address, port, timeout=10)
    conn.request("GET", "/events")
    response = conn.getresponse()
    assert response.status == 200 and response.getheader("Content-Type").startswith("text/event-stream")

    def next_version() -> str:
        while True:
            line = response.fp.readline().decode()
            assert line, "the stream ended"
            if line.startswith("data: "):
                return line[len("data: "):].strip()

    assert next_version() == "1"
    _edit(folder / "content" / SECTION, "事件测试。\n")
    assert next_version() == "2"  # the watcher thread saw the save (read times out after 10 s)
    status, headers, fragment = get(server, "/fragment")
    assert headers["X-Report-Version"] == "2" and "事件测试。" in fragment.decode()
    conn.close()


class Running:
    """`reportkit preview` in a child process, its output read line by line."""

    def __init__(self, *args: str):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "reportkit", "preview", *args], stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, encoding="utf-8", env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("")

    def expect(self, words: str, timeout: float = 20) -> str:
        while True:
            line = self.lines.get(timeout=timeout)
            self.seen.append(line)
            assert line != "" or self.proc.poll() is None, f"ended before “{words}”: {self.seen}"
            if words in line:
                return line


def test_command_serves_and_stops_cleanly_on_ctrl_c(folder: Path) -> None:
    run = Running(str(folder), "--port", "0")
    try:
        run.expect("已生成（")
        line = run.expect("预览地址：http://127.0.0.1:")
        port = int(line.split("127.0.0.1:")[1].split("/")[0])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/")
        assert conn.getresponse().status == 200
        conn.close()
        run.proc.send_signal(signal.SIGINT)
        assert run.proc.wait(timeout=20) == 0
        run.expect("预览已停止")
        assert not any("Traceback" in line for line in run.seen)
    finally:
        run.proc.kill()
        run.proc.wait()


def test_command_with_explicit_host_warns(folder: Path) -> None:
    run = Running(str(folder), "--port", "0", "--host", "127.0.0.2")
    try:
        run.expect("警告：预览将在 127.0.0.2 上监听")
        run.expect("预览地址：http://127.0.0.2:")
        run.proc.terminate()  # SIGTERM stops it as cleanly as Ctrl-C
        assert run.proc.wait(timeout=20) == 0
        run.expect("预览已停止")
    finally:
        run.proc.kill()
        run.proc.wait()


def test_command_refuses_a_folder_that_is_no_report(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "reportkit", "preview", str(tmp_path), "--port", "0"],
                            capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 2 and "找不到 content/facts.yaml" in result.stderr


def test_a_second_save_within_one_clock_tick_is_seen(folder: Path) -> None:
    """Same size, same modification time (two saves inside one timestamp tick): the content differs."""
    draft = Draft(folder, lambda line: None)
    section = folder / "content" / SECTION
    _edit(section, "第一稿。\n")
    assert draft.poll() and "第一稿。" in draft.build.fragment
    stamp = section.stat()
    _edit(section, "第二稿。\n")
    os.utime(section, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert section.stat().st_size == stamp.st_size and section.stat().st_mtime_ns == stamp.st_mtime_ns
    assert draft.poll() and "第二稿。" in draft.build.fragment
    assert not draft.poll()  # and once only


def test_an_old_file_is_compared_by_its_stat_alone(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a file is no longer fresh its digest is dropped: that alone is no change."""
    draft = Draft(folder, lambda line: None)
    assert not draft.poll()
    monkeypatch.setattr("reportkit.preview.server.FRESH_NS", 0)
    assert not draft.poll()


def _saved_and_seen(preview: PreviewServer, path: Path, text: str) -> bool:
    """The saved text reaches the page within 30 s (a check of the previous build may be
    published in between)."""
    build = preview.draft.build
    _edit(path, text)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        build = preview.draft.wait(build.version, deadline - time.monotonic())
        if text.split("\n")[0] in build.fragment:
            return True
    return False


@pytest.mark.parametrize("events", [True, False], ids=["file-events", "polling"])
def test_the_watcher_sees_saves_with_file_events_or_polling(folder: Path, monkeypatch, events: bool) -> None:
    if events:  # only an event can wake the watcher in time
        monkeypatch.setattr("reportkit.preview.server.SAFETY_POLL_MS", 60_000)
    else:
        monkeypatch.setitem(sys.modules, "watchfiles", None)  # no watchfiles: import fails
    lines: list[str] = []
    with PreviewServer(folder, port=0, log=lines.append) as preview:
        time.sleep(1)  # the watcher thread sets up its watches (a save before that waits for the safety poll)
        section = folder / "content" / SECTION
        # the fixture's picture stays: a folder no longer used is unwatched, and the watches set anew
        assert _saved_and_seen(preview, section, "第一次保存。\n\n![机构图](images/org.png)\n")
        pictures = folder / "content" / "新图"  # a folder the report did not use before
        pictures.mkdir()
        (pictures / "a.png").write_bytes(tiny_png())
        assert _saved_and_seen(preview, section, "第二次保存。\n\n![图](新图/a.png)\n"), lines
        time.sleep(1)  # the watches are set up anew, with the new folder
        version = preview.draft.build.version
        (pictures / "a.png").write_bytes(tiny_png() + b"\0")  # a change in the new folder is seen too
        assert preview.draft.wait(version, 30).version > version
    assert any("改为每" in line for line in lines) is not events, lines
