"""Check: contradictions and to-dos, without building.

Takes a report folder and gives a CheckResult: findings about facts, configuration, section
files, the numbers typed in the text and the scores, each with file, line and what to do.
"""

from ..exports import lazy

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "CheckResult": ".run",
    "check_report": ".run",
    "require_finished": ".run",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
