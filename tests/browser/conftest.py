"""Real-browser fixtures: Debian's chromium for pytest-playwright, and one dashboard server.

The server runs `streamlit run dashboard/app.py` on 127.0.0.1 over a fresh build of the
bundled corpus (the session's `corpus_build`), never over datasets/published.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from benchmarks.browser_harness import CHROMIUM_FLAGS, start_streamlit, wait_healthy

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1400, "height": 900}


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Skip without chromium on a developer machine; in CI (CI=true) a missing browser fails."""
    if not CHROMIUM.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing and CI=true: run scripts/setup-browser.sh", pytrace=False)
        pytest.skip(f"{CHROMIUM} is not installed (scripts/setup-browser.sh installs it; CI runs this test)")
    return CHROMIUM


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, chromium_path, tmp_path_factory):
    home = tmp_path_factory.mktemp("chromium-home")
    return {
        **browser_type_launch_args,
        "executable_path": str(chromium_path),
        "args": CHROMIUM_FLAGS,
        "env": {**os.environ, "HOME": str(home)},
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": VIEWPORT, "accept_downloads": True, "locale": "zh-CN"}


@pytest.fixture(scope="session")
def dashboard_server(chromium_path, corpus_build, tmp_path_factory):
    """Base URL of a dashboard server over a fresh build; stopped at the end of the session."""
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    server = start_streamlit(ROOT / "dashboard" / "app.py", corpus_build.out, log)
    try:
        wait_healthy(server)
        yield server.url
    finally:
        server.stop()
