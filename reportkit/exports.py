"""Lazy exports for the stage packages: a name is imported the first time another stage uses it.

Each subpackage's __init__ lists what it exports and where it lives; importing the package
costs nothing until a name is needed, which keeps the start-up of every command short.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from importlib import import_module
from typing import Any


def lazy(package: str, exports: dict[str, str]) -> tuple[Callable[[str], Any], list[str]]:
    """(__getattr__, __all__) for `package`; exports map a name to "module" or "module:attribute"."""

    def __getattr__(name: str) -> Any:
        target = exports.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = getattr(import_module(module, package), attribute or name)
        setattr(sys.modules[package], name, value)  # later uses are plain attribute reads
        return value

    return __getattr__, sorted(exports)
