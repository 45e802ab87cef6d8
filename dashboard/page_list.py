"""The dashboard's pages, listed in one place: app.py builds st.navigation from this list
and the browser test opens each page by its URL from it. Add a page here (a file under
app_pages/, its URL path, its label key in labels.yaml, its icon); a page shown only in
some settings (e.g. a review page behind an environment variable) is appended by
`page_specs()`.

Not "app_pages/" for the list itself: that folder name turns on Streamlit's older
pages-directory mode, under which AppTest runs a page without the entry point.
"""

from __future__ import annotations

import os

# (file under app_pages/, url path, label key, icon). The first is the home page: "/"
# opens it at its own address.
PAGE_SPECS = [
    ("overview.py", "overview", "nav.overview", ":material/dashboard:"),
    ("compare.py", "compare", "nav.compare", ":material/bar_chart:"),
    ("trends.py", "trends", "nav.trends", ":material/show_chart:"),
    ("region.py", "region", "nav.region", ":material/location_on:"),
    ("provinces.py", "provinces", "nav.provinces", ":material/format_list_numbered:"),
    ("sources.py", "sources", "nav.sources", ":material/menu_book:"),
    ("data.py", "data", "nav.data", ":material/table:"),
    ("quality.py", "quality", "nav.quality", ":material/verified:"),
    ("try_document.py", "try", "nav.try_doc", ":material/document_scanner:"),
]


def page_specs() -> list[tuple[str, str, str, str]]:
    """The pages to show in this run: the review page only on a server started for reviewing
    (DASHBOARD_REVIEW=1); the public app stays read-only and has no such route."""
    specs = list(PAGE_SPECS)
    if os.environ.get("DASHBOARD_REVIEW") == "1":
        specs.append(("review.py", "review", "nav.review", ":material/rate_review:"))
    return specs
