"""Tracing a whole article: claims, candidate origins, verdicts and source chains."""
from .results import ClaimTrace, TraceResult

__all__ = ["ClaimTrace", "TraceResult"]
