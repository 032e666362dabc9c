"""The Word package: styles, Markdown to WordprocessingML, the annex tables, packaging."""
