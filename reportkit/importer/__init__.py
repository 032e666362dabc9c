"""Import: last year's Word report into a new report folder.

Takes a .docx and gives a scaffolded folder: the outline's section files split from the text,
the cover fields, the annex scores and the facts the text seems to state (as proposals).
"""

from ..exports import lazy

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

__getattr__, __all__ = lazy(__name__, _EXPORTS)
