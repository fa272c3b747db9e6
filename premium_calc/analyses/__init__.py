"""4. Analyses across years, regions and households: growth arithmetic, history series with their
segments and summary, comparisons of regions, and the coverage matrix. Population runs, reforms
and benefits will live here too. Nothing here prints.
"""
