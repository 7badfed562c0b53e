"""core/syntax/parser.py: SPEC.md's syntax, read as an S-expression, and its errors."""

import pytest

from deriv_lecture.core.errors import LimitError, ParseError, UnknownNameError
from deriv_lecture.core.syntax.parser import parse, parse_expr
from deriv_lecture.core.syntax.tree import (
    Add,
    Call,
    Const,
    Div,
    Expr,
    Mul,
    Neg,
    Num,
    Piecewise,
    Pow,
    Sym,
)


def sexpr(node: Expr) -> str:
    match node:
        case Num(value):
            return str(value)
        case Const(name) | Sym(name):
            return name
        case Add(terms):
            return "(+ " + " ".join(sexpr(t) for t in terms) + ")"
        case Neg(arg):
            return f"(neg {sexpr(arg)})"
        case Mul(factors):
            return "(* " + " ".join(sexpr(f) for f in factors) + ")"
        case Div(num, den):
            return f"(/ {sexpr(num)} {sexpr(den)})"
        case Pow(base, exp):
            return f"(^ {sexpr(base)} {sexpr(exp)})"
        case Call(name, args):
            return f"({name} " + " ".join(sexpr(a) for a in args) + ")"
        case Piecewise(cond, then, otherwise):
            test = f"({cond.op} {sexpr(cond.left)} {sexpr(cond.right)})"
            return f"(if {test} {sexpr(then)} {sexpr(otherwise)})"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("2", "2"),
        ("0.5", "1/2"),
        (".5", "1/2"),
        ("1e-3", "1/1000"),
        ("2.5E10", "25000000000"),
        ("2e-1", "1/5"),
        ("2e - 1", "(+ (* 2 e) (neg 1))"),
        ("2*e-1", "(+ (* 2 e) (neg 1))"),
        ("2e^x", "(* 2 (^ e x))"),
        ("-x^2", "(neg (^ x 2))"),
        ("2^3^2", "(^ 2 (^ 3 2))"),
        ("e^-x", "(^ e (neg x))"),
        ("2/3x", "(* (/ 2 3) x)"),
        ("e^-2x", "(* (^ e (neg 2)) x)"),
        ("e^2x", "(* (^ e 2) x)"),
        ("x^2(x+1)", "(* (^ x 2) (+ x 1))"),
        ("2x", "(* 2 x)"),
        ("3x^3", "(* 3 (^ x 3))"),
        ("x(x+2)(x-2)", "(* x (+ x 2) (+ x (neg 2)))"),
        ("e^x ln(x)", "(* (^ e x) (ln x))"),
        ("2 sin(x)", "(* 2 (sin x))"),
        ("(x+1)(x-1)", "(* (+ x 1) (+ x (neg 1)))"),
        ("[x+1]^2", "(^ (+ x 1) 2)"),
        ("x2", "x2"),
        ("x_2", "x_2"),
        ("x**2", "(^ x 2)"),
        ("a - b - c", "(+ a (neg b) (neg c))"),
        ("a/b/c", "(/ (/ a b) c)"),
        ("|x|", "(abs x)"),
        ("2|x - 1|", "(* 2 (abs (+ x (neg 1))))"),
        ("||x| - 1|", "(abs (+ (abs x) (neg 1)))"),
        ("log_2(x)", "(log x 2)"),
        ("log_10(x)", "(log x 10)"),
        ("log_e(x)", "(log x e)"),
        ("log_1.5(x)", "(log x 3/2)"),
        ("log_a(x)", "(log x a)"),
        ("log(x, 3)", "(log x 3)"),
        ("log(x)", "(ln x)"),
        ("log2(x)", "(log x 2)"),
        ("log10(x)", "(log x 10)"),
        ("arcsin(x)", "(asin x)"),
        ("ReLU(x)", "(relu x)"),
        ("max(0, x)", "(max 0 x)"),
        ("sin^2(x)", "(^ (sin x) 2)"),
        ("sin²(x)", "(^ (sin x) 2)"),
        ("x²", "(^ x 2)"),
        ("x⁻¹", "(^ x (neg 1))"),
        ("√(x)", "(sqrt x)"),
        ("√x", "(sqrt x)"),
        ("π/4", "(/ pi 4)"),
        ("a − x", "(+ a (neg x))"),
        ("2 × x", "(* 2 x)"),
        ("sin(t - tau)", "(sin (+ t (neg tau)))"),
        ("x^2 if x >= 1 else 2x - 1", "(if (>= x 1) (^ x 2) (+ (* 2 x) (neg 1)))"),
        ("0 if x < 0 else 1 if x < 1 else 2", "(if (< x 0) 0 (if (< x 1) 1 2))"),
        ("-2x", "(* (neg 2) x)"),
        ("2*-x", "(* 2 (neg x))"),
        ("cbrt(x)", "(cbrt x)"),
        ("sigmoid(x)", "(sigmoid x)"),
    ],
)
def test_reading(source: str, expected: str) -> None:
    assert sexpr(parse_expr(source)) == expected


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ("2/3x", "write 2/(3x)"),
        ("e^-2x", "write e^(-2x)"),
        ("e^2x", "write e^(2x)"),
        ("2e-1", "2*e - 1"),
        ("2e-1", "(0.2)"),
        ("1e200", "(1 × 10^200)"),  # not its 201 digits
        ("5e-300", "(5 × 10^-300)"),
    ],
)
def test_trap_readings_carry_a_note(source: str, fragment: str) -> None:
    notes = parse(source).notes
    assert len(notes) == 1 and fragment in notes[0]


