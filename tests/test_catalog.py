"""core/tasks/catalog.py: the lecture's catalog and user catalogs, validated before anything
runs."""

import pytest

from deriv_lecture.core.tasks.catalog import CatalogError, builtin_catalog, parse_catalog


def test_builtin_catalog_covers_the_lecture_in_order() -> None:
    cases = builtin_catalog()
    groups = [c.group for c in cases]
    sections = list(dict.fromkeys(groups))
    assert sections == [
        "1. Rates of change",
        "2. Derivatives",
        "3. Derivatives of basic functions",
        "4. Differentiation rules",
        "5. Composite functions and the chain rule",
        "6. Modules of backpropagation",
        "7. Beyond the lecture: several variables",
        "8. Beyond the lecture: Jacobians and Hessians",
        "9. Beyond the lecture: implicit curves",
    ]
    assert groups == sorted(groups)  # in the lecture's order
    exprs = {c.expr for c in cases}
    for example in ["x(x+2)(x-2)", "1/(x cbrt(x))", "-2/x^3", "cos(x^3)", "(a - x)^2",
                    "1/(1 + e^-x)", "x^2/e^x", "tanh(x)", "sin(t - tau)", "e^x ln(x)"]:  # fmt: skip
        assert example in exprs
    slip = next(c for c in cases if c.expr == "-2/x^3")
    assert slip.expect == "6/x^4" and slip.note and "slip" in slip.note
    facts = [c for c in cases if c.average is not None]
    assert {(c.at, c.to, c.average) for c in facts} == {("2", "4", "6"), ("-2", "2", "0")}
    kinks = {c.expr: (c.left, c.right) for c in cases if c.differentiable is False}
    assert kinks == {"abs(x)": ("-1", "1"), "relu(x)": ("0", "1")}
    assert {c.at for c in cases if c.value == "0" and c.expr == "x(x+2)(x-2)"} == {
        "2/sqrt(3)", "-2/sqrt(3)",
    }  # fmt: skip


def test_spec_format() -> None:
    text = """
[[case]]
name = "chain rule: cos(x^3)"
expr = "cos(x^3)"
var = "x"
at = "pi/4"
expect = "-3x^2 sin(x^3)"
let = { a = 3 }

[[case]]
expr = "x^2"
at = 2
"""
    first, second = parse_catalog(text, "answers.toml")
    assert first.name == "chain rule: cos(x^3)" and first.lets == (("a", "3"),)
    assert first.line == 2
    assert second.name == "x^2" and second.at == "2" and second.line == 10


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("[[case]\nexpr = 'x'", "not valid TOML"),
        ("[[case]]\nexpr = 'x'\nanswer = '1'", "unknown key 'answer'"),
        ("[[case]]\nname = 'no expr'", "case 1 (line 1): the case has no 'expr'"),
        ("[[case]]\nexpr = 'x'\n\n[[case]]\nexpr = 2", "case 2 (line 4): 'expr' must be a string"),
        ("[[case]]\nexpr = 'x'\nlet = 3", "'let' must be a table"),
        ("[[case]]\nexpr = 'x'\nat = true", "'at' must be a number or an expression"),
        ("title = 'x'", "unknown top-level key"),
        ("", "no [[case]]"),
    ],
)
def test_bad_catalogs_are_refused_with_file_case_and_line(text: str, fragment: str) -> None:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "answers.toml")
    assert caught.value.message.startswith("answers.toml")
    assert fragment in caught.value.message
