"""A disk cache of compiled Jinja code, like Python's own .pyc files.

Compiling templates to Python bytecode is most of a build's work after start-up; the code
depends only on the template text, so it is kept under the user's cache directory and
reused by the next build. Any problem with the cache (read-only home, a corrupt entry)
falls back to compiling: the cache can only make a build faster, never different.

Every edit of a section is a new text, so the cache is bounded: a hit marks its entry as
used (its modification time), and after each new entry the least recently used beyond
MAX_ENTRIES are removed.
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
from .startcache import cache_root

MAX_ENTRIES = 2000  # compiled texts kept (a few MB): many reports' worth of sections


def cache_dir() -> Path | None:
    root = cache_root()
    if root is None:
        return None
    return Path(root) / f"py{sys.version_info[0]}{sys.version_info[1]}-jinja{jinja2.__version__}-{__version__}"


def cached_code(source: str, name: str, compile_code: Callable[[], CodeType]) -> CodeType:
    directory = cache_dir()
    if directory is None:
        return compile_code()
    key = hashlib.sha256(f"{name}\0{source}".encode()).hexdigest()
    path = directory / f"{key}.code"
    try:
        code = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        pass
    else:
        try:
            os.utime(path)  # recently used: kept when older entries are evicted
        except OSError:
            pass
        return code
    code = compile_code()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(marshal.dumps(code))
        os.replace(tmp, path)
        evict(directory)
    except OSError:
        pass
    return code


def evict(directory: Path, keep: int | None = None) -> None:
    """Remove the least recently used entries beyond `keep` (MAX_ENTRIES)."""
    keep = MAX_ENTRIES if keep is None else keep
    with os.scandir(directory) as found:
        entries = [e for e in found if e.name.endswith(".code")]
    if len(entries) <= keep:
        return
    dated = []
    for entry in entries:
        try:
            dated.append((entry.stat().st_mtime_ns, entry.path))
        except OSError:  # removed meanwhile by another build
            pass
    dated.sort()
    for _, old in dated[:len(dated) - keep]:
        try:
            os.unlink(old)
        except OSError:
            pass


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
