"""The report as HTML: the preview page and the standalone file, with the findings placed."""
