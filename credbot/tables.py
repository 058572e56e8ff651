"""Plain-text tables for the terminal (stats, recommendations, evaluation)."""

from __future__ import annotations

from collections.abc import Sequence


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]], align: str = "") -> str:
    """Left-align text, right-align numbers; `align` may force per-column 'l'/'r'."""
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def is_num(i: int) -> bool:
        if align and i < len(align):
            return align[i] == "r"
        return all(isinstance(row[i], int | float) for row in rows) if rows else False

    def line(row: list[str]) -> str:
        return "  ".join((c.rjust(widths[i]) if is_num(i) else c.ljust(widths[i])) for i, c in enumerate(row)).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out.extend(line(r) for r in cells[1:])
    return "\n".join(out)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.3f}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)
