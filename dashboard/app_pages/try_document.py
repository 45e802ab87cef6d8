"""Try a document: paste or upload a text, see every figure the extractor finds.

Everything happens in memory: nothing is written to disk or to the corpus. All
document content reaches the browser escaped (highlight.render) or as table
cells and code blocks, which Streamlit shows as text.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import export, highlight, trydoc
from dashboard.i18n import t
from dashboard.ui import context, md
from loaders.errors import BuildError

ctx = context()
lang = ctx.lang
st.header(t("nav.try_doc", lang))
st.caption(t("try_doc.intro", lang))
st.caption(md(t("try_doc.limits", lang, chars=f"{trydoc.MAX_CHARS:,}", size=trydoc.size_label(trydoc.MAX_BYTES))))


def read_input() -> tuple[str, str | None]:
    """(text, uploaded file name); shows why when the input is refused and returns ""."""
    mode = st.radio(
        t("try_doc.input", lang),
        ["paste", "upload"],
        format_func=lambda m: t(f"try_doc.{m}", lang),
        horizontal=True,
        key="try_mode",
    )
    if mode == "upload":
        upload = st.file_uploader(t("try_doc.file_label", lang), type=["txt"], key="try_file")
        if upload is None:
            return "", None
        try:
            return trydoc.decode_upload(upload.getvalue(), upload.name), upload.name
        except trydoc.InputProblem as problem:
            st.error(md(problem.message(lang)))
            return "", upload.name
    text = st.text_area(
        t("try_doc.text_label", lang),
        key="try_text",
        height=220,
        placeholder=t("try_doc.text_placeholder", lang),
    )
    try:
        return trydoc.check_text(text or ""), None
    except trydoc.InputProblem as problem:
        st.error(md(problem.message(lang)))
        return "", None


def options(regions: pd.DataFrame) -> tuple[str, int | None, int | None, bool]:
    c1, c2, c3, c4 = st.columns([2, 1, 1, 1], vertical_alignment="bottom")
    region = c1.selectbox(
        t("try_doc.region", lang),
        ["", *trydoc.region_choices(regions)],
        format_func=trydoc.region_format(regions, lang),
        key="try_region",
    )
    year = c2.number_input(
        t("try_doc.year", lang),
        min_value=1900,
        max_value=2100,
        value=None,
        step=1,
        placeholder=t("try_doc.year_placeholder", lang),
        key="try_year",
    )
    month = c3.selectbox(
        t("try_doc.month", lang),
        [None, *range(1, 13)],
        format_func=lambda m: t("try_doc.month_placeholder", lang) if m is None else f"{m:02d}",
        help=t("try_doc.month_help", lang),
        key="try_month",
    )
    show_all = c4.toggle(t("try_doc.show_all", lang), key="try_all")
    return region or "", (int(year) if year is not None else None), month, show_all


def show_results(text: str, rows: pd.DataFrame, show_all: bool) -> None:
    mapped = int((rows["indicator_id"] != "").sum())
    st.caption(md(t("try_doc.summary", lang, n=len(rows), mapped=mapped, chars=f"{len(text):,}")))
    if rows.empty:
        st.info(t("try_doc.none_found", lang))
    st.subheader(t("try_doc.text_heading", lang))
    st.caption(t("try_doc.legend", lang))
    spans = [
        highlight.Span(
            int(r["number_start"]),
            int(r["number_end"]),
            "mapped" if r["indicator_id"] else "unmapped",
            trydoc.span_title(r, lang),
        )
        for _, r in rows.iterrows()
    ]
    with st.container(height=420 if len(text) > 1500 else "content", border=True):
        st.html(highlight.render(text, spans))
    if rows.empty:
        return
    st.subheader(t("try_doc.table_heading", lang))
    st.dataframe(trydoc.display_frame(rows, lang, show_all), hide_index=True, key="try_table")
    frozen = rows  # the download runs on click, after this script has moved on

    def csv_data() -> bytes:
        return export.csv_bytes(frozen)

    st.download_button(
        t("try_doc.csv", lang),
        csv_data,
        file_name=f"try-document-{trydoc.digest(text)[:10]}-{len(rows)}rows.csv",
        mime="text/csv",
        icon=":material/download:",
        key="try_download_csv",
        on_click="ignore",
    )


def show_add_command(filename: str | None, region: str, year: int | None, month: int | None) -> None:
    with st.expander(t("try_doc.add_heading", lang)):
        st.markdown(t("try_doc.add_body", lang))
        st.code(trydoc.add_command(filename, region, year, month), language="bash")


def main() -> None:
    try:
        regions, indicators = trydoc.name_tables(ctx.tables)
    except BuildError as exc:  # reference data being edited and broken: say which file
        st.error(md(t("try_doc.reference_broken", lang) + " " + exc.one_line()))
        return
    text, filename = read_input()
    region, year, month, show_all = options(regions)
    if not text.strip():
        st.info(t("try_doc.prompt", lang))
    else:
        try:
            with st.spinner(t("try_doc.working", lang)):
                found = trydoc.extract(text, region, year, month if year is not None else None)
        except trydoc.InputProblem as problem:  # busy, or over the time budget: say so plainly
            st.error(md(problem.message(lang)))
        except Exception as exc:  # the extractor should never fail; if it does, no traceback
            st.error(md(t("try_doc.failed", lang, error=type(exc).__name__)))
        else:
            show_results(text, trydoc.figures(found, regions, indicators, show_all), show_all)
    show_add_command(filename, region, year, month)


main()
