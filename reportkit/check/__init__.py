"""Check: contradictions and to-dos, without building.

Takes a report folder and gives a CheckResult: findings about facts, configuration, section
files, the numbers typed in the text and the scores, each with file, line and what to do.
"""

from importlib import import_module

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "CheckResult": ".run",
    "check_report": ".run",
    "require_finished": ".run",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, _, attribute = target.partition(":")
    value = getattr(import_module(module, __name__), attribute or name)
    globals()[name] = value
    return value
