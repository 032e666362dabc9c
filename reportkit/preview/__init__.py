"""Preview: a live HTML draft served on 127.0.0.1.

Takes a report folder, rebuilds the HTML when a file changes and pushes it to the page over
server-sent events; `reportkit check` findings appear beside the paragraph they concern.
"""

from ..exports import lazy

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "DEFAULT_PORT": ".server",
    "LOOPBACK": ".server",
    "serve": ".server",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
