"""reportkit: 部门整体支出绩效评价报告 from a facts file and Markdown sections."""

__version__ = "0.1.0"  # the package version (pyproject reads it from here)
