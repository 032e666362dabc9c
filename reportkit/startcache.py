"""A disk cache of what every start of the command compiles anew: regular expressions and
dataclass methods.

Python keeps a module's bytecode in a .pyc file, but not what the module builds when it is
imported. Each `re.compile` at module level parses and compiles its pattern again (ours and the
libraries': some 180 patterns, a big character class taking milliseconds), and each @dataclass
writes its methods' source and compiles it (some 60 classes). Together that was a fifth of a
small build. Both results depend only on their input text and the Python version, so they
are kept in one file under the user's cache directory and reused by the next start.

Installed by the command line only (cli.run), before the command's modules are imported, and
saved when the command ends if it compiled anything new. Any problem (no cache directory, a
corrupt file, another Python's) falls back to compiling: the cache can only make a start
faster, never different. REPORTKIT_NO_CACHE=1 turns it off, with the Jinja code cache.
"""

import _sre
import dataclasses
import importlib.util
import marshal
import os
import re
import sys
from re import _compiler, _parser
from time import perf_counter

# Entries kept: the patterns and methods one version of reportkit uses are a few hundred; the
# rest are patterns made from a report's text. Beyond it, only this run's entries are saved.
MAX_ENTRIES = 1500
# Rewriting the file takes some milliseconds: a run saves only when compiling what the file
# lacked took longer. (markdown-it builds one pattern from a set, so its text differs in each
# process: that one is never found, and must not make every run rewrite the file.)
SAVE_AFTER_SECONDS = 0.005

# The cache belongs to one interpreter, one bytecode format (as a .pyc file does: the magic
# number changes with it) and one version of the regular expression engine.
_TAG = (f"{sys.implementation.cache_tag}-{importlib.util.MAGIC_NUMBER.hex()}-sre{_sre.MAGIC}"
        f"-marshal{marshal.version}")

_original_compile = _compiler.compile
_patterns: dict = {}  # (pattern, flags) → the arguments of _sre.compile after the pattern
_functions: dict = {}  # generated source → its code object
_used: set = set()  # keys of both, hit or added by this process
_state = {"path": None, "compiling": 0.0}  # seconds spent on what the file lacked


def cache_root() -> str | None:
    """reportkit's directory under the user's cache directory, or None when caching is off."""
    if os.environ.get("REPORTKIT_NO_CACHE"):
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "reportkit")


def _sre_arguments(pattern, flags: int) -> tuple:
    """What re._compiler.compile passes to _sre.compile after the pattern (the same steps)."""
    parsed = _parser.parse(pattern, flags)
    code = [int(op) for op in _compiler._code(parsed, flags)]  # opcodes are int subclasses: marshal takes ints
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def compile_pattern(pattern, flags=0):
    """re._compiler.compile, with the compiled code of a text pattern taken from the cache."""
    if not isinstance(pattern, (str, bytes)) or flags & re.DEBUG:
        return _original_compile(pattern, flags)
    key = (pattern, flags)
    arguments = _patterns.get(key)
    if arguments is None:
        start = perf_counter()
        arguments = _sre_arguments(pattern, flags)
        _patterns[key] = arguments
        _state["compiling"] += perf_counter() - start
    _used.add(key)
    return _sre.compile(pattern, *arguments)


def exec_generated(source, globals=None, locals=None):  # noqa: A002 - exec's own names
    """exec() for the dataclasses module: its generated methods' code taken from the cache."""
    if type(source) is not str:
        return exec(source, globals, locals)
    code = _functions.get(source)
    if code is None:
        start = perf_counter()
        # dont_inherit: compiled as dataclasses' own exec(str) compiles it, with no
        # __future__ flags of this module
        code = compile(source, "<string>", "exec", dont_inherit=True)
        _functions[source] = code
        _state["compiling"] += perf_counter() - start
    _used.add(source)
    return exec(code, globals, locals)


def _works() -> bool:
    """This Python's regular expression compiler does what _sre_arguments assumes."""
    probe = r"(?P<a>[a-z]+)\d{2,}(?i:x)|(b)"
    try:
        return _sre.compile(probe, *_sre_arguments(probe, 0)) == _original_compile(probe, 0)
    except Exception:  # noqa: BLE001 - another Python's internals: no cache, as before
        return False


def _read(path: str) -> None:
    try:
        with open(path, "rb") as handle:
            data = handle.read()  # marshal.load(handle) would read it in many small calls
        tag, patterns, functions = marshal.loads(data)
    except (OSError, ValueError, EOFError, TypeError):
        return
    if tag == _TAG and isinstance(patterns, dict) and isinstance(functions, dict):
        _patterns.update(patterns)
        _functions.update(functions)


def install() -> bool:
    """Compile patterns and dataclass methods through the cache from now on, in this process."""
    root = cache_root()
    if root is None or _state["path"] is not None or not _works():
        return False
    _state["path"] = os.path.join(root, f"startup-{_TAG}.marshal")
    _read(_state["path"])
    _compiler.compile = compile_pattern
    dataclasses.exec = exec_generated  # the name dataclasses' _create_fn calls
    return True


def save() -> None:
    """Write the cache if compiling what it lacked took longer than rewriting it would
    (atomically; errors ignored)."""
    path = _state["path"]
    if path is None or _state["compiling"] <= SAVE_AFTER_SECONDS:
        return
    patterns, functions = _patterns, _functions
    if len(patterns) + len(functions) > MAX_ENTRIES:
        patterns = {k: v for k, v in patterns.items() if k in _used}
        functions = {k: v for k, v in functions.items() if k in _used}
    import tempfile  # only when writing: not every start needs it

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                marshal.dump((_TAG, patterns, functions), out)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except (OSError, ValueError):  # a read-only home, a full disk: the next start compiles
        return
    _state["compiling"] = 0.0
