"""Assemble: the report model.

Takes facts, metrics and scores and the section files and gives a Report: the outline's blocks
with their section text rendered through the sandboxed templating ({{ }} references, filters,
generated tables) and parsed as Markdown, plus the annex rows. Also the line-traced rendering
that check and the preview use to name the source line of a rendered character.
"""

from ..exports import lazy

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "CAPTION_RE": ".markdown",
    "UNIT_RE": ".markdown",
    "is_cjk": ".markdown",
    "item_number": ".markdown",
    "parse": ".markdown",
    "parser": ".markdown",
    "check_pictures": ".pictures",
    "unshown_pictures": ".pictures",
    "check_size": ".bounds",
    "traced_line_of": ".bounds",
    "MAX_LINE_CHARS": ".bounds",
    "MAX_SECTION_LINES": ".bounds",
    "plain_text": ".markdown",
    "Name": ".names",
    "list_names": ".names",
    "names_of_report": ".names",
    "AnnexPart": ".report",
    "Previous": ".previous",
    "add_previous": ".previous",
    "add_score_changes": ".previous",
    "load_previous": ".previous",
    "scores_of": ".previous",
    "AnnexRow": ".report",
    "Block": ".report",
    "MAX_SECTION_BYTES": ".report",
    "Report": ".report",
    "load_report": ".report",
    "load_scores": ".report",
    "template_context": ".report",
    "FILTER_HELP": ".templating",
    "FORBIDDEN": ".templating",
    "make_environment": ".templating",
    "render_text": ".templating",
    "Line": ".traced",
    "Rendered": ".traced",
    "render_lines": ".traced",
    "traced_env": ".traced:ENV",
    "parse_traced": ".traced:parse",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
