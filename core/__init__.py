"""deriv's core: parse, differentiate with its own rules, simplify, cross-check, evaluate.

Pure library: no printing, no terminal, no command line.
"""

import sys

# Trees are walked recursively; the parser bounds nesting (core.parser.MAX_NESTING) so a
# tree never gets deeper than this allows. Python 3.11 keeps pure-Python calls off the C
# stack, so a higher limit is safe.
if sys.getrecursionlimit() < 25_000:
    sys.setrecursionlimit(25_000)
