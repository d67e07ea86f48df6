"""wushe benchmarks: ``make bench`` (``python -m bench``). Each prints figures and ratios
against baselines measured in the same run; the results go in docs/benchmarks.md."""
