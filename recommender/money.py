"""Comparing prices in different currencies against a budget.

Rates are rough, fixed conversions to USD (late 2026); good enough to say "within budget", never shown as exact.
"""

from __future__ import annotations

USD_PER_UNIT = {"USD": 1.0, "EUR": 1.08, "GBP": 1.27, "CAD": 0.73, "AUD": 0.66, "INR": 0.012, "JPY": 0.0067}


def to_usd(amount: float, currency: str) -> float:
    return amount * USD_PER_UNIT.get(currency.upper(), 1.0)


def within_budget(cost: float, currency: str, budget: float | None, budget_currency: str = "USD") -> bool:
    if budget is None:
        return True
    if cost == 0:
        return True
    return to_usd(cost, currency) <= to_usd(budget, budget_currency) + 1e-9