@pytest.mark.parametrize("source", ["x^2(x+1)", "2x", "e^(2x)", "e^2 x", "2/(3x)", "2*e - 1"])
def test_plain_readings_have_no_note(source: str) -> None:
    assert parse(source).notes == ()


@pytest.mark.parametrize(
    ("source", "pos", "fragment"),
    [
        ("x^^2", 2, "expected an operand"),
        ("", 0, "empty"),
        ("   ", 3, "empty"),
        ("2x +", 4, "ends where an operand"),
        ("(x + 1", 6, "to close the '(' at column 1"),
        ("x + 1)", 5, "unmatched ')'"),
        ("(x + 1]", 6, "expected ')'"),
        ("|x", 2, "'|'"),
        ("sin x", 0, "sin(x)"),
        ("sin()", 4, "needs an argument"),
        ("log(x, )", 7, "missing"),
        ("max(x)", 0, "takes 2"),
        ("sin^-1(x)", 0, "ambiguous"),
        ("x if x > 0 else", 15, "ends where an operand"),
        ("x if x else 1", 7, "comparison"),
        ("*x", 0, "expected an operand"),
    ],
)
def test_errors_say_what_and_where(source: str, pos: int, fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse(source)
    assert caught.value.pos == pos, caught.value.message
    assert fragment in caught.value.message + (caught.value.hint or "")


@pytest.mark.parametrize(
    ("source", "name", "suggestion"),
    [
        ("ax", "ax", "a*x"),
        ("sinx", "sinx", "sin(x)"),
        ("foo(x)", "foo", None),
        ("sine(x)", "sine", "'sin'"),
        ("2 thetta", "thetta", "'theta'"),
    ],
)
def test_unknown_names_suggest(source: str, name: str, suggestion: str | None) -> None:
    with pytest.raises(UnknownNameError) as caught:
        parse(source)
    assert caught.value.name == name
    assert caught.value.suggestion == suggestion


@pytest.mark.parametrize("source", ["__import__('os').system('id')", "lambda: 1", "x.__class__"])
def test_code_is_just_unparsable_text(source: str) -> None:
    with pytest.raises(ParseError):
        parse(source)


def test_deep_nesting_is_a_clear_limit() -> None:
    assert sexpr(parse_expr("(" * 500 + "x" + ")" * 500)) == "x"
    with pytest.raises(LimitError):
        parse("(" * 3000 + "x" + ")" * 3000)
