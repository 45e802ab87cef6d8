"""Overview: the headline figures as cards, each with its citation and sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, fmt
from dashboard.data import views
from dashboard.i18n import t
from dashboard.ui import context, empty, md

ctx = context()
lang = ctx.lang
tb = ctx.tables

st.title(t("app.title", lang))
st.caption(t("app.tagline", lang) + " " + t("overview.intro", lang))
st.caption(
    t(
        "overview.counts",
        lang,
        sources=len(tb.sources),
        observations=len(tb.observations),
        regions=len(tb.by_region),
    )
)


def best(rows: pd.DataFrame) -> pd.Series:
    """Latest year first; within a year a stated exact figure beats a bound or a derivation."""
    rank = rows.assign(_derived=rows["derived"].astype(int), _exact=(rows["qualifier"] != "exact").astype(int))
    return rank.sort_values(["year", "_derived", "_exact"], ascending=[False, True, True]).iloc[0]


picked, previous = [], {}
for spec in views().get("headline", []):
    hit = ctx.filtered(indicators=[spec["indicator"]], region=spec["region"])
    if hit.empty:
        continue
    top = best(hit)
    picked.append(top)
    earlier = hit[hit["year"] < top["year"]]
    if len(earlier):
        previous[top["observation_id"]] = best(earlier)

st.subheader(t("overview.headline", lang))
if not picked:
    empty(ctx)
else:
    cards = ctx.rows(pd.DataFrame(picked))
    cols = st.columns(3)
    for i, (_, row) in enumerate(cards.iterrows()):
        with cols[i % 3], st.container(border=True):
            prev = previous.get(row["observation_id"])
            delta = derivation = None
            if prev is not None and prev["unit"] == row["unit"]:
                diff = row["value"] - prev["value"]
                unit = "百分点" if row["unit"] == "%" else row["unit"]
                sign = "+" if diff >= 0 else "−"
                delta = f"{sign}{fmt.with_unit(abs(diff), unit, lang)} " + t(
                    "overview.vs_prev", lang, year=int(prev["year"])
                )
                # Computed on screen from two figures, so it says so and shows how (on its
                # own line: the metric's delta is cut off when long).
                formula = f"{fmt.number(row['value'], lang)} − {fmt.number(prev['value'], lang)}"
                derivation = f"{t('common.derived_from', lang)}: {formula}"
            # The indicator on its own line; the metric's one-line label keeps region and
            # year short enough never to be cut off.
            st.markdown(f"**{md(row['indicator_label'])}**")
            st.metric(
                md(f"{row['region_label']} · {int(row['year'])}"),
                row["value_display"],
                delta=delta,
                delta_color="off",
                help=md(charts.flatten_quote(row["quote"])),
            )
            if derivation:
                st.caption(md(derivation))
            # How the year was established ("from context") rides with the value type.
            basis = row["year_label"] if row["year_label"] != str(int(row["year"])) else ""
            kind = f"{row['kind_label']} · {basis}" if basis else row["kind_label"]
            st.caption(md(f"{kind} · [{row['cite']}] {row['source_label']}"))
            st.page_link(
                "app_pages/sources.py",
                label=t("common.show_in_source", lang),
                icon=":material/format_quote:",
                query_params={
                    "source": row["source_id"],
                    "obs": row["observation_id"],
                    "lang": lang,
                },
            )
    st.caption(md(charts.caption(cards, lang)))
