"""reportkit preview: the draft as HTML on 127.0.0.1, rebuilt and refreshed on every save.

A watcher thread waits for file events in the report's folders (inotify and the like, through
watchfiles; polling every POLL_SECONDS where there are none); when a watched file changed it
rebuilds in-process (load_report + HTML, not the Word file) and wakes every open
page through server-sent events; the page then fetches /fragment and swaps it in, so the
reader keeps their place. Bad input shows its message in the page; the next good save
brings the report back. Nothing the author writes stops the server.

`reportkit check` takes longer than a rebuild, so it stays off that path: once the files
have been still for CHECK_AFTER_SECONDS, the watcher checks the last good build and, unless
a file changed meanwhile, publishes it again with the findings beside their paragraphs.

Only a fixed set of routes is served: /, /fragment, /events, /assets/<name> from a fixed
list, and /images/<path> for the pictures the last good build referenced (inside the report
folder, symlinks followed). Everything else is 404; there is no directory listing.

On a loopback address the Host header must name it (a web page elsewhere cannot reach the
preview through DNS rebinding), whether or not --host was given. A client that goes away
mid-answer is not an error worth a traceback in the author's terminal.

Slow or idle clients cannot lock a page out. A connection has HEAD_TIMEOUT_SECONDS from
connecting to the end of its request's head (the whole head, not each read: a client dripping a
byte at a time gets no more), then REQUEST_TIMEOUT_SECONDS for each write of the answer. At most
MAX_CONNECTIONS are open at once; when one more arrives at the cap, the oldest connection still
waiting for its head is closed to make room (else the oldest event stream, whose page reconnects
by itself within a second); only when every connection is busy answering is the new one refused.
"""

from __future__ import annotations

import errno
import hashlib
import ipaddress
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

from ..assemble import Report, load_report
from ..check import check_report
from ..errors import ReportError, os_reason
from ..findings import Finding
from ..load import CONFIG_FILE, all_sections, find_root
from ..render import (
    IMAGE_TYPES,
    MAX_IMAGE_BYTES,
    WEB,
    Pictures,
    render_error,
    render_page,
    render_report,
    summary,
)

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 8000
POLL_SECONDS = 0.05  # without file events: how often the files are compared
SAFETY_POLL_MS = 250  # with file events: compared this often as well (a missed event, the check timer)
EVENT_STEP_MS = 2  # after a file event, wait this long for more of the same save
CHECK_AFTER_SECONDS = 0.3  # no change for this long: run `reportkit check`
KEEPALIVE_SECONDS = 15
HEAD_TIMEOUT_SECONDS = 10  # from connecting to the end of the request's head
REQUEST_TIMEOUT_SECONDS = 20  # each write of an answer to a client that does not read
MAX_CONNECTIONS = 32  # open at once (each page holds one for its events); see _Server.admit
EVICT_WAIT_SECONDS = 2  # how long a new connection waits for the one closed to make room
_GONE = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError, TimeoutError)
ASSETS = {"report.css": "text/css; charset=utf-8", "preview.js": "text/javascript; charset=utf-8"}
PAGE_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
               "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
WATCHED_SUFFIXES = (".md", ".yaml", ".yml")

Log = Callable[[str], None]


def _print(line: str) -> None:
    print(line, flush=True)


# A file's modification time moves in clock ticks (a few milliseconds on many systems): two
# saves of the same size within one tick look alike. While a file is this fresh, its
# content's digest is compared too.
FRESH_NS = 2_000_000_000
FRESH_MAX_BYTES = 1 << 20

Stamp = tuple[int, int, int, bytes | None]  # mtime_ns, size, inode, digest while fresh


def _stat(path: Path) -> Stamp | None:
    try:
        st = path.stat()
        digest = None
        if time.time_ns() - st.st_mtime_ns < FRESH_NS and st.st_size <= FRESH_MAX_BYTES:
            digest = hashlib.blake2b(path.read_bytes(), digest_size=16).digest()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino, digest)


def _differ(a: Stamp | None, b: Stamp | None) -> bool:
    """Saved, created or removed: another stat, or, while both are fresh, other content."""
    if a is None or b is None:
        return a is not b
    return a[:3] != b[:3] or (a[3] is not None and b[3] is not None and a[3] != b[3])


