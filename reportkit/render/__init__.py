"""Render: the Report as files' bytes.

Takes a Report and gives the Word package (docx/), the standalone and preview HTML (html/, with
its web assets), scores.json (json.py) and the PDF through LibreOffice (pdf.py). Renderers never
write into the output folder themselves: build does that atomically.
"""

from ..exports import lazy

# Exported name → "module" or "module:attribute"; imported on first use, so that importing this
# package costs nothing until a name is needed (start-up time of every command).
_EXPORTS = {
    "render_docx": ".docx.render",
    "summary": ".html.findings",
    "IMAGE_TYPES": ".html.render",
    "MAX_IMAGE_BYTES": ".html.render",
    "Pictures": ".html.render",
    "WEB": ".html.render",
    "render_error": ".html.render",
    "render_page": ".html.render",
    "render_report": ".html.render",
    "write_html": ".html.render",
    "json_number": ".json",
    "scores_to_json": ".json",
    "PDF_HINT": ".pdf",
    "PDF_MISSING": ".pdf",
    "docx_to_pdf": ".pdf",
    "find_soffice": ".pdf",
    "toc_pages": ".pdf",
}

__getattr__, __all__ = lazy(__name__, _EXPORTS)
