"""reportkit: 部门整体支出绩效评价报告 from a facts file and Markdown sections."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("reportkit")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
