"""Each update handled once: the last update id handled per person, advanced before the handlers run.

Why: after a crash Telegram hands out again whatever the bot had fetched but not yet confirmed; an answer applied
twice would land on the next question. Advancing first makes a handled update at most once: one cut short by a
crash is not replayed, and the person, who got no reply, simply says it again.
"""

from __future__ import annotations

from sqlite_utils import Database


def first_sight(db: Database, user_id: int, update_id: int) -> bool:
    """True once per (person, update): False for an update id at or below the last one handled for them."""
    cur = db.execute(
        "update users set last_update_id = ? where id = ? and coalesce(last_update_id, 0) < ?",
        [update_id, user_id, update_id],
    )
    if cur.rowcount:
        db.conn.commit()
        return True
    known = list(db.query("select last_update_id from users where id = ?", [user_id]))
    return not known  # someone new: nothing to compare with yet
