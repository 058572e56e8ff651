"""A progress picture: planned vs logged hours over time for each enrollment, target dates marked.

matplotlib with the Agg backend (no screen); imported lazily so the bot starts fast.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from bot.services import Services
from store.models import Enrollment


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    started_on: date
    target_date: date
    hours_total: float
    logged: tuple[tuple[datetime, float], ...]  # (when, hours) entries, any order


CHART_CAPTION = "Planned (dashed) vs logged hours; red = target date."


def series_for(services: Services, enrollments: Sequence[Enrollment]) -> list[Series]:
    out = []
    for e in enrollments:
        credential = services.credential(e.credential_id)
        logged = tuple(
            (datetime.fromisoformat(x.at), x.hours)
            for x in services.store.progress(e.user_id, e.id)
            if x.kind == "hours"
        )
        title = credential.title if credential else e.credential_id
        out.append(Series(title, e.started_on, e.target_date, e.hours_total, logged))
    return out


def progress_png(series: Sequence[Series], today: date) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    rows = max(1, len(series))
    fig, axes = plt.subplots(rows, 1, figsize=(6.4, 3.2 * rows), dpi=130, squeeze=False)
    try:
        for ax, s in zip(axes[:, 0], series, strict=False):
            ax.plot([s.started_on, s.target_date], [0, s.hours_total], "--", color="#888", lw=2, label="plan")
            points = sorted(s.logged)
            xs: list[date] = [s.started_on]
            ys: list[float] = [0.0]
            total = 0.0
            for when, hours in points:
                total += hours
                xs.append(when.date())
                ys.append(total)
            if xs[-1] < today:
                xs.append(today)
                ys.append(total)
            ax.step(xs, ys, where="post", color="#1f77b4", lw=2.5, label="logged")
            ax.axvline(s.target_date, color="#d62728", lw=1.5)
            ax.annotate(f"target {s.target_date:%-d %b}", (s.target_date, s.hours_total), fontsize=10,
                        color="#d62728", ha="right", va="bottom")  # fmt: skip
            ax.axvline(today, color="#2ca02c", lw=1, ls=":")
            ax.set_title(s.title if len(s.title) <= 48 else s.title[:45] + "…", fontsize=12)
            ax.set_ylabel("hours", fontsize=11)
            ax.set_ylim(0, max(s.hours_total, total) * 1.12 or 1)
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%-d %b"))
            ax.tick_params(labelsize=10)
            for label in ax.get_xticklabels():  # each panel keeps its own dates (panels have different spans)
                label.set_rotation(30)
                label.set_horizontalalignment("right")
            ax.grid(alpha=0.3)
            ax.legend(loc="upper left", fontsize=10, frameon=False)
        if not series:
            axes[0, 0].text(0.5, 0.5, "No enrollments yet", ha="center", va="center", fontsize=14)
            axes[0, 0].axis("off")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(fig)
