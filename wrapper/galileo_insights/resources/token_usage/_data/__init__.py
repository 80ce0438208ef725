"""Token usage as data: tables (Arrow, pandas, polars), usage by period and the incremental Parquet export.

pyarrow, pandas and polars are optional and imported only by the function that needs them, so importing
``galileo_insights`` never loads them.
"""
