"""Filters kept in the URL, so a copied link reopens the same view.

Each filter is a keyed widget whose key is also its query parameter. Values
read from the URL are checked against known ids; anything else is dropped and
reported once. Precedence on each run: a URL value that differs from what the
app last wrote (a pasted link, a "show in source" link) wins over the widget's
remembered value; otherwise the widget keeps its value; a widget that was not
on the previous page is restored from this session's memory, then the default.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import streamlit as st

from dashboard.i18n import t

# Every query parameter the app understands; any other key is reported and dropped.
KNOWN_KEYS = frozenset(
    {
        "lang",
        "regions",
        "years",
        "indicator",
        "year",
        "region",
        "source",
        "obs",
        "indicators",
        "topics",
        "sources",
    }
)
_WRITTEN = "_url_written"  # what this session last wrote to each parameter
_MEMORY = "_url_memory"  # last value of each filter, for pages revisited this session
_NOTICES = "_url_notices"
_PENDING = "_url_pending"  # URL changes of this run, not yet sent
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,200}$")


def _store(name: str) -> dict:
    if name not in st.session_state:
        st.session_state[name] = {}
    return st.session_state[name]


def notices() -> list[str]:
    if _NOTICES not in st.session_state:
        st.session_state[_NOTICES] = []
    return st.session_state[_NOTICES]


def drop_unknown_params(lang: str) -> None:
    unknown = sorted(k for k in st.query_params if k not in KNOWN_KEYS)
    if unknown:
        # Keys are echoed back as plain text in the notice; cap their length.
        shown = ", ".join(k[:40] for k in unknown[:10])
        notices().append(t("notice.unknown_params", lang) + shown)
        for key in unknown:
            del st.query_params[key]


def _url_values(key: str) -> list[str] | None:
    if key not in st.query_params:
        return None
    return [v for v in st.query_params.get_all(key)]


def _bad(key: str, values: Sequence[str], lang: str) -> None:
    shown = ", ".join(f"{key}={v[:40]}" for v in values[:5])
    notices().append(t("notice.bad_values", lang) + shown)


def _set_state(key: str, value) -> None:
    st.session_state[key] = value


def _claim(key: str) -> None:
    """Re-assign through the Session State API: a widget with the same key on another
    page has another widget id and would otherwise start from its default."""
    st.session_state[key] = st.session_state[key]


def _serial(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if str(v)]
    return [str(value)] if str(value) else []


def single(key: str, options: Sequence, default, lang: str, parse=str) -> None:
    """Prepare session state for a single-choice widget keyed `key`."""
    allowed = list(options)
    url = _url_values(key)
    written = _store(_WRITTEN).get(key)
    if url is not None and url != written:
        value = None
        if len(url) == 1 and _ID.match(url[0]):
            try:
                value = parse(url[0])
            except ValueError:
                value = None
        if value in allowed:
            _set_state(key, value)
        else:
            _bad(key, url, lang)
    if key not in st.session_state:
        remembered = _store(_MEMORY).get(key)
        _set_state(key, remembered if remembered in allowed else default)
    if st.session_state[key] not in allowed:
        _set_state(key, default if default in allowed else (allowed[0] if allowed else None))
    _claim(key)


def multi(key: str, options: Sequence, lang: str, default: Sequence = ()) -> None:
    """Prepare session state for a multiselect keyed `key`; unknown ids are dropped."""
    allowed = set(options)
    url = _url_values(key)
    written = _store(_WRITTEN).get(key)
    if url is not None and url != written:
        values = [v for part in url for v in part.split(",") if v]
        good = [v for v in dict.fromkeys(values) if v in allowed]
        bad = [v for v in values if v not in allowed]
        if bad:
            _bad(key, bad, lang)
        _set_state(key, good)
    if key not in st.session_state:
        remembered = _store(_MEMORY).get(key)
        _set_state(key, list(remembered) if remembered is not None else list(default))
    current = st.session_state[key] or []
    if any(v not in allowed for v in current):
        _set_state(key, [v for v in current if v in allowed])
    _claim(key)


def year_range(key: str, bounds: tuple[int, int], lang: str) -> None:
    """Prepare a (from, to) slider; the URL form is '2005-2022'."""
    lo, hi = bounds
    url = _url_values(key)
    written = _store(_WRITTEN).get(key)
    if url is not None and url != written:
        m = re.fullmatch(r"(\d{4})-(\d{4})", url[0]) if len(url) == 1 else None
        if m and lo <= int(m.group(1)) <= int(m.group(2)) <= hi:
            _set_state(key, (int(m.group(1)), int(m.group(2))))
        else:
            _bad(key, url, lang)
    if key not in st.session_state:
        remembered = _store(_MEMORY).get(key)
        _set_state(key, tuple(remembered) if remembered else (lo, hi))
    a, b = st.session_state[key]
    a, b = max(lo, min(a, hi)), min(hi, max(b, lo))
    if (a, b) != tuple(st.session_state[key]):
        _set_state(key, (a, b))
    _claim(key)


def _write(key: str, serial: list[str]) -> None:
    """Queue one URL parameter (empty: remove it); flush_url() sends them together."""
    _store(_PENDING)[key] = list(serial)


def flush_url() -> None:
    """Send this run's URL changes as one message, and only what changed: every write
    becomes a message and a browser history entry, which costs milliseconds a rerun."""
    pending = _store(_PENDING)
    if not pending:
        return
    sets = {k: (v if len(v) > 1 else v[0]) for k, v in pending.items() if v and st.query_params.get_all(k) != v}
    drops = [k for k, v in pending.items() if not v and k in st.query_params]
    pending.clear()
    if sets:
        st.query_params.update(sets)
    for key in drops:
        del st.query_params[key]


def publish(key: str, value, *, url_value: list[str] | None = None) -> None:
    """Write the widget's value to the URL and this session's memory."""
    _store(_MEMORY)[key] = value
    serial = url_value if url_value is not None else _serial(value)
    _write(key, serial)
    _store(_WRITTEN)[key] = serial or None


def publish_years(key: str, value: tuple[int, int], bounds: tuple[int, int]) -> None:
    if tuple(value) == tuple(bounds):
        publish(key, tuple(value), url_value=[])
    else:
        publish(key, tuple(value), url_value=[f"{value[0]}-{value[1]}"])


def forget(key: str) -> None:
    """Remove a parameter that does not apply to this page (e.g. obs after a source change)."""
    _write(key, [])
    _store(_WRITTEN)[key] = None


def republish(keys: Sequence[str]) -> None:
    """Write the global filters again after the page ran: a page switch clears the URL
    while the page starts, which would drop what app.py wrote before it."""
    written = _store(_WRITTEN)
    for key in keys:
        serial = written.get(key)
        if serial:
            _write(key, serial)
