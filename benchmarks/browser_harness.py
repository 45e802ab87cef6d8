"""Shared pieces for the dashboard benchmarks: a Streamlit server on loopback, Debian's
chromium, process memory, and a synthetic published folder of any size.

Not a benchmark itself; imported by dashboard_bench.py and load_test.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETTLED = "[data-test-script-state=notRunning]"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    proc: subprocess.Popen
    url: str
    log: Path

    def rss_mb(self) -> float:
        return rss_tree_mb(self.proc.pid)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


def start_streamlit(app: Path, data_dir: Path, log: Path, sources_dir: Path | None = None) -> Server:
    """`streamlit run app` on 127.0.0.1 and a free port; returns once the process is spawned."""
    port = free_port()
    env = {**os.environ, "DASHBOARD_DATA_DIR": str(data_dir), "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false"}
    if sources_dir is not None:
        env["DASHBOARD_SOURCES_DIR"] = str(sources_dir)
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Server(proc, f"http://127.0.0.1:{port}", log)


def wait_healthy(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.proc.poll() is not None:
            raise RuntimeError(f"streamlit exited: {server.log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=1) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError(f"streamlit not healthy after {timeout:.0f} s")


def rss_tree_mb(pid: int) -> float:
    """Resident memory of a process and all its children, in MB."""
    try:
        proc = psutil.Process(pid)
        procs = [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0
    for p in procs:
        with contextlib.suppress(psutil.NoSuchProcess):
            total += p.memory_info().rss
    return total / 2**20


def launch_args(home: Path) -> dict:
    home.mkdir(parents=True, exist_ok=True)
    return {
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
        "headless": True,
        "env": {**os.environ, "HOME": str(home)},
    }


def build_real(out: Path) -> Path:
    """The bundled corpus built into `out` (never datasets/published)."""
    sys.path.insert(0, str(ROOT))
    from loaders.build import build

    return build(out=out).out


# --- synthetic data ------------------------------------------------------------------------

QUALIFIER_WORDS = {"exact": "", "approx": "约", "more_than": "超过", "nearly": "近", "at_least": "不少于"}


def synthesize(real_dir: Path, out: Path, n_obs: int, n_sources: int = 400, seed: int = 7) -> tuple[Path, Path]:
    """A published folder with `n_obs` observations in the real schema, and its source texts.

    Regions and indicators are the real tables. Each observation is one sentence of a
    synthetic source text ("2019年，江西省研发经费投入强度为约2.31%。"); its quote is that
    sentence and its offsets point into the text, so quote == text[char_start:char_end].
    Each observation also has a mapped mention (its number) and an unmapped one (its year),
    as a real corpus has more mentions than observations. Returns (published, sources).
    """
    rng = np.random.default_rng(seed)
    pub, src_dir = out / "published", out / "sources"
    if pub.exists():
        shutil.rmtree(pub)
    if src_dir.exists():
        shutil.rmtree(src_dir)
    pub.mkdir(parents=True)
    src_dir.mkdir(parents=True)
    regions = pd.read_parquet(real_dir / "regions.parquet")
    indicators = pd.read_parquet(real_dir / "indicators.parquet")
    real_obs = pd.read_parquet(real_dir / "observations.parquet")

    ind = indicators.reset_index(drop=True)
    reg = regions.reset_index(drop=True)
    i_ind = rng.integers(0, len(ind), n_obs)
    i_reg = rng.integers(0, len(reg), n_obs)
    years = rng.integers(2000, 2025, n_obs)
    unit = ind["unit"].astype(str).to_numpy()[i_ind]
    is_pct = unit == "%"
    value = np.where(is_pct, rng.uniform(0.1, 99.0, n_obs), np.exp(rng.normal(5, 2, n_obs)))
    value = np.round(value, 2)
    qual = rng.choice(list(QUALIFIER_WORDS), n_obs, p=[0.9, 0.04, 0.03, 0.02, 0.01])
    derived = rng.random(n_obs) < 0.01
    source_idx = np.sort(rng.integers(0, n_sources, n_obs))  # grouped by source, like a build

    # Unique, random-looking ids: an odd multiplier is a bijection modulo 2**64.
    ids = (np.arange(n_obs, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15) + np.uint64(seed)).astype(np.uint64)
    observation_id = [f"obs_{x:016x}" for x in ids.tolist()]

    ind_zh = ind["name_zh"].astype(str).to_numpy()[i_ind]
    reg_zh = reg["name_zh"].astype(str).to_numpy()[i_reg]
    number_text = [f"{QUALIFIER_WORDS[q]}{v:g}{u}" for q, v, u in zip(qual, value.tolist(), unit, strict=True)]
    prefix = [f"{y}年，{r}{i}为" for y, r, i in zip(years.tolist(), reg_zh, ind_zh, strict=True)]
    quote = [f"{p}{n}。" for p, n in zip(prefix, number_text, strict=True)]
    qlen = np.fromiter((len(q) + 1 for q in quote), dtype=np.int64, count=n_obs)  # +1 for the newline
    ends = np.cumsum(qlen)
    group_start = pd.Series(ends - qlen).groupby(source_idx).transform("min").to_numpy()
    char_start = ends - qlen - group_start
    char_end = char_start + qlen - 1
    plen = np.fromiter((len(p) for p in prefix), dtype=np.int64, count=n_obs)
    nlen = np.fromiter((len(n) for n in number_text), dtype=np.int64, count=n_obs)
    number_start = char_start + plen
    number_end = number_start + nlen

    # Source texts and their table.
    source_ids = [f"synth_{i:04d}" for i in range(n_sources)]
    bounds = np.searchsorted(source_idx, np.arange(n_sources + 1))
    rows = []
    for i, sid in enumerate(source_ids):
        lo, hi = bounds[i], bounds[i + 1]
        text = "".join(q + "\n" for q in quote[lo:hi]) or "本文无数字。\n"
        raw = text.encode("utf-8")
        (src_dir / f"{sid}.txt").write_bytes(raw)
        published = date(2015 + i % 10, 1 + i % 12, 1 + i % 28)
        rows.append(
            {
                "source_id": sid,
                "title": f"合成测试文献第{i}号：区域科技创新统计公报",
                "title_en": f"Synthetic test source no. {i}: regional innovation statistics",
                "short_title": f"合成文献{i}",
                "authors": "测试作者甲、测试作者乙",
                "venue": "合成期刊",
                "published": published,
                "published_text": published.isoformat(),
                "published_precision": "day",
                "url": f"https://example.org/synthetic/{sid}",
                "doi": "",
                "language": "zh",
                "sha256": hashlib.sha256(raw).hexdigest(),
                "n_chars": len(text),
                "kind": "synthetic",
                "region_focus": "china",
                "file": f"{sid}.txt",
                "received_as": f"{sid}.txt",
            }
        )
    sources = pd.DataFrame(rows)

    base_unit = ind["base_unit"].astype(str).to_numpy()[i_ind] if "base_unit" in ind else unit
    observations = pd.DataFrame(
        {
            "observation_id": observation_id,
            "indicator_id": ind["indicator_id"].astype(str).to_numpy()[i_ind],
            "region_id": reg["region_id"].astype(str).to_numpy()[i_reg],
            "year": years.astype("int64"),
            "year_basis": "stated",
            "region_basis": "stated",
            "value": value,
            "unit": unit,
            "scale": 1.0,
            "base_unit": base_unit,
            "value_base": value,
            "qualifier": qual,
            "source_id": np.array(source_ids)[source_idx],
            "quote": quote,
            "char_start": char_start,
            "char_end": char_end,
            "number_text": number_text,
            "number_start": number_start,
            "number_end": number_end,
            "derived": derived,
            "note": np.where(derived, "derived: synthetic, from neighbouring figures", ""),
            "flags": np.where(qual != "exact", np.char.add("bounded or approximate: ", qual.astype(str)), ""),
            "rule_id": np.char.add(ind["indicator_id"].astype(str).to_numpy()[i_ind].astype(str), "_rule"),
        }
    )
    observations = observations[[c for c in real_obs.columns if c in observations.columns]]
    year_start = char_start + np.fromiter((len(str(y)) for y in years.tolist()), dtype=np.int64, count=n_obs)
    mentions = pd.concat(
        [
            pd.DataFrame(
                {
                    "source_id": observations["source_id"],
                    "char_start": number_start,
                    "char_end": number_end,
                    "text": number_text,
                    "value": value,
                    "unit": unit,
                    "qualifier": qual,
                    "kind": "figure",
                    "observation_id": observation_id,
                    "reason": "",
                    "indicator_subject": ind["name_zh"].astype(str).to_numpy()[i_ind],
                    "measure": np.where(is_pct, "share", "level"),
                }
            ),
            pd.DataFrame(
                {
                    "source_id": observations["source_id"],
                    "char_start": char_start,
                    "char_end": year_start + 1,
                    "text": [f"{y}年" for y in years.tolist()],
                    "value": years.astype(float),
                    "unit": "年",
                    "qualifier": "exact",
                    "kind": "year",
                    "observation_id": "",
                    "reason": "a year, not a figure",
                    "indicator_subject": "",
                    "measure": "",
                }
            ),
        ],
        ignore_index=True,
    ).sort_values(["source_id", "char_start"], kind="stable", ignore_index=True)

    for name, frame in {
        "sources": sources,
        "regions": regions,
        "indicators": indicators,
        "observations": observations,
        "mentions": mentions,
    }.items():
        pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), pub / f"{name}.parquet")
    report = {
        "built_at": pd.Timestamp.now(tz="UTC").isoformat(timespec="seconds"),
        "code_version": "synthetic",
        "counts": {
            "sources": n_sources,
            "mentions": len(mentions),
            "observations": n_obs,
            "derived": int(derived.sum()),
            "unmapped": n_obs,
        },
        "checks": [],
    }
    (pub / "build_report.json").write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    return pub, src_dir


def check_synthetic_sample(pub: Path, src_dir: Path, n_sources: int = 5) -> tuple[int, int, list[str]]:
    """The project's own schemas on the first few synthetic sources: passed, total, failed rules.

    Runs in a fresh process: schemas.integrity adds its cross-table checks to pandera's cached
    model schemas, so a second validation in a process that already built reuses the first
    call's texts and tables. Random shares do not add up to their whole, so the rules on
    wholes and stated changes are expected to fail here.
    """
    code = f"""
import json, sys
sys.path.insert(0, {str(ROOT)!r})
from pathlib import Path
import pandas as pd, pyarrow.parquet as pq
from schemas.integrity import validate_tables
pub, src = Path({str(pub)!r}), Path({str(src_dir)!r})
tables = {{t: pd.read_parquet(pub / f"{{t}}.parquet") for t in ("sources", "regions", "indicators")}}
keep = tables["sources"]["source_id"].head({n_sources}).tolist()
tables["sources"] = tables["sources"].head({n_sources})
for t in ("observations", "mentions"):
    frame = pq.read_table(pub / f"{{t}}.parquet", filters=[("source_id", "in", keep)]).to_pandas()
    tables[t] = frame.reset_index(drop=True)
texts = {{s: (src / f"{{s}}.txt").read_text(encoding="utf-8") for s in keep}}
_, results = validate_tables(tables, texts)
print(json.dumps([sum(r.n_failed == 0 for r in results), len(results), sorted({{r.check for r in results if r.n_failed}})]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600, check=True)
    passed, total, failed = json.loads(out.stdout.strip().splitlines()[-1])
    return passed, total, failed
