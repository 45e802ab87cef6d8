"""The command line a user meets first: extract a new text as CSV."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

from loaders.build import ROOT


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def test_extract_prints_contract_columns(tmp_path):
    text = "2023年，浙江省研发经费投入强度为3.2%，比上年提高0.1个百分点。目前，全省有专精特新中小企业超1000家。"
    path = tmp_path / "new.txt"
    path.write_text(text, "utf-8")
    result = run("extract", str(path), "--region", "zhejiang", "--year", "2024")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    for col in ("value", "unit", "qualifier", "char_start", "char_end", "quote", "indicator_id", "region_id", "year"):
        assert col in rows[0]
    by_text = {r["number_text"]: r for r in rows}
    assert by_text["3.2%"]["indicator_id"] == "rd_intensity_pct"
    assert by_text["3.2%"]["region_id"] == "zhejiang"
    assert by_text["3.2%"]["year"] == "2023"
    assert by_text["超1000家"]["qualifier"] == "more_than"
    assert by_text["超1000家"]["year"] == "2024"
    for r in rows:
        assert text[int(r["char_start"]) : int(r["char_end"])] == r["quote"]


def test_extract_rejects_non_utf8_with_the_file_name(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes("研发经费投入强度为2.54%".encode("gbk"))
    result = run("extract", str(path))
    assert result.returncode == 2
    assert "gbk.txt" in result.stderr and "UTF-8" in result.stderr
    assert "Traceback" not in result.stderr


def test_extract_missing_file():
    result = run("extract", "no/such/file.txt")
    assert result.returncode == 2
    assert "no/such/file.txt" in result.stderr


def test_extract_reads_the_publication_date_for_undated_figures(tmp_path):
    path = tmp_path / "communique.txt"
    path.write_text("全年实现地区生产总值92068.7亿元，比上年增长6.0%。", "utf-8")
    result = run("extract", str(path), "--region", "shandong", "--published", "2024-03-03")
    assert result.returncode == 0, result.stderr
    rows = {r["number_text"]: r for r in csv.DictReader(io.StringIO(result.stdout))}
    assert (rows["6.0%"]["year"], rows["6.0%"]["year_basis"]) == ("2023", "last_full_year")
    bad = run("extract", str(path), "--published", "March 2024")
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
