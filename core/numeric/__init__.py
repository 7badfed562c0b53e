"""Values and points: float and many-digit evaluation, domains and signs, one-sided behaviour at a
point, whether f'(a) exists, estimates, plot data."""
