"""Word files as packages of XML parts, read and written as python-docx does (without it), and
docxtpl's placeholder syntax: shared by the loader (which checks a template's placeholders)
and the Word renderer (which fills them)."""
