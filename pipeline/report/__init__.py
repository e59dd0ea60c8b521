"""``vanban report``: one HTML page that shows an output at a glance, self-contained and offline.

- ``figures`` the numbers: SQL aggregates over the tables' views
- ``svg``     the charts, drawn in Python as inline SVG
- ``page``    the HTML around them (inline CSS, no script, a policy that forbids fetching)
"""

from __future__ import annotations

import datetime as dt
import os

from pipeline.query.sql import connect


def write_report(output: str, html_path: str | os.PathLike, today: dt.date | None = None, top: int = 15) -> int:
    """Write the report on ``output`` to ``html_path`` (replaced atomically); returns its size in bytes.

    ``today`` is the day deadlines are overdue against (default: the real today).
    """
    from pipeline.report.figures import figures
    from pipeline.report.page import render

    con = connect(output)
    try:
        html = render(figures(con, today or dt.date.today(), top), str(output), dt.datetime.now())
    finally:
        con.close()
    data = html.encode("utf-8")
    tmp = f"{os.fspath(html_path)}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, html_path)
    return len(data)
