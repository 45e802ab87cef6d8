"""Reading what AppTest rendered: plotly specs, captions, downloads."""

from __future__ import annotations

import base64
import html
import json
import re
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.charts import CUSTOMDATA  # hover fields, decoded by name

REPO = Path(__file__).resolve().parents[2]
APP = str(REPO / "dashboard" / "app.py")


def run_app(page: str | None = None, params: dict | None = None, timeout: float = 30) -> AppTest:
    """Open the app like a browser would: params in the URL, then go to a page."""
    at = AppTest.from_file(APP, default_timeout=timeout)
    if page is None:
        at.query_params.update(params or {})
        return at.run()
    # AppTest needs one run to learn st.navigation's pages before it can switch.
    at.run()
    at.switch_page(f"app_pages/{page}.py")
    at.query_params.clear()
    at.query_params.update(params or {})
    return at.run()


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def decode(array):
    """Plotly ships numeric arrays base64-encoded; turn both forms into a list."""
    if isinstance(array, dict) and "bdata" in array:
        data = np.frombuffer(base64.b64decode(array["bdata"]), dtype=np.dtype(array["dtype"]))
        if "shape" in array:
            data = data.reshape([int(x) for x in str(array["shape"]).split(",")])
        return data.tolist()
    return list(array) if array is not None else []


def specs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.spec) for el in at.get("plotly_chart")]


def configs(at: AppTest) -> list[dict]:
    return [json.loads(el.proto.config) for el in at.get("plotly_chart")]


def points(spec: dict) -> pd.DataFrame:
    """One row per plotted figure: its customdata fields plus the plotted x and y."""
    rows = []
    for trace in spec["data"]:
        cds = trace.get("customdata")
        if not cds or trace.get("meta") in ("benchmark", "legend"):
            continue
        xs, ys = decode(trace.get("x")), decode(trace.get("y"))
        for i, cd in enumerate(cds):
            # Text reaches plotly HTML-escaped; compare it as the reader sees it.
            row = {
                k: html.unescape(v) if isinstance(v, str) and k != "quote_html" else v
                for k, v in zip(CUSTOMDATA, cd, strict=True)
            }
            row.update(
                x=xs[i] if i < len(xs) else None,
                y=ys[i] if i < len(ys) else None,
                trace=trace.get("name"),
                type=trace.get("type"),
            )
            rows.append(row)
    return pd.DataFrame(rows, columns=[*CUSTOMDATA, "x", "y", "trace", "type"])


def benchmark_traces(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t.get("meta") == "benchmark"]


def unmd(text: str) -> str:
    """Undo Markdown backslash escapes so captions compare as the reader sees them."""
    return re.sub(r"\\(.)", r"\1", text)


def captions(at: AppTest) -> list[str]:
    return [unmd(c.value) for c in at.caption]


def parse_citations(text: str) -> dict[int, str]:
    """'来源: [1] a (2024); [2] b (2024-04-01)' -> {1: 'a (2024)', 2: ...}."""
    found = re.findall(r"\[(\d+)\] (.+?)(?=; \[\d+\] |$)", text)
    return {int(n): label for n, label in found}


@contextmanager
def capture_downloads():
    """Deferred download callables, by file name, as the browser would fetch them."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    got: dict[str, object] = {}
    real = MediaFileManager.add_deferred

    def spy(self, data_callable, mimetype, coordinates, file_name=None, **kw):
        got[file_name] = data_callable
        return real(self, data_callable, mimetype, coordinates, file_name=file_name, **kw)

    with mock.patch.object(MediaFileManager, "add_deferred", spy):
        yield got


def read_parquet(data_dir: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(data_dir / f"{table}.parquet")
