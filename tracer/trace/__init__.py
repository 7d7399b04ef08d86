"""Tracing a whole article: claims, candidate origins, verdicts and source chains."""
from .run import ClaimTrace, TraceResult, trace_article

__all__ = ["ClaimTrace", "TraceResult", "trace_article"]
