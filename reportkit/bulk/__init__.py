"""reportkit batch: many report folders built in a pool of processes, with 汇总.xlsx and 汇总.html."""

from .pool import FAILED, INTERRUPTED, OK, TIMEOUT, UnitResult
from .run import BatchResult, batch
from .units import Unit, find_roots

__all__ = ["BatchResult", "FAILED", "INTERRUPTED", "OK", "TIMEOUT", "Unit", "UnitResult", "batch", "find_roots"]
