"""Load: read the report folder's files into checked values.

Takes the folder (reportkit.yaml, content/facts.yaml, framework and outline files) and gives
Paths and options, Facts (with their line numbers), the 自评表 block, the fixed outline and the
JSON Schema of facts. YAML is read with line numbers so every error names file, line and key.
"""

from ..exports import lazy

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "CONFIG_FILE": ".config",
    "EXAMPLES": ".config",
    "NEEDS": ".config",
    "OPTIONS": ".config",
    "Paths": ".config",
    "check_template": ".config",
    "default_template": ".config",
    "find_root": ".config",
    "load_options": ".config",
    "previous_option": ".config",
    "Adjustment": ".facts",
    "Declared": ".facts",
    "Facts": ".facts",
    "Project": ".facts",
    "Judgement": ".facts",
    "Override": ".facts",
    "load_facts": ".facts",
    "missing_required": ".facts",
    "parse_facts": ".facts",
    "ADJUSTMENT_KINDS": ".facts_schema",
    "BY_PATH": ".facts_schema",
    "CONTRACT_KINDS": ".facts_schema",
    "FIELDS": ".facts_schema",
    "Field": ".facts_schema",
    "SUMS": ".facts_schema",
    "expected": ".facts_schema",
    "AUTO": ".outline",
    "Annex": ".outline",
    "Chapter": ".outline",
    "CoverLine": ".outline",
    "DEFAULT_OUTLINE": ".outline:DEFAULT",
    "INTRO": ".outline",
    "OUTLINE": ".outline",
    "Outline": ".outline",
    "PLACEHOLDERS": ".outline",
    "Section": ".outline",
    "TABLES": ".outline",
    "all_sections": ".outline",
    "choose_outline": ".outline",
    "cn_number": ".outline",
    "default_outline": ".outline",
    "fill": ".outline",
    "load_outline": ".outline",
    "outline_for": ".outline",
    "outline_ids": ".outline:shipped_ids",
    "outlines_dir": ".outline:shipped_dir",
    "parse_outline": ".outline",
    "placeholders": ".outline",
    "substitute": ".outline",
    "SCHEMA_FILE": ".schema",
    "schema_json": ".schema",
    "write_text_atomic": ".schema",
    "GridCell": ".selfeval",
    "TITLE": ".selfeval",
    "Targets": ".selfeval",
    "targets_grid": ".selfeval",
    "PreviousRef": ".previous",
    "git_tree": ".previous",
    "previous_folder": ".previous",
    "relabel": ".previous",
    "Located": ".yamlio",
    "load_yaml": ".yamlio",
    "outside": ".yamlio",
    "read_text": ".yamlio",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
