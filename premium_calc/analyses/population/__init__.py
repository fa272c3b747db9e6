"""Population runs: many households, many regions and years, weights, exact distributions.

Members come in as columns (numpy arrays, a pandas or polars DataFrame, an Arrow table, or a
CSV/Parquet file read in household-aligned batches); each (region, year) group is priced with
its own resolved schedule by the integer-fen engine of :mod:`premium_calc.household.batch`;
totals, deciles and shares above burden thresholds are integer sums and integer histograms,
merged by addition, so they are identical whatever the batch size or partitioning.
"""
