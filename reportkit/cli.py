"""The `reportkit` command: a thin layer over the library. Exit 0 ok, 2 bad input, 1 other."""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys

from . import __version__, startcache
from .errors import ReportError

# Each command module defines NAME, HELP, add_arguments(parser) and run(args) -> int.
COMMANDS = (
    "reportkit.commands.build",
    "reportkit.commands.score",
    "reportkit.commands.frameworks",
    "reportkit.commands.framework",
    "reportkit.commands.outlines",
    "reportkit.commands.import_",
    "reportkit.commands.preview",
    "reportkit.commands.new",
    "reportkit.commands.check",
    "reportkit.commands.schema",
    "reportkit.commands.names",
    "reportkit.commands.batch",
    "reportkit.commands.diff",
)


_ARGPARSE_WORDS = (
    ("unrecognized arguments", "无法识别的参数"),
    ("the following arguments are required", "缺少参数"),
    ("invalid choice", "无效的选项"),
    ("choose from", "可选"),
    ("invalid int value", "需要整数"),
    ("invalid float value", "需要数字"),
    ("invalid Path value", "需要路径"),
    ("ambiguous option", "选项不明确"),
    ("could match", "可能是"),
    ("not allowed with argument", "不能与此参数同时使用"),
    ("expected at least one argument", "至少需要一个值"),
    ("ignored explicit argument", "不接受值"),
    ("expected one argument", "需要一个值"),
    ("argument ", "参数 "),
)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001
        return super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


# What the usage line and the help call an argument's value, where its command names none
# (argparse would show the destination in capitals: --year YEAR, --port PORT).
METAVARS = {
    "dir": "目录", "docx": "Word文件", "framework": "编号", "year": "年度", "unit": "名称", "level": "层级",
    "kind": "类型", "outline": "提纲", "out": "目录", "output": "文件", "jobs": "进程数", "timeout": "秒数",
    "port": "端口", "host": "地址", "template": "模板",
}


class _Parser(argparse.ArgumentParser):
    """argparse with its own words in Chinese."""

    def add_argument(self, *names, **kwargs):  # noqa: ANN002, ANN003, ANN201
        if "metavar" not in kwargs and kwargs.get("action") in (None, "store"):
            dest = kwargs.get("dest") or max(names, key=len).lstrip("-").replace("-", "_")
            if dest in METAVARS:
                kwargs["metavar"] = METAVARS[dest]
        return super().add_argument(*names, **kwargs)

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> None:  # argparse prints English; users read Chinese
        self.print_usage(sys.stderr)
        for english, chinese in _ARGPARSE_WORDS:
            message = message.replace(english, chinese)
        print(f"reportkit：参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def _command_name(module_path: str) -> str:
    return module_path.rsplit(".", 1)[1].rstrip("_")  # commands.import_ -> import


def make_parser(wanted: str | None = None) -> tuple[argparse.ArgumentParser, dict]:
    """The parser with every command, or only `wanted` (start-up time: each command's
    imports are loaded only when it runs)."""
    parser = _Parser(prog="reportkit", description="部门整体支出绩效评价报告工具")
    parser.add_argument("-V", "--version", action="version", version=f"reportkit {__version__}",
                        help="显示版本并退出")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    modules = {}
    paths = [p for p in COMMANDS if _command_name(p) == wanted] or list(COMMANDS)
    for name in paths:
        module = importlib.import_module(name)
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        modules[module.NAME] = module
    return parser, modules


BROKEN_PIPE = 141  # as a shell reports a command ended by SIGPIPE


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


# A command allocates many objects (tokens, elements, Decimals) and makes few cycles: with the
# default 700, the cycle collector ran thousands of times and re-scanned the growing heap (about
# a tenth of a 50-times build's CPU). Set here, in the command line only, not for the library.
GC_THRESHOLD = (20_000, 10, 10)


def main(argv: list[str] | None = None) -> int:
    gc.set_threshold(*GC_THRESHOLD)
    argv = sys.argv[1:] if argv is None else argv
    parser, modules = make_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return modules[args.command].run(args)
    except ReportError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 1
    except BrokenPipeError:  # `reportkit check | head`: the reader has what it wanted
        _quiet_stdout()
        return BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - last resort: a message, never a traceback
        print(f"内部错误：{type(exc).__name__}: {exc}。请把这条信息和输入文件一起报告给维护者。", file=sys.stderr)
        return 1


def run() -> None:
    """The `reportkit` command: main(), then exit at once.

    Once main() has returned every output file is written and closed; all that is left is
    flushing the terminal output. The interpreter's teardown (freeing every object, some
    30 ms after a build) is skipped with os._exit: nothing the commands leave needs it.
    Regular expressions and dataclass methods compile through the start-up cache.
    """
    startcache.install()
    code = main()
    startcache.save()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # the reader left before the last lines: as main() says it
        code = code or BROKEN_PIPE
    except (OSError, ValueError):
        code = code or 1
    os._exit(code)


if __name__ == "__main__":
    run()
