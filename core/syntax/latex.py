"""Tree -> LaTeX, for notes and notebooks: \\frac, \\sqrt, \\sin, x^{2}, \\left|x\\right|,
a piecewise function as cases. The third spelling of a tree beside core.syntax.printer's input
syntax and readable Unicode; the same precedence decides where brackets go.
"""

from __future__ import annotations

from fractions import Fraction

from deriv_lecture.core.functions import FUNCTIONS, ROWS
from deriv_lecture.core.syntax.names import GREEK_GLYPHS
from deriv_lecture.core.syntax.printer import ATOM, POWER, PRODUCT, SUM, UNARY, precedence
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Compare,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
    Undefined,
)

# Functions LaTeX knows by name (the function table's latex); the rest are \operatorname.
_NAMED = {row.name: row.latex for row in ROWS if row.latex and "{0}" not in row.latex}
_COMPARE = {"<": "<", "<=": r"\le", ">": ">", ">=": r"\ge"}
# Calls written with their own brackets or bars, whose square is not sin²-style.
_NOT_RAISED = frozenset(row.name for row in ROWS if not row.raised)


def to_latex(expr: Expr) -> str:
    return _Latex().show(expr)


class _Latex:
    def show(self, expr: Expr) -> str:
        match expr:
            case Num(value):
                return self.number(value)
            case Const(name):
                return r"\pi" if name == "pi" else "e"
            case Sym(name):
                return self.symbol(name)
            case Add(terms):
                return self.sum(terms)
            case Neg(arg):
                return "-" + self.wrap(arg, UNARY, strict=False)
            case Mul(factors):
                return self.product(factors)
            case Div(num, den):
                return rf"\frac{{{self.show(num)}}}{{{self.show(den)}}}"
            case Pow(base, exp):
                return self.power(base, exp)
            case Call(name, args):
                return self.call(name, args)
            case Piecewise():
                return self.cases(expr)
            case Undefined():
                return r"\text{(no value)}"
        raise TypeError(f"not an expression node: {expr!r}")

    def wrap(self, expr: Expr, level: int, strict: bool = True) -> str:
        inner = precedence(expr)
        if isinstance(expr, Div):
            inner = ATOM  # a \frac is its own bracket
        needs = inner <= level if strict else inner < level
        text = self.show(expr)
        return rf"\left({text}\right)" if needs else text

    def number(self, value: Fraction) -> str:
        from deriv_lecture.core.syntax.printer import to_input

        sign = "-" if value < 0 else ""
        magnitude = abs(value)
        decimal = to_input(Num(magnitude))  # 0.25, 3e20, or a fraction a/b
        if "/" not in decimal:
            return sign + _scientific(decimal)
        top, bottom = magnitude.numerator, magnitude.denominator
        return rf"{sign}\frac{{{top}}}{{{bottom}}}"

    def symbol(self, name: str) -> str:
        if name in GREEK_GLYPHS:
            return "\\" + name
        head, _, subscript = name.partition("_")
        if subscript:
            return f"{head}_{{{subscript}}}"
        if len(name) > 1 and name[1:].isdigit():
            return f"{name[0]}_{{{name[1:]}}}"
        return name

    def sum(self, terms: tuple[Expr, ...]) -> str:
        parts = [self.wrap(terms[0], SUM, strict=False)]
        for term in terms[1:]:
            text = self.wrap(term, SUM)
            parts.append(f" - {text[1:]}" if text.startswith("-") else f" + {text}")
        return "".join(parts)

    def product(self, factors: tuple[Expr, ...]) -> str:
        shown = [self.wrap(factors[0], PRODUCT, strict=False)]
        shown += [self.wrap(f, PRODUCT) for f in factors[1:]]
        out = shown[0]
        for text in shown[1:]:
            # A number after anything needs a dot (2 \cdot 3); letters run together (2 x).
            out += r" \cdot " if text[0].isdigit() or text.startswith("-") else " "
            out += text
        return out

    def power(self, base: Expr, exp: Expr) -> str:
        if isinstance(base, Call) and base.name not in _NOT_RAISED and len(base.args) == 1:
            if isinstance(exp, Num) and exp.value.denominator == 1 and exp.value > 0:
                command = _NAMED.get(base.name, rf"\operatorname{{{base.name}}}")
                inner = self.show(base.args[0])  # sin^{2}\left(x\right)
                return rf"{command}^{{{self.show(exp)}}}\left({inner}\right)"
        bottom = self.wrap(base, POWER)
        bracketed = isinstance(base, Call) and FUNCTIONS[base.name].enclosed
        if isinstance(base, Call | Num) and not bracketed and not bottom.startswith(r"\left("):
            if not (isinstance(base, Num) and base.value >= 0 and base.value.denominator == 1):
                bottom = rf"\left({bottom}\right)"
        return f"{bottom}^{{{self.show(exp)}}}"

    def call(self, name: str, args: tuple[Expr, ...]) -> str:
        form = FUNCTIONS[name].latex
        if form is not None and "{0}" in form:  # \sqrt{x}, \left|x\right|, \log_{2}\left(x\right)
            return form.format(*(self.show(a) for a in args))
        inner = ", ".join(self.show(a) for a in args)
        command = _NAMED.get(name, rf"\operatorname{{{name}}}")
        return rf"{command}\left({inner}\right)"

    def cases(self, expr: Piecewise) -> str:
        rows = []
        node: Expr = expr
        while isinstance(node, Piecewise):
            rows.append(rf"{self.show(node.then)} & \text{{if }} {self.comparison(node.cond)}")
            node = node.otherwise
        if not isinstance(node, Undefined):
            rows.append(rf"{self.show(node)} & \text{{otherwise}}")
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def comparison(self, cond: Compare) -> str:
        return f"{self.show(cond.left)} {_COMPARE[cond.op]} {self.show(cond.right)}"


def _scientific(decimal: str) -> str:
    """3e20 -> 3 \\times 10^{20}; plain decimals as they are."""
    if "e" not in decimal:
        return decimal
    mantissa, _, exponent = decimal.partition("e")
    return rf"{mantissa} \times 10^{{{int(exponent)}}}"
