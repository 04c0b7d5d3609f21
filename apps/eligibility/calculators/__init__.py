"""Pure eligibility calculators: facts + as-of parameter snapshot -> Result. No Django here."""

from .base import MissingParameter, ParameterSnapshot, ParameterValue, Reason, Result, Step, round_money

__all__ = [
    "MissingParameter",
    "ParameterSnapshot",
    "ParameterValue",
    "Reason",
    "Result",
    "Step",
    "round_money",
]
