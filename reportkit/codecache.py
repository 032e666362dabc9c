"""A disk cache of compiled Jinja code, like Python's own .pyc files.

Compiling templates to Python bytecode is most of a build's work after start-up; the code
depends only on the template text, so it is kept under the user's cache directory and
reused by the next build. Any problem with the cache (read-only home, a corrupt entry)
falls back to compiling: the cache can only make a build faster, never different.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType

import jinja2

from . import __version__


def cache_dir() -> Path | None:
    if os.environ.get("REPORTKIT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "reportkit" / f"py{sys.version_info[0]}{sys.version_info[1]}-jinja{jinja2.__version__}-{__version__}"


def cached_code(source: str, name: str, compile_code: Callable[[], CodeType]) -> CodeType:
    directory = cache_dir()
    if directory is None:
        return compile_code()
    key = hashlib.sha256(f"{name}\0{source}".encode()).hexdigest()
    path = directory / f"{key}.code"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    code = compile_code()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(marshal.dumps(code))
        os.replace(tmp, path)
    except OSError:
        pass
    return code


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The same cache for templates loaded by name (the HTML page)."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(directory))
