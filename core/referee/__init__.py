"""SymPy as referee: the bridge both ways, the worker process, CPU-time limits, exact values and
equivalence of two formulas."""
