"""AppTest: URLs inside titles, venues and notes stay text; only the bibliography's own
http(s) address becomes a link (issue 17)."""

from __future__ import annotations

import re

from fixture_data import Claim
from helpers import assert_clean, run_app, unmd

TEXT = "标题\n据报道，研发强度为3.1%。\n"
# What GFM's autolink pass would turn into a link in the text a reader sees.
AUTOLINK = re.compile(r"https?://|www\.|[\w.+-]+@[\w-]+\.\w")


def _claims():
    return [Claim("rd_intensity_pct", "china", 2024, 3.1, "%", "exact", "crafted", "据报道", "。", "3.1%")]


def test_urls_in_a_title_are_not_links(crafted):
    crafted(
        TEXT,
        _claims(),
        title="见 https://evil.example/x 与 www.evil.cn",
        venue="投稿 editor@evil.example",
        url="javascript:alert(1)",
    )
    at = run_app("sources", {"source": "crafted"})
    assert_clean(at)
    shown = [unmd(m.value) for m in at.markdown] + [unmd(c.value) for c in at.caption]
    assert any("evil.example/x" in s for s in shown)  # the title is shown...
    assert not [s for s in shown if AUTOLINK.search(s)]  # ...but nothing in it can become a link
    assert not at.get("link_button")  # a javascript: address is never offered as a link


def test_the_bibliography_https_address_is_a_link(crafted):
    crafted(TEXT, _claims(), url="https://doi.org/10.1/x")
    at = run_app("sources", {"source": "crafted"})
    links = [m.value for m in at.markdown if "](https://" in m.value]
    assert links and all(v.endswith("](https://doi.org/10.1/x)") for v in links)
