"""Overview: the headline figures as cards, each with its citation and sentence."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, fmt, guard
from dashboard.data import views
from dashboard.i18n import t
from dashboard.ui import context, default_choice, empty, md

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


def stated_change(top: pd.Series) -> pd.Series | None:
    """The text's own change for this figure (比上年提高0.11个百分点): same region, year
    and source, an indicator the catalogue calls a change of this one."""
    ind = tb.indicators
    if "change_of" not in ind:
        return None
    ids = ind.loc[ind["change_of"].astype(str) == str(top["indicator_id"]), "indicator_id"].tolist()
    if not ids:
        return None
    hit = ctx.filtered(use_regions=False, indicators=ids, region=str(top["region_id"]))
    hit = hit[(hit["year"] == top["year"]) & (hit["source_id"] == top["source_id"]) & ~hit["derived"]]
    return hit.iloc[0] if len(hit) else None


def change_lines(top, prev, change) -> tuple[str | None, str | None]:
    """(delta, how it was read). A change the text states is shown as stated, and the
    previous year's value derived from it says so; only a change between two stated
    figures is computed on screen, with its formula."""
    unit = "百分点" if top["unit"] == "%" else top["unit"]
    from_same_sentence = prev is not None and bool(prev["derived"]) and prev["char_start"] == top["char_start"]
    if change is not None or from_same_sentence:
        # The previous value was derived from this sentence's stated change: the change is
        # the stated figure, whether or not it is published as an observation of its own.
        value = float(change["value"]) if change is not None else round(float(top["value"] - prev["value"]), 6)
        change_unit = str(change["unit"]) if change is not None else unit
        sign = "+" if value >= 0 else "-"  # ASCII: st.metric reads a leading "-" as a fall (↓)
        gap = "" if lang == "zh" else " "
        delta = f"{sign}{fmt.with_unit(abs(value), change_unit, lang)}{gap}" + t("overview.stated_change", lang)
        how = None
        if prev is not None and bool(prev["derived"]):
            how = t(
                "overview.prev_derived",
                lang,
                year=int(prev["year"]),
                value=fmt.with_unit(float(prev["value"]), str(prev["unit"]), lang),
                formula=f"{fmt.number(top['value'], lang)} − {fmt.number(value, lang)}",
            )
        return delta, how
    if prev is None or prev["unit"] != top["unit"] or bool(prev["derived"]):
        return None, None
    diff = top["value"] - prev["value"]
    sign = "+" if diff >= 0 else "-"  # ASCII: st.metric reads a leading "-" as a fall (↓)
    delta = f"{sign}{fmt.with_unit(abs(diff), unit, lang)} " + t("overview.vs_prev", lang, year=int(prev["year"]))
    formula = f"{fmt.number(top['value'], lang)} − {fmt.number(prev['value'], lang)}"
    return delta, f"{t('common.derived_from', lang)}: {formula}"


picked, previous, changes = [], {}, {}
for spec in views().get("headline", []):
    hit = ctx.filtered(indicators=[spec["indicator"]], region=spec["region"])
    if hit.empty:
        continue
    # A card is no year axis: an undated figure may lead, labelled as undated; a flagged,
    # non-actual or rejected one may not.
    drawn, hidden = guard.split(ctx.rows(hit), default_choice(tb))
    drawn = pd.concat([drawn, hidden[hidden["g_why"] == "undated"]])
    if drawn.empty:
        continue
    hit = hit[hit["observation_id"].isin(drawn["observation_id"])]
    top = best(hit)
    picked.append(top)
    earlier = hit[hit["year"] < top["year"]]
    if len(earlier):
        previous[top["observation_id"]] = best(earlier)
    changes[top["observation_id"]] = stated_change(top)

st.subheader(t("overview.headline", lang))
if not picked:
    empty(ctx)
else:
    cards = ctx.rows(pd.DataFrame(picked))
    cols = st.columns(3)
    for i, (_, row) in enumerate(cards.iterrows()):
        with cols[i % 3], st.container(border=True):
            oid = row["observation_id"]
            delta, how = change_lines(row, previous.get(oid), changes.get(oid))
            # The indicator on its own line; the metric's one-line label keeps region and
            # time short enough never to be cut off.
            st.markdown(f"**{md(row['indicator_label'])}**")
            st.metric(
                md(f"{row['region_label']} · {row['year_label']}"),
                row["value_display"],
                delta=delta,
                delta_color="off",
                help=md(charts.flatten_quote(row["quote"])),
            )
            if how:
                st.caption(md(how))
            st.caption(md(f"{row['kind_label']} · [{row['cite']}] {row['source_label']}"))
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
