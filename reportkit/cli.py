"""The `reportkit` command: a thin layer over the library. Exit 0 ok, 2 bad input, 1 other."""

from __future__ import annotations

import argparse
import importlib
import sys

from .errors import ReportError

# Each command module defines NAME, HELP, add_arguments(parser) and run(args) -> int.
COMMANDS = (
    "reportkit.commands.build",
    "reportkit.commands.score",
    "reportkit.commands.frameworks",
    "reportkit.commands.preview",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse prints English; users read Chinese
        self.print_usage(sys.stderr)
        print(f"reportkit：参数错误：{message}", file=sys.stderr)
        raise SystemExit(2)


def make_parser() -> tuple[argparse.ArgumentParser, dict]:
    parser = _Parser(prog="reportkit", description="部门整体支出绩效评价报告工具")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    modules = {}
    for name in COMMANDS:
        module = importlib.import_module(name)
        command = sub.add_parser(module.NAME, help=module.HELP, description=module.HELP)
        module.add_arguments(command)
        modules[module.NAME] = module
    return parser, modules


def main(argv: list[str] | None = None) -> int:
    parser, modules = make_parser()
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
    except Exception as exc:  # noqa: BLE001 - last resort: a message, never a traceback
        print(f"内部错误：{type(exc).__name__}: {exc}。请把这条信息和输入文件一起报告给维护者。", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