@dataclass(frozen=True)
class Build:
    """One version of the page: the HTML of the report (or of its error), how long its
    rebuild took, and the check findings shown in it."""

    version: int
    ok: bool
    title: str
    fragment: str
    ms: int
    findings: tuple[Finding, ...] = ()  # shown in the fragment, once the build was checked


class Draft:
    """A report folder, its latest HTML, and the files whose change triggers a rebuild."""

    def __init__(self, root: Path, log: Log = _print, check_after: float = CHECK_AFTER_SECONDS):
        self.root = root
        self.log = log
        self.check_after = check_after
        self.extra: set[Path] = set()  # framework file, template, pictures of the last good build
        self.changed = threading.Condition()
        self.closed = False
        self.build = Build(0, False, "报告预览", "", 0)
        self.pictures: frozenset[Path] = frozenset()  # what the last good build shows: all /images/ serves
        self.seen: dict[Path, Stamp | None] = {}
        self.unchecked: Report | None = None  # the last build's report, until it is checked
        self.built_at = 0.0  # time.monotonic() of the last build
        self.had_findings = False  # the last check found something
        self.rebuild()

    def watched(self) -> set[Path]:
        content = self.root / "content"
        files = {self.root / CONFIG_FILE, content / "facts.yaml"}
        files |= {content / s.file for s in all_sections()}
        try:
            files |= {p for p in content.iterdir() if p.suffix in WATCHED_SUFFIXES}
        except OSError:
            pass
        return files | self.extra

    def snapshot(self) -> dict[Path, Stamp | None]:
        return {path: _stat(path) for path in self.watched()}

    def modified(self) -> list[Path]:
        """Watched files saved, created or removed since the last build read them."""
        now = self.snapshot()
        return sorted(p for p in now if _differ(now[p], self.seen.get(p)))

    def poll(self) -> bool:
        """Rebuild if a watched file changed; check the build once nothing changed for a while."""
        changed = self.modified()
        if changed:
            self.rebuild(changed)
        elif self.unchecked is not None and time.monotonic() - self.built_at >= self.check_after:
            self.check()
        return bool(changed)

    def rebuild(self, changed: list[Path] | None = None) -> Build:
        seen = self.snapshot()  # taken before reading: a save during the build is seen next time
        start = time.perf_counter()
        ok, title, report = False, "报告预览", None
        try:
            report = load_report(self.root)
            pictures = Pictures(report.paths.root, embed=False)
            fragment = render_report(report, pictures)
            ok, title = True, report.title
            self.extra = pictures.used | self._inputs(report)
            self.pictures = frozenset(p.resolve() for p in pictures.used)
            line = "已重新生成" if changed else "已生成"
        except ReportError as exc:
            fragment = render_error(str(exc))
            line = f"错误：{exc}"
        except Exception as exc:  # noqa: BLE001 - a bug must not stop the preview either
            line = f"内部错误：{type(exc).__name__}: {exc}。请把这条信息和输入文件一起报告给维护者。"
            fragment = render_error(line)
        ms = round((time.perf_counter() - start) * 1000)
        for path in self.watched() - seen.keys():  # newly watched: the framework, a picture
            seen[path] = _stat(path)
        self.seen = seen
        self.unchecked = report if ok else None
        self.built_at = time.monotonic()
        with self.changed:
            self.build = Build(self.build.version + 1, ok, title, fragment, ms)
            self.changed.notify_all()
        if ok:
            line += f"（{ms} 毫秒）"
        files = "、".join(self._name(p) for p in changed or [])
        self.log(f"{time.strftime('%H:%M:%S')} {files + '：' if files else ''}{line}")
        return self.build

    def check(self) -> None:
        """Check the last build and publish it again with the findings, unless a file changed
        meanwhile (then the next poll rebuilds, and that build is checked in turn)."""
        report, self.unchecked = self.unchecked, None
        if report is None:
            return
        start = time.perf_counter()
        try:
            findings = check_report(self.root).findings
            fragment = render_report(report, Pictures(report.paths.root, embed=False), findings) if findings else ""
        except Exception as exc:  # noqa: BLE001 - the preview goes on without the findings
            if not self.modified():  # else a save in the meantime explains it; the rebuild comes next
                self.log(f"{time.strftime('%H:%M:%S')} 检查时出现内部错误：{type(exc).__name__}: {exc}")
            return
        if self.modified():
            return
        if findings:
            with self.changed:
                self.build = replace(self.build, version=self.build.version + 1, fragment=fragment,
                                     findings=tuple(findings))
                self.changed.notify_all()
        if findings or self.had_findings:  # silent while there is nothing to report
            ms = round((time.perf_counter() - start) * 1000)
            self.log(f"{time.strftime('%H:%M:%S')} 检查：{summary(findings) or '没有发现问题'}（{ms} 毫秒）")
        self.had_findings = bool(findings)

    def _inputs(self, report) -> set[Path]:  # noqa: ANN001
        """A framework file, outline file, Word template and the outline's section files, read by this build."""
        root = self.root.resolve()
        found = {Path(report.framework.file)}
        if report.outline is not None:
            found.add(Path(report.outline.file))
            found |= {report.paths.content / s.file for s in report.outline.files()}
        if report.options.get("template"):
            found.add(self.root / report.options["template"])
        return {p for p in found if p.resolve().is_relative_to(root)}

    def _name(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def wait(self, version: int | None, timeout: float, stop: threading.Event | None = None) -> Build:
        """The build after `version`, or the same one after `timeout` seconds (or once `stop`
        is set and wake() called)."""
        with self.changed:
            self.changed.wait_for(
                lambda: self.closed or self.build.version != version or stop is not None and stop.is_set(), timeout)
            return self.build

    def wake(self) -> None:
        """Wake every wait() to look at its `stop` again."""
        with self.changed:
            self.changed.notify_all()

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.changed.notify_all()


HEAD, ANSWER, EVENTS = "head", "answer", "events"  # what a connection is doing


@dataclass(eq=False)
class _Connection:
    """An open connection to the preview server and how far its request has got."""

    sock: socket.socket
    opened: float  # time.monotonic()
    phase: str = HEAD  # HEAD: its request's head is not read yet
    closing: threading.Event = field(default_factory=threading.Event)  # closed to make room, or too slow


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    draft: Draft
    allowed_hosts: set[str] | None  # Host headers accepted; None: any (--host on a public address)
    log: Log

    def server_activate(self) -> None:
        super().server_activate()
        self.open = threading.Condition()
        self.connections: dict[socket.socket, _Connection] = {}  # each with its thread, until it ends

    def process_request(self, request, client_address) -> None:  # noqa: ANN001
        if not self.admit(request):  # every connection busy answering: refuse at once rather than queue
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._leave(request)
            raise

    def admit(self, request: socket.socket) -> bool:
        """Room for one more connection: below the cap, or by closing the oldest one still
        waiting for its head (else the oldest event stream). False: all are answering."""
        with self.open:
            if len(self.connections) >= MAX_CONNECTIONS:
                victim = self._victim()
                if victim is None:
                    return False
                self._close(victim)
                self.open.wait_for(lambda: victim.sock not in self.connections, EVICT_WAIT_SECONDS)
                if len(self.connections) >= MAX_CONNECTIONS:
                    return False
            self.connections[request] = _Connection(request, time.monotonic())
            return True

    def _victim(self) -> _Connection | None:
        for phase in (HEAD, EVENTS):
            waiting = [c for c in self.connections.values() if c.phase == phase and not c.closing.is_set()]
            if waiting:
                return min(waiting, key=lambda c: c.opened)
        return None

    def _close(self, connection: _Connection) -> None:
        """End a connection from outside its thread: its blocked read or write returns at once."""
        connection.closing.set()
        try:
            connection.sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already gone
            pass
        if connection.phase == EVENTS:
            self.draft.wake()

    def enter(self, request: socket.socket, phase: str) -> _Connection:
        with self.open:
            connection = self.connections[request]
            connection.phase = phase
            return connection

    def service_actions(self) -> None:
        """Between accepts (every poll interval): close the connections whose head is late."""
        late = time.monotonic() - self.RequestHandlerClass.timeout
        with self.open:
            for connection in list(self.connections.values()):
                if connection.phase == HEAD and connection.opened < late and not connection.closing.is_set():
                    self._close(connection)

    def _leave(self, request: socket.socket) -> None:
        with self.open:
            self.connections.pop(request, None)
            self.open.notify_all()

    def process_request_thread(self, request, client_address) -> None:  # noqa: ANN001
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._leave(request)

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        """A client gone or too slow is normal; anything else is one line, never a traceback."""
        exc = sys.exc_info()[1]
        if not isinstance(exc, _GONE):
            self.log(f"预览服务内部错误：{type(exc).__name__}: {exc}")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "reportkit"
    sys_version = ""
    timeout = HEAD_TIMEOUT_SECONDS  # each read of the head; the whole head: _Server.service_actions

    def log_message(self, format: str, *args) -> None:  # noqa: A002, ANN002 - the terminal shows rebuilds only
        pass

    def parse_request(self) -> bool:
        """The head is read: the connection is answering now, with the longer write timeout."""
        if not super().parse_request():
            return False
        self.connection.settimeout(REQUEST_TIMEOUT_SECONDS)
        tracked = self.server.enter(self.request, ANSWER)
        return not tracked.closing.is_set()  # closed meanwhile: no answer

    def do_GET(self) -> None:
        allowed = self.server.allowed_hosts
        if allowed is not None and (self.headers.get("Host") or "").lower() not in allowed:
            self._send(403, "预览只接受 http://127.0.0.1 或 http://localhost 的访问。".encode())
            return
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        draft = self.server.draft
        if path == "/":
            build = draft.build
            page = render_page(build.title, build.fragment, standalone=False, version=build.version, ok=build.ok)
            self._send(200, page.encode(), "text/html; charset=utf-8", {"Content-Security-Policy": PAGE_POLICY})
        elif path == "/fragment":
            build = draft.build
            self._send(200, build.fragment.encode(), "text/html; charset=utf-8", {
                "Content-Security-Policy": PAGE_POLICY, "X-Report-Version": str(build.version),
                "X-Report-Ok": "1" if build.ok else "0", "X-Build-Ms": str(build.ms),
            })
        elif path == "/events":
            self._events(draft)
        elif path.startswith("/assets/") and path[len("/assets/"):] in ASSETS:
            name = path[len("/assets/"):]
            self._send(200, (WEB / name).read_bytes(), ASSETS[name])
        elif path.startswith("/images/"):
            self._image(path[len("/images/"):])
        else:
            self._not_found()

    def _send(self, status: int, body: bytes, ctype: str = "text/plain; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _not_found(self) -> None:
        self._send(404, "未找到。".encode())

    def _image(self, rel: str) -> None:
        """A picture the report shows: inside the folder, after every symlink is followed."""
        root = self.server.draft.root.resolve()
        try:
            path = (root / unquote(rel, errors="strict")).resolve()
            if (path not in self.server.draft.pictures or not path.is_relative_to(root)
                    or path.suffix.lower() not in IMAGE_TYPES
                    or not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES):
                self._not_found()
                return
            data = path.read_bytes()
        except (OSError, ValueError, UnicodeDecodeError):
            self._not_found()
            return
        self._send(200, data, IMAGE_TYPES[path.suffix.lower()])

    def _events(self, draft: Draft) -> None:
        """Server-sent events: the version of every new build, a comment now and then."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        version = None
        closing = self.server.enter(self.request, EVENTS).closing
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                build = draft.wait(version, KEEPALIVE_SECONDS, closing)
                if draft.closed or closing.is_set():
                    return
                if build.version != version:
                    version = build.version
                    self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                else:
                    self.wfile.write(b": \n\n")
                self.wfile.flush()
        except OSError:  # the page was closed
            return


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str] | None:
    """Host headers the preview answers: on a loopback address only the loopback names (DNS
    rebinding protection stays on with an explicit --host 127.0.0.1); elsewhere any."""
    if not is_loopback(host):
        return None
    names = {LOOPBACK, "localhost", "[::1]", host.lower() if ":" not in host else f"[{host.strip('[]')}]"}
    return {f"{name}:{port}" for name in names}


class PreviewServer:
    """The preview of one report folder: a watcher thread and an HTTP server thread.

    Binds 127.0.0.1 only, unless `allow_remote` is given (the command passes it when the
    user names --host explicitly).
    """

    def __init__(self, root: Path, host: str = LOOPBACK, port: int = DEFAULT_PORT, *,
                 allow_remote: bool = False, interval: float = POLL_SECONDS, log: Log = _print):
        if host != LOOPBACK and not allow_remote:
            raise ReportError(
                f"预览只在本机地址 {LOOPBACK} 上提供，不能监听“{host}”",
                expected=f"省略地址（默认 {LOOPBACK}），或确需让其他电脑访问时显式使用 --host",
            )
        self.root = root
        self.host = host
        self.port = port
        self.allow_remote = allow_remote
        self.interval = interval
        self.log = log
        self.stopping = threading.Event()
        self.threads: list[threading.Thread] = []
        self.server: _Server | None = None
        self.draft: Draft | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self) -> PreviewServer:
        find_root(self.root)  # not a report folder at all: stop here with the message
        if isinstance(self.port, bool) or not isinstance(self.port, int) or not 0 <= self.port <= 65535:
            raise ReportError(f"端口“{self.port}”超出范围", key="--port",
                              expected="1–65535 之间的端口，或 --port 0 自动选择")
        try:
            server = _Server((self.host, self.port), _Handler)
        except (OSError, OverflowError) as exc:
            if getattr(exc, "errno", None) == errno.EADDRINUSE:
                raise ReportError(f"端口 {self.port} 已被占用", key="--port",
                                  expected="用 --port 指定其他端口，或 --port 0 自动选择") from None
            raise ReportError(f"无法在 {self.host}:{self.port} 上启动预览：{os_reason(exc)}", key="--host",
                              expected=f"本机的一个地址（默认 {LOOPBACK}）") from None
        self.draft = Draft(self.root, self.log)
        port = server.server_address[1]
        server.draft = self.draft
        server.allowed_hosts = allowed_hosts(self.host, port)
        server.log = self.log
        self.server = server
        self.threads = [
            threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                             name="preview-http", daemon=True),
            threading.Thread(target=self._watch, name="preview-watch", daemon=True),
        ]
        for thread in self.threads:
            thread.start()
        return self

    def _watch(self) -> None:
        try:
            self._watch_events()
            return
        except Exception as exc:  # noqa: BLE001 - no file events here (or too many watches): poll
            if self.stopping.is_set():
                return
            self.log(f"提示：无法接收文件变化通知（{type(exc).__name__}），改为每 {self.interval * 1000:.0f} 毫秒检查一次文件")
        while not self.stopping.wait(self.interval):
            self._poll()

    def _watch_events(self) -> None:
        """Compare the files whenever something changed in a folder holding one of them."""
        import watchfiles

        while not self.stopping.is_set():
            folders = self._folders()
            for _ in watchfiles.watch(*folders, stop_event=self.stopping, step=EVENT_STEP_MS,
                                      debounce=50, rust_timeout=SAFETY_POLL_MS, yield_on_timeout=True,
                                      recursive=False, raise_interrupt=False):
                self._poll()
                if self._folders() != folders:
                    break  # a folder to add (content/ created, a picture's folder): watch anew

    def _folders(self) -> list[str]:
        assert self.draft is not None
        return sorted({str(p.parent) for p in self.draft.watched() if p.parent.is_dir()})

    def _poll(self) -> None:
        assert self.draft is not None
        try:
            self.draft.poll()
        except Exception as exc:  # noqa: BLE001 - keep watching whatever happens
            self.log(f"内部错误：{type(exc).__name__}: {exc}")

    def stop(self) -> None:
        self.stopping.set()
        if self.draft is not None:
            self.draft.close()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        for thread in self.threads:
            thread.join(timeout=2)

    def __enter__(self) -> PreviewServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve(root: Path, host: str = LOOPBACK, port: int = DEFAULT_PORT, *, allow_remote: bool = False,
          open_browser: bool = False, log: Log = _print) -> int:
    """Run the preview until Ctrl-C."""
    if allow_remote and host != LOOPBACK:
        log(f"警告：预览将在 {host} 上监听，同一网络中的其他人可能看到这份报告草稿。")
    preview = PreviewServer(root, host, port, allow_remote=allow_remote, log=log).start()
    try:
        log(f"预览地址：{preview.url}（保存文件后页面自动更新；按 Ctrl-C 停止）")
        if open_browser:
            import webbrowser

            webbrowser.open(preview.url)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()
        log("预览已停止")
    return 0
