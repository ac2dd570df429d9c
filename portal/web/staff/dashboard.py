"""The dashboard page: pictures drawn on the server as SVG (no JavaScript), each with its figures in a table."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from portal.domain.errors import BackendUnavailable
from portal.domain.staff import OVERSEERS
from portal.services.dashboard import dashboard as dashboard_figures
from portal.web.app import portal_context
from portal.web.formatting import percent_label
from portal.web.staff import NAV, bp
from portal.web.staff.session import staff_required

log = logging.getLogger("portal.dashboard")
NAV.append(("staff.dashboard", _l("Dashboard"), "oversee"))

ROW, LABEL_WIDTH, BAR_WIDTH, WIDTH = 26, 190, 300, 600
COLOURS = {"good": "#2e7d4f", "fair": "#b7791f", "poor": "#b42318", "plain": "#3b5b92"}


def bar_chart(title: str, bars: list[tuple[str, float | None, str, str]], maximum: float) -> Markup:
    """A horizontal bar chart as inline SVG: bars are (label, value or None, text shown, colour name). Every text is
    escaped; colours are presentation attributes (the Content-Security-Policy allows no inline style)."""
    height = ROW * max(len(bars), 1) + 10
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="{WIDTH}" height="{height}" '
             f'viewBox="0 0 {WIDTH} {height}" aria-label="{escape(title)}"><title>{escape(title)}</title>']
    for index, (label, value, text, colour) in enumerate(bars):
        y = 5 + index * ROW
        length = 0 if value is None or maximum <= 0 else round(BAR_WIDTH * min(value, maximum) / maximum)
        parts.append(f'<text x="0" y="{y + 16}" font-size="13" fill="#1f2933">{escape(label)}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 8}" '
                     f'fill="{COLOURS.get(colour, COLOURS["plain"])}"/>')
        parts.append(f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 16}" font-size="13" fill="#1f2933">'
                     f'{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - every text above is escaped


def _percent(rate: float | None) -> str:
    return percent_label(rate)


def _grade(rate: float | None) -> str:
    if rate is None:
        return "plain"
    return "good" if rate >= 0.9 else "fair" if rate >= 0.7 else "poor"


def attainment_chart(rows) -> Markup:
    bars = [(_("%(tier)s · severity %(level)s", tier=row.tier, level=row.severity),
             None if row.rate is None else row.rate * 100,
             f"{_percent(row.rate)} ({row.met}/{row.met + row.missed})", _grade(row.rate)) for row in rows]
    return bar_chart(_("Response commitments met, last 30 days"), bars, 100)


def age_chart(ages) -> Markup:
    labels = {"0-1": _("0 to 1 business day"), "2-4": _("2 to 4 business days"), "5-9": _("5 to 9 business days"),
              "10+": _("10 business days or more")}
    bars = [(labels.get(code, code), count, str(count), "poor" if code == "10+" and count else "plain")
            for code, count in ages]
    return bar_chart(_("Open requests by age"), bars, max([count for _code, count in ages] + [1]))


def deflection_chart(summary) -> Markup:
    articles = sorted(summary.articles, key=lambda a: (a.answered + a.filed_anyway, a.article_id), reverse=True)
    shown = [a for a in articles if a.answered + a.filed_anyway][:10]
    bars = [(_("All articles"), None if summary.deflection_rate is None else summary.deflection_rate * 100,
             _percent(summary.deflection_rate), _grade(summary.deflection_rate))]
    bars += [(article.article_id[:28], None if article.deflection_rate is None else article.deflection_rate * 100,
              f"{_percent(article.deflection_rate)} ({article.answered}/{article.answered + article.filed_anyway})",
              "plain") for article in shown]
    return bar_chart(_("Questions answered by the knowledge base without a request"), bars, 100)


def read_deflection(storage):
    """The knowledge base's deflection summary (rule T7), or None when its counters or index are not there."""
    try:
        from portal.services.deflection import deflection_summary
        from portal.web.kb.routes import knowledge_base
    except ImportError:
        return None
    counters = getattr(storage, "kb_counters", None)
    if counters is None:
        return None
    try:
        return deflection_summary(counters, knowledge_base().article_ids())
    except (OSError, BackendUnavailable) as error:  # no index built, or the counters did not answer
        log.warning("deflection unavailable", extra={"error": str(error)})
        return None
    except Exception as error:  # noqa: BLE001 - the index is a sqlite file: any failure leaves the chart out
        log.warning("deflection unavailable", extra={"error": type(error).__name__})
        return None


def kept_mail_count(storage) -> int:
    """How many mails the mail service refused wait to be sent again (0 when that cannot be read now)."""
    pending = getattr(storage, "pending_mail", None)
    if pending is None:
        return 0
    try:
        return pending.count()
    except BackendUnavailable:
        return 0


@bp.get("/dashboard")
@staff_required(*OVERSEERS)
def dashboard():
    """Attainment of the response commitments, open requests by age, and knowledge-base deflection."""
    portal = portal_context()
    board = dashboard_figures(portal.storage.oversight, portal.charter, portal.calendar, datetime.now(UTC),
                              read_deflection(portal.storage))
    return render_template("staff/lead/dashboard.html", board=board, percent=_percent,
                           kept_mails=kept_mail_count(portal.storage),
                           attainment_svg=attainment_chart(board.attainment), age_svg=age_chart(board.ages),
                           deflection_svg=deflection_chart(board.deflection) if board.deflection else None)
