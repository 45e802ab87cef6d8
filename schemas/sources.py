"""sources.parquet: one row per source text, its bibliography and digest."""

import datetime

import pandera.pandas as pa
from pandera.typing import Series


class Sources(pa.DataFrameModel):
    source_id: Series[str] = pa.Field(
        unique=True, str_matches=r"^[a-z0-9][a-z0-9_]*$", description="Stable ascii slug naming the source."
    )
    title: Series[str] = pa.Field(str_length={"min_value": 1}, description="Title in the source's language (Chinese).")
    title_en: Series[str] = pa.Field(description="English title where the source gives or we translated one.")
    short_title: Series[str] = pa.Field(str_length={"min_value": 1}, description="Short title for chart captions.")
    authors: Series[str] = pa.Field(description="Authors joined by 、; empty when the source names none.")
    venue: Series[str] = pa.Field(description="Journal, newspaper or site, with volume and pages if known.")
    published: Series[datetime.date] = pa.Field(
        description="Publication date; a year-only date is stored as 1 January (see published_precision)."
    )
    published_text: Series[str] = pa.Field(
        str_matches=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description="Publication date as recorded: YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    published_precision: Series[str] = pa.Field(
        isin=["year", "month", "day"], description="How much of `published` is known."
    )
    url: Series[str] = pa.Field(description="DOI resolver or web address; empty when unknown.")
    doi: Series[str] = pa.Field(description="DOI without resolver; empty when none.")
    language: Series[str] = pa.Field(isin=["zh", "en"], description="Language of the text (ISO 639-1).")
    sha256: Series[str] = pa.Field(
        str_matches=r"^[0-9a-f]{64}$", description="Hex SHA-256 of the text file's bytes, checked on every build."
    )
    n_chars: Series[int] = pa.Field(gt=0, description="Length of the decoded text in characters.")
    kind: Series[str] = pa.Field(description="What kind of document this is.")
    region_focus: Series[str] = pa.Field(description="Region a figure defaults to when its sentence names none.")
    file: Series[str] = pa.Field(str_matches=r"^[^/\\]+\.txt$", description="Text file under datasets/sources/.")
    received_as: Series[str] = pa.Field(description="File name under which the text was received.")

    class Config:
        strict = True
        coerce = True
