"""A disk cache of compiled Jinja code and parsed files, like Python's own .pyc files.

Compiling templates to Python bytecode is most of a build's work after start-up, and parsing
the framework file a tenth of the rest; both depend only on the text, so they are kept under
the user's cache directory and reused by the next build. Any problem with the cache
(read-only home, a corrupt entry) falls back to compiling: the cache can only make a build
faster, never different.

Every edit of a section is a new text, so the cache is bounded: a hit marks its entry as
used (its modification time), and after each new entry the least recently used beyond
MAX_ENTRIES are removed.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import pickle  # loaded with jinja2 in any case (its bytecode cache)
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import TypeVar

import jinja2

from . import __version__
from .startcache import cache_root

T = TypeVar("T")

MAX_ENTRIES = 2000  # compiled texts kept (a few MB): many reports' worth of sections


def cache_dir() -> Path | None:
    root = cache_root()
    if root is None:
        return None
    return Path(root) / f"py{sys.version_info[0]}{sys.version_info[1]}-jinja{jinja2.__version__}-{__version__}"


def cached_code(source: str, name: str, compile_code: Callable[[], CodeType]) -> CodeType:
    return _cached(source, name, compile_code, ".code", marshal.dumps, marshal.loads)


def cached_value(source: str, name: str, make: Callable[[], T]) -> T:
    """The value `make()` computes from `source`, kept like compiled code: a file's parsed YAML
    (a framework file takes 15 ms to parse, half a millisecond to unpickle), a section's tree.
    `name` must tell apart everything else the value depends on."""
    return _cached(source, name, make, ".data", _pickle, pickle.loads)


def _pickle(value: object) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _cached(source: str, name: str, make: Callable[[], T], suffix: str,
            dumps: Callable[[T], bytes], loads: Callable[[bytes], T]) -> T:
    directory = cache_dir()
    if directory is None:
        return make()
    key = hashlib.sha256(f"{name}\0{source}".encode()).hexdigest()
    path = directory / f"{key}{suffix}"
    try:
        value = loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing, unreadable, corrupt or foreign: made anew
        pass
    else:
        try:
            os.utime(path)  # recently used: kept when older entries are evicted
        except OSError:
            pass
        return value
    value = make()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        with os.fdopen(fd, "wb") as out:
            out.write(dumps(value))
        os.replace(tmp, path)
        evict(directory)
    except OSError:
        pass
    return value


def evict(directory: Path, keep: int | None = None) -> None:
    """Remove the least recently used entries beyond `keep` (MAX_ENTRIES)."""
    keep = MAX_ENTRIES if keep is None else keep
    with os.scandir(directory) as found:
        entries = [e for e in found if e.name.endswith((".code", ".data"))]
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
