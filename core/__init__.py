"""deriv's core: parse, differentiate with its own rules, simplify, cross-check, evaluate.

Pure library: no printing, no terminal, no command line.
"""

import sys

# Trees are walked recursively; the parser bounds nesting (core.syntax.parser.MAX_NESTING) so a
# tree never gets deeper than this allows. Python 3.11 keeps pure-Python calls off the C
# stack, so a higher limit is safe.
if sys.getrecursionlimit() < 25_000:
    sys.setrecursionlimit(25_000)

# Exact values can carry rationals of a few thousand digits (x⁴ at 1e-300 is 10⁻¹²⁰⁰, and
# a tangent's intercept adds such fractions). Input literals are capped at 400 digits and
# folded powers at 4,096 bits (core.syntax.lexer, core.calculus.algebra), so printing them is cheap;
# the
# default cap of 4,300 digits would turn such a result into a crash.
if hasattr(sys, "set_int_max_str_digits") and 0 < sys.get_int_max_str_digits() < 100_000:
    sys.set_int_max_str_digits(100_000)
