"""Preview: a live HTML draft served on 127.0.0.1.

Takes a report folder, rebuilds the HTML when a file changes and pushes it to the page over
server-sent events; `reportkit check` findings appear beside the paragraph they concern.
"""

from importlib import import_module

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "DEFAULT_PORT": ".server",
    "LOOPBACK": ".server",
    "serve": ".server",
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
