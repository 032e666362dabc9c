"""Import: last year's Word report into a new report folder.

Takes a .docx and gives a scaffolded folder: the outline's section files split from the text,
the cover fields, the annex scores and the facts the text seems to state (as proposals).
"""

from importlib import import_module

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "default_target": ".run",
    "import_report": ".run",
    "FrameworkImport": ".framework_draft",
    "import_framework": ".framework_draft",
    "read_draft": ".framework_draft",
    "read_table": ".framework_table",
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
