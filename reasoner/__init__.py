"""provlaw: a declarative licence reasoner for machine-learning model lineage.

>>> from reasoner import analyze
>>> report = analyze(["examples/llama3-relicensed.prov"])      # doctest: +SKIP
>>> [c.kind for c in report.conflicts]                          # doctest: +SKIP
"""

__version__ = "0.1.0"

from .api import analyze, analyze_text, load_lineage  # noqa: E402
from .errors import InputError, InputErrors, ProvlawError  # noqa: E402
from .report import Report  # noqa: E402

__all__ = [
    "__version__", "analyze", "analyze_text", "load_lineage",
    "InputError", "InputErrors", "ProvlawError", "Report",
]
