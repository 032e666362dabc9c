"""reportkit: 部门整体支出绩效评价报告 from a facts file and Markdown sections.

The library API (what the commands, tests and other programs call), imported on first use:

    load_report(root)      the assembled Report (facts, framework, metrics, scores, blocks)
    load_scores(root)      (paths, facts, framework, metrics, scores) without the sections
    build_report(root)     write the docx, html and scores.json into build/ atomically
    check_report(root)     every finding about the folder, without building
    import_report(docx)    a new report folder from last year's Word file
    batch(paths, jobs=…)   many report folders built in a process pool, with 汇总.xlsx/汇总.html
    ReportError            bad input: a Chinese message naming file, line and key
"""

__version__ = "0.1.0"  # the package version (pyproject reads it from here)

from .exports import lazy  # noqa: E402

_API = {
    "load_report": "reportkit.assemble:load_report",
    "load_scores": "reportkit.assemble:load_scores",
    "Report": "reportkit.assemble:Report",
    "Scores": "reportkit.compute:Scores",
    "build_report": "reportkit.build:build",
    "BuildResult": "reportkit.build:BuildResult",
    "check_report": "reportkit.check:check_report",
    "CheckResult": "reportkit.check:CheckResult",
    "import_report": "reportkit.importer:import_report",
    "batch": "reportkit.bulk:batch",
    "BatchResult": "reportkit.bulk:BatchResult",
    "ReportError": "reportkit.errors:ReportError",
}

__getattr__, __all__ = lazy(__name__, _API)
__all__ = ["__version__", *__all__]
