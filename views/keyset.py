"""Keyset pagination for long lists of files ("all files"): a page is the rows after (or
before) the last row seen in the list's order, (status_changed_at, id) — read through
the index of that order (ix_application_status_changed), as fast on page 4,000 as on
page 1; OFFSET would read and skip every row before. The links to the next and previous
page carry that row's key (`after` / `before`) with the list's search filters and
direction. The count is exact up to COUNT_LIMIT (a count over a LIMITed subquery), then
"more than COUNT_LIMIT" with, on PostgreSQL, the planner's estimate — kept a minute for
each list, user and search (an estimate is as old as the table's last ANALYZE anyway;
making it took a quarter of a busy list's time).

Kept from Flask-AppBuilder's list: the search filters, the row filter (base filters),
the page size and ascending or descending order by "since"; sorting by another column
and jumping to a page number are not offered."""

import json
from datetime import datetime
from threading import Lock
from urllib.parse import urlencode

from cachetools import TTLCache
from flask import g, request
from flask_appbuilder.widgets import ListWidget
from flask_babel import format_number, gettext
from sqlalchemy import func, select, tuple_

from app.extensions import db

COUNT_LIMIT = 1000
ESTIMATE_SECONDS = 60
_estimates = TTLCache(maxsize=4096, ttl=ESTIMATE_SECONDS)
_estimates_lock = Lock()
ORDER_COLUMN = "status_changed_at"


class KeysetListWidget(ListWidget):
    template = "keyset_list.html"


def encode_cursor(row):
    return f"{row.status_changed_at.isoformat()}~{row.id}"


def decode_cursor(value):
    """(moment, id) from a link's cursor, or None for one that is not."""
    try:
        moment, row_id = (value or "").split("~")
        return datetime.fromisoformat(moment), int(row_id)
    except ValueError:
        return None


def _search_args():
    """The request's arguments but the page's cursor: the list's search, size and order."""
    return {key: values for key, values in request.args.lists()
            if key not in ("after", "before")}


def _link(**cursor):
    args = _search_args()
    args.update(cursor)
    return f"{request.path}?{urlencode(args, doseq=True)}"


def keyset_page(query, model, page_size, descending, after=None, before=None):
    """(rows, next key, previous key): one page of `query` (filtered, unordered) in the
    order (status_changed_at, id), after or before the given key."""
    key = tuple_(getattr(model, ORDER_COLUMN), model.id)
    backwards = before is not None
    # Walking towards older rows: descending order and "less than" the key.
    older = descending != backwards
    if after or before:
        query = query.filter(key < tuple_(*(after or before)) if older
                             else key > tuple_(*(after or before)))
    columns = (getattr(model, ORDER_COLUMN), model.id)
    query = query.order_by(*(c.desc() if older else c.asc() for c in columns))
    rows = query.limit(page_size + 1).all()
    more = len(rows) > page_size
    rows = rows[:page_size]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else True
    has_previous = more if backwards else after is not None
    return (rows, encode_cursor(rows[-1]) if rows and has_next else None,
            encode_cursor(rows[0]) if rows and has_previous else None)


def bounded_count(query, limit=None):
    """(exact count up to `limit` (COUNT_LIMIT), whether there are more): never counts
    past it."""
    limit = limit or COUNT_LIMIT
    limited = query.order_by(None).limit(limit + 1).with_entities(
        query.column_descriptions[0]["entity"].id).subquery()
    counted = db.session.scalar(select(func.count()).select_from(limited))
    return min(counted, limit), counted > limit


def estimated_count(query):
    """PostgreSQL's planner estimate of the query's rows; None elsewhere."""
    if db.session.get_bind().dialect.name != "postgresql":
        return None
    compiled = query.order_by(None).enable_eagerloads(False).statement.compile(
        dialect=db.session.get_bind().dialect, compile_kwargs={"render_postcompile": True})
    plan = db.session.connection().exec_driver_sql(  # the filter values stay parameters
        f"EXPLAIN (FORMAT JSON) {compiled.string}", compiled.params).scalar()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return int(plan[0]["Plan"]["Plan Rows"])


def kept_estimate(list_name, query):
    """`estimated_count(query)` of the signed-in user's list with the request's search,
    as made within the last ESTIMATE_SECONDS."""
    search = tuple(sorted((key, tuple(values)) for key, values in _search_args().items()))
    key = (list_name, g.user.id, search)
    with _estimates_lock:
        if key in _estimates:
            return _estimates[key]
    estimate = estimated_count(query)
    with _estimates_lock:
        _estimates[key] = estimate
    return estimate


def forget_estimates():
    with _estimates_lock:
        _estimates.clear()


def count_text(count, more, estimate):
    if not more:
        return format_number(count)
    text_ = gettext("more than %(count)s", count=format_number(count))
    if estimate and estimate > count:
        text_ += " " + gettext("(about %(count)s)", count=format_number(estimate))
    return text_


class KeysetListMixin:
    """A Flask-AppBuilder list paged by key (see the module) instead of OFFSET."""

    list_widget = KeysetListWidget
    order_columns = [ORDER_COLUMN]

    def _get_list_widget(self, filters, actions=None, order_column="", order_direction="",
                         page=None, page_size=None, widgets=None, **kwargs):
        widgets = widgets or {}
        page_size = page_size or self.page_size
        if order_column != ORDER_COLUMN:
            order_column, order_direction = self.base_order
        joined = filters.get_joined_filters(self._base_filters)
        model = self.datamodel.obj
        query = self.datamodel._apply_inner_all(  # FAB's filters, without order or paging
            self.datamodel.session.query(model), joined, aliases_mapping={})
        rows, next_key, previous_key = keyset_page(
            query, model, page_size, order_direction != "asc",
            after=decode_cursor(request.args.get("after")),
            before=decode_cursor(request.args.get("before")) if "after" not in request.args
            else None)
        count, more = bounded_count(query)
        widgets["list"] = self.list_widget(
            label_columns=self.label_columns, include_columns=self.list_columns,
            value_columns=self.datamodel.get_values(rows, self.list_columns),
            order_columns=self.order_columns, formatters_columns=self.formatters_columns,
            page=None, page_size=page_size, count=count, pks=self.datamodel.get_keys(rows),
            actions=actions or self.actions, filters=filters,
            modelview_name=self.__class__.__name__,
            count_text=count_text(count, more, kept_estimate(self.__class__.__name__, query)
                                  if more else None),
            next_url=_link(after=next_key) if next_key else None,
            previous_url=_link(before=previous_key) if previous_key else None,
            **kwargs)
        return widgets
