"""reportkit preview: the HTML draft on 127.0.0.1, updated in the open page on every save."""

from __future__ import annotations

import signal
from pathlib import Path

from ..preview import DEFAULT_PORT, LOOPBACK, serve

NAME = "preview"
HELP = "在本机浏览器中预览报告草稿，保存文件后自动更新"


def add_arguments(parser) -> None:  # noqa: ANN001
    parser.add_argument("dir", nargs="?", default=".", help="报告目录（默认当前目录）")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"端口（默认 {DEFAULT_PORT}；0 为自动选择）")
    parser.add_argument("--open", action="store_true", help="启动后在浏览器中打开")
    parser.add_argument("--host", help=f"监听地址（默认只在本机 {LOOPBACK}；其他地址会让同一网络中的人看到草稿）")


def _stop(signum, frame) -> None:  # noqa: ANN001
    raise KeyboardInterrupt


def run(args) -> int:  # noqa: ANN001
    signal.signal(signal.SIGTERM, _stop)  # `kill` stops it as cleanly as Ctrl-C
    host = args.host if args.host is not None else LOOPBACK
    return serve(Path(args.dir), host, args.port, allow_remote=args.host is not None, open_browser=args.open)
