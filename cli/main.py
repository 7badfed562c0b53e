"""The Typer app: routing, options, and the one place errors become exit codes.

`deriv EXPR ...` is the main job; the first argument is an expression unless it names
a sub-command (RouteToDiff). Commands are thin: parse options, call the core, pick one
view (Rich, plain, JSON), write, return an exit code.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from typing import Annotated, Any

import typer

from deriv_lecture.cli.errors import (
    DEFAULT_COMMAND,
    EXIT_BAD_INPUT,
    EXIT_FAILED,
    EXIT_OK,
    Interrupted,
    exit_code,
    mistyped_option,
    report_error,
)
from deriv_lecture.cli.report import Report
from deriv_lecture.cli.routing import ExpressionCommand, RouteToDiff
from deriv_lecture.core.errors import DerivError, InputError, UsageError

app = typer.Typer(
    cls=RouteToDiff,
    add_completion=True,  # --install-completion and --show-completion
    no_args_is_help=True,
    subcommand_metavar="EXPR | COMMAND [ARGS]...",
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
    pretty_exceptions_enable=False,  # an escaped error is one line (main), never a panel
)


def _reference() -> str:
    """Where the reference is: docs/ in the checkout, or installed inside the package."""
    from pathlib import Path

    import deriv_lecture

    package = Path(deriv_lecture.__file__).resolve().parent
    for folder in (package / "docs", package.parent / "docs"):
        if (folder / "syntax.md").is_file():
            return str(folder)
    return "docs/ in deriv's source repository"


EPILOG = """\b
Exit codes: 0 done (also "not differentiable here" and "could not decide"),
1 a check failed or the math has no answer (a pole, outside the domain),
2 bad input, 130 interrupted.
\b
Reference: the expression syntax (syntax.md), every command and option
(commands.md), the JSON keys (json.md) and catalogs (catalog.md) are in
{reference}"""


def _version(value: bool) -> None:
    if value:
        from deriv_lecture import __version__

        typer.echo(f"deriv {__version__}")
        raise typer.Exit(EXIT_OK)


@app.callback(epilog=EPILOG.format(reference=_reference()))
def root(
    show_version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Derivatives with their steps, checked against SymPy.

    \b
    deriv EXPR [--at POINT] [--to B] [--var NAME] [--let NAME=VALUE]... [--json] [--plain]
    deriv EXPR --wrt x[,y...] [--order N] [--at x=1,y=2]
    deriv grad EXPR [--at x=1,y=2] [--dir V]
    deriv jacobian "[F1, F2]" [--at ...] [--vjp V] [--jvp V] [--sub u=...,v=...]
    deriv hessian EXPR [--at x=1,y=2] [--critical]
    deriv implicit "LHS = RHS" [--at x=3,y=4] [--order 2] [--answer A]
    deriv tangent EXPR --at POINT
    deriv backprop EXPR [--at POINT] [--merge 1-2,3-4]   (many inputs: --at w0=2,x0=-1,...)
    deriv check EXPR --answer ANSWER      (a gradient: --wrt x,y --answer "[G1, G2]")
    deriv check-all [--catalog FILE.toml] [--json] [--junit FILE.xml]
    \b
    Examples:
      deriv "x^2" --at 2
      deriv "x^2" --at 2 --to 4
      deriv tangent "x^2" --at 2
      deriv backprop "1/(1 + e^-x)" --at 0
      deriv check "cos(x^3)" --answer "-3x^2 sin(x^3)"
      deriv "sin(x)" --at pi/4
      deriv "x^2"
      deriv "x(x+2)(x-2)"
      deriv "1/(1 + e^-x)"
      deriv "sin(t - tau)" --var t
      deriv "e^x ln(x)" --json
      deriv "x^2 y + sin(x y)" --wrt x --at x=1,y=2
      deriv grad "x^2 y + sin(x y)" --at x=1,y=2 --dir 2,5
      deriv jacobian "[r cos(theta), r sin(theta)]" --at r=2,theta=pi/3
      deriv hessian "x^3 - 3x + y^3 - 3y" --critical
      deriv implicit "x^2 + y^2 = 25" --at x=3,y=4
    \b
    `deriv EXPR --help` lists the options of the main job.
    """


JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object, nothing else.")]
ColorOption = Annotated[
    str,
    typer.Option(
        "--color",
        metavar="auto|always|never",
        help="Colour on a terminal (auto), also when piped (always), or not at all (never).",
    ),
]
PlainOption = Annotated[bool, typer.Option("--plain", help="Plain text, no tables or colour.")]
VarOption = Annotated[
    str | None,
    typer.Option("--var", metavar="NAME", help="Variable to differentiate by (default: x)."),
]
AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        metavar="POINT",
        help="A point: 2, -1.5, pi/4, e, 1/3 (adds values, limit, tangent).",
    ),
]
ToOption = Annotated[
    str | None,
    typer.Option("--to", metavar="B", help="With --at A: the average rate over [A, B]."),
]
WrtOption = Annotated[
    str | None,
    typer.Option(
        "--wrt",
        metavar="NAMES",
        help="Differentiate by these, in order: --wrt x, --wrt x,y (∂²f/∂y∂x).",
    ),
]
PointOption = Annotated[
    str | None,
    typer.Option("--at", metavar="POINT", help="The point: x=1,y=2 (values are expressions)."),
]
LetOption = Annotated[
    list[str] | None,
    typer.Option(
        "--let", metavar="NAME=VALUE", help="Give a parameter a value: --let a=3 (repeatable)."
    ),
]
PlotOption = Annotated[
    bool | None,
    typer.Option(
        "--plot/--no-plot",
        help="With --at: draw f near the point: the graph with its tangent (and the secant),"
        " or for two variables the level curves with ∇f (default: on a terminal).",
    ),
]
SavePlotOption = Annotated[
    str | None,
    typer.Option(
        "--save-plot", metavar="FILE", help="With --at: write the picture to FILE.svg or FILE.png."
    ),
]

# Commands take an expression that may start with a minus sign ("-x^2"), so unknown
# options reach them as extra arguments, and `reject_extra` names them (no such option
# '--att'; did you mean '--at'?) instead of click's "unexpected extra argument".
EXPRESSION_COMMAND = {"ignore_unknown_options": True, "allow_extra_args": True}


@app.command(
    DEFAULT_COMMAND, hidden=True, context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand
)
def diff(
    ctx: typer.Context,
    expr: Annotated[
        str, typer.Argument(metavar="EXPR", help='The function, e.g. "x^2" or "sin(x^3)".')
    ],
    at: AtOption = None,
    var: VarOption = None,
    wrt: WrtOption = None,
    order: Annotated[
        int | None,
        typer.Option("--order", metavar="N", help="The N-th derivative: --order 2 is f''."),
    ] = None,
    let: LetOption = None,
    to: ToOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
    latex: Annotated[
        bool, typer.Option("--latex", help="LaTeX for notes: f', the steps, the point.")
    ] = False,
    plot: PlotOption = None,
    save_plot: SavePlotOption = None,
) -> None:
    """The derivative of EXPR, its steps, and whether SymPy agrees; with --at, everything
    at that point: values, the limit, the best estimate, average versus instantaneous
    rate, the tangent and normal lines."""

    def job() -> Outcome:
        from deriv_lecture.core.syntax.parser import parse

        reject_extra(ctx)
        if save_plot is not None:
            check_output_path(save_plot, "--save-plot")
        if to is not None and at is None:
            raise UsageError("--to needs --at: the interval runs from --at to --to")
        source = expression_text(expr)
        parse(source)  # before the heavier imports: a typo answers at once
        if wrt is not None or order is not None or (at is not None and "=" in at):
            if to is not None or latex or plot or save_plot:
                raise UsageError("--to, --latex and the plots are for one variable's f'")
            return partial_job(source, wrt, var, order, at, let, as_json, plain, color)

        from deriv_lecture.cli import jsonout, views
        from deriv_lecture.core.calculus.derive import derive
        from deriv_lecture.core.problem import read_problem
        from deriv_lecture.core.referee.crosscheck import compare_with_sympy

        problem = read_problem(source, var, at, parse_lets(let))
        derivation = derive(problem.expr, problem.var, key_forms=True)
        verdict = compare_with_sympy(problem.expr, derivation.derivative, problem.var)
        point = analyze_point(problem, derivation, to)
        if (plot or save_plot is not None) and point is None:
            raise UsageError("--plot and --save-plot draw f near a point: give --at")
        draw = point is not None and not (as_json or latex) and plot is not False
        draw = draw and (plot is True or rich_output(plain, color))
        picture = None
        if point is not None and (draw or save_plot):
            from deriv_lecture.core.numeric.plotdata import plot_data

            picture = plot_data(problem.expr, point, dict(problem.lets))
        if save_plot and picture is not None:
            from deriv_lecture.cli.figure import save_figure

            save_figure(views.plot_section(picture, point), save_plot)
        code = EXIT_FAILED if verdict.agrees is False else EXIT_OK
        if as_json:
            document = jsonout.derivative_document(source, derivation, verdict, problem.notes)
            if point is not None and at is not None:
                document.update(jsonout.point_document(at, point))
            if latex:
                from dataclasses import asdict

                from deriv_lecture.cli.latexout import latex_parts

                document["latex"] = asdict(latex_parts(derivation, point))
            return code, json_out(document)
        if latex:
            from deriv_lecture.cli.latexout import latex_parts

            return code, text_out(latex_parts(derivation, point).document)
        shown = picture if draw else None
        report = views.derivative_report(source, derivation, verdict, problem.notes, point, shown)
        return code, report_out(report, plain, color)

    finish(job, as_json)


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def tangent(
    ctx: typer.Context,
    expr: Annotated[str, typer.Argument(metavar="EXPR", help='The function, e.g. "x^2".')],
    at: Annotated[
        str, typer.Option("--at", metavar="POINT", help="The point of tangency: 2, pi/4, ...")
    ],
    var: VarOption = None,
    let: LetOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
) -> None:
    """The tangent line y = f'(a)(x − a) + f(a) at a glance, with its normal."""

    def job() -> Outcome:
        from deriv_lecture.cli import jsonout, views
        from deriv_lecture.core.calculus.derive import derive
        from deriv_lecture.core.problem import read_problem

        reject_extra(ctx)
        source = expression_text(expr)
        problem = read_problem(source, var, at, parse_lets(let))
        derivation = derive(problem.expr, problem.var, key_forms=True)
        point = analyze_point(problem, derivation, None, limits=False)
        if as_json:
            return EXIT_OK, json_out(jsonout.tangent_document(source, at, point))
        return EXIT_OK, report_out(views.tangent_report(point, problem.notes), plain, color)

    finish(job, as_json)


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def backprop(
    ctx: typer.Context,
    expr: Annotated[str, typer.Argument(metavar="EXPR", help='The function, e.g. "1/(1 + e^-x)".')],
    at: AtOption = None,
    var: VarOption = None,
    let: LetOption = None,
    wrt: Annotated[
        str | None,
        typer.Option("--wrt", metavar="NAMES", help="The inputs, without --at: --wrt w0,x0,b."),
    ] = None,
    merge: Annotated[
        str | None,
        typer.Option(
            "--merge",
            metavar="RANGES",
            help="Merge modules by number, e.g. 1-2,3-4 (the sigmoid as two).",
        ),
    ] = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
    save_plot: Annotated[
        str | None,
        typer.Option(
            "--save-plot",
            metavar="FILE",
            help="Draw the graph with each node's data and grad to FILE.svg or .png.",
        ),
    ] = None,
) -> None:
    """The lecture's modules of backpropagation: EXPR as modules u1, u2, ..., y; values
    forward, gradients backward down to dy/dx, checked against the rule engine. Many
    inputs: every symbol given a value by --at w0=2,x0=-1,... (or named by --wrt) is an
    input, and one backward pass gives the gradient of each."""

    def job() -> Outcome:
        if save_plot is not None:
            check_output_path(save_plot, "--save-plot")
        if wrt is not None or (at is not None and "=" in at):
            return network_job(expr, wrt, var, at, let, merge, as_json, plain, color, ctx,
                               save_plot)  # fmt: skip
        from deriv_lecture.cli import jsonout, views
        from deriv_lecture.core.problem import read_problem
        from deriv_lecture.core.tasks.backprop import parse_groups
        from deriv_lecture.core.tasks.backprop_run import backprop as run

        reject_extra(ctx)
        source = expression_text(expr)
        problem = read_problem(source, var, at, parse_lets(let))
        groups = parse_groups(merge) if merge else None
        result = run(problem, groups)
        if save_plot is not None:
            from deriv_lecture.cli.figure import save_graph

            passes = result.numeric or result.symbolic
            values = result.numeric.values if result.numeric else None
            save_graph(result.graph, values, passes.gradients, save_plot)
        code = EXIT_FAILED if result.agrees is False else EXIT_OK
        if as_json:
            return code, json_out(jsonout.backprop_document(source, at, result))
        return code, report_out(views.backprop_report(result, problem.notes), plain, color)

    finish(job, as_json)


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def grad(
    ctx: typer.Context,
    expr: Annotated[str, typer.Argument(metavar="EXPR", help='The function, e.g. "x^2 y".')],
    at: PointOption = None,
    wrt: WrtOption = None,
    direction: Annotated[
        str | None,
        typer.Option("--dir", metavar="V", help="A direction, e.g. 2,5: D_u f for u = V/|V|."),
    ] = None,
    let: LetOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
    plot: PlotOption = None,
    save_plot: SavePlotOption = None,
) -> None:
    """The gradient ∇f, one partial derivative per variable; with --at, its value, |∇f|,
    the direction of steepest ascent and the tangent plane; with --dir, the directional
    derivative. For two variables, a contour map with ∇f and the --dir line."""

    def job() -> Outcome:
        from deriv_lecture.cli.several import gradient_document, gradient_report
        from deriv_lecture.core.problem import read_several
        from deriv_lecture.core.referee.crosscheck import combined_verdict
        from deriv_lecture.core.syntax.lists import parse_vector
        from deriv_lecture.core.tasks.partials import gradient

        reject_extra(ctx)
        if save_plot is not None:
            check_output_path(save_plot, "--save-plot")
        source = expression_text(expr)
        problem = read_several(source, wrt, None, at, parse_lets(let), every_symbol=True)
        if (plot or save_plot is not None) and (at is None or len(problem.variables) != 2):
            raise UsageError("--plot and --save-plot draw a contour map: two variables and --at")
        if len(set(problem.variables)) != len(problem.variables):
            raise UsageError("--wrt for a gradient names each variable once")
        vector = parse_vector(direction, "--dir") if direction is not None else None
        if vector is not None and len(vector) != len(problem.variables):
            names = ", ".join(problem.variables)
            raise UsageError(
                f"--dir has {len(vector)} entries; it needs one per variable ({names})"
            )
        result = gradient(problem, vector, key_forms=True)
        verdict = combined_verdict(problem.variables, result.components)
        code = EXIT_FAILED if verdict.agrees is False else EXIT_OK
        draw = not as_json and plot is not False and (plot or rich_output(plain, color))
        picture = None
        if result.at and len(problem.variables) == 2 and (draw or save_plot):
            from deriv_lecture.cli.several import contour_section
            from deriv_lecture.core.tasks.partials import contour_map

            picture = contour_section(contour_map(result), result)
        if save_plot and picture is not None:
            from deriv_lecture.cli.figure import save_figure

            save_figure(picture, save_plot)
        if as_json:
            return code, json_out(gradient_document(source, result, verdict))
        report = gradient_report(result, verdict, picture if draw else None)
        return code, report_out(report, plain, color)

    finish(job, as_json)


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def jacobian(
    ctx: typer.Context,
    expr: Annotated[
        str,
        typer.Argument(
            metavar="EXPR", help='A vector function, e.g. "[r cos(theta), r sin(theta)]".'
        ),
    ],
    wrt: Annotated[
        str | None,
        typer.Option("--wrt", metavar="NAMES", help="The inputs, in order: --wrt r,theta."),
    ] = None,
    at: PointOption = None,
    layout: Annotated[
        str,
        typer.Option(
            "--layout",
            metavar="numerator|denominator",
            help="numerator: rows are outputs (SymPy, JAX, PyTorch); denominator: the transpose.",
        ),
    ] = "numerator",
    vjp: Annotated[
        str | None, typer.Option("--vjp", metavar="V", help="Vᵀ J, as a backward pass computes it.")
    ] = None,
    jvp: Annotated[
        str | None, typer.Option("--jvp", metavar="V", help="J V, as a forward pass computes it.")
    ] = None,
    steps: Annotated[
        bool, typer.Option("--steps", help="Each entry's steps, rule by rule.")
    ] = False,
    sub: Annotated[
        str | None,
        typer.Option(
            "--sub",
            metavar="u=EXPR,...",
            help='The chain rule: each input as a formula, --sub u="s t^2",v="s^2 t".',
        ),
    ] = None,
    let: LetOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
) -> None:
    """The Jacobian matrix ∂Fi/∂xj of a vector function: shape and layout, the
    determinant where it is square; with --at, values, estimates, det and inverse; with
    --vjp/--jvp, the products a backward or forward pass computes; with --sub, the chain
    rule as the product J_F(g(a)) · J_g(a)."""

    def job() -> Outcome:
        from deriv_lecture.cli.matrices import jacobian_document, jacobian_report
        from deriv_lecture.core.problem import read_vector
        from deriv_lecture.core.referee.matrices import sympy_matrix_verdict
        from deriv_lecture.core.syntax.lists import parse_vector
        from deriv_lecture.core.tasks.jacobian import jacobian as compute
        from deriv_lecture.core.tasks.jacobian import product

        reject_extra(ctx)
        if layout not in ("numerator", "denominator"):
            raise UsageError(f"--layout is numerator or denominator, not '{layout}'")
        source = expression_text(expr)
        if sub is not None:
            if vjp or jvp or layout != "numerator":
                raise UsageError("--sub shows the chain rule; --vjp, --jvp and --layout apart")
            return chain_job(source, wrt, at, sub, let, as_json, plain, color)
        problem = read_vector(source, wrt, at, parse_lets(let))
        vectors = [(k, parse_vector(v, f"--{k}")) for k, v in (("vjp", vjp), ("jvp", jvp))
                   if v is not None]  # fmt: skip
        result = compute(problem)
        products = tuple(product(result, kind, vector) for kind, vector in vectors)
        verdict = sympy_matrix_verdict(problem.expressions, problem.variables, result.entries)
        code = EXIT_FAILED if verdict.agrees is False else EXIT_OK
        if as_json:
            return code, json_out(jacobian_document(source, result, verdict, layout, products))
        report = jacobian_report(result, verdict, layout, products, steps)
        return code, report_out(report, plain, color)

    finish(job, as_json)


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def hessian(
    ctx: typer.Context,
    expr: Annotated[str, typer.Argument(metavar="EXPR", help='The function, e.g. "x^3 - 3x y^2".')],
    wrt: WrtOption = None,
    at: PointOption = None,
    critical: Annotated[
        bool,
        typer.Option("--critical", help="Solve ∇f = 0 and classify every critical point."),
    ] = False,
    let: LetOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
) -> None:
    """The Hessian matrix of second partials, its symmetry checked; with --at, values,
    determinant, eigenvalues and the second-derivative test; with --critical, every
    critical point classified."""

    def job() -> Outcome:
        from deriv_lecture.cli.matrices import hessian_document, hessian_report
        from deriv_lecture.core.problem import read_several
        from deriv_lecture.core.referee.matrices import sympy_matrix_verdict
        from deriv_lecture.core.tasks.hessian import hessian as compute

        reject_extra(ctx)
        source = expression_text(expr)
        problem = read_several(source, wrt, None, at, parse_lets(let), every_symbol=True)
        if len(set(problem.variables)) != len(problem.variables):
            raise UsageError("--wrt for a Hessian names each variable once")
        result = compute(problem, critical)
        gradient = tuple(g.derivative for g in result.gradient)
        verdict = sympy_matrix_verdict(gradient, problem.variables, result.entries)
        code = EXIT_FAILED if verdict.agrees is False else EXIT_OK
        if as_json:
            return code, json_out(hessian_document(source, result, verdict))
        return code, report_out(hessian_report(result, verdict), plain, color)

    finish(job, as_json)


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def implicit(
    ctx: typer.Context,
    equation: Annotated[
        str, typer.Argument(metavar="EQUATION", help='A curve, e.g. "x^2 + y^2 = 25".')
    ],
    dep: Annotated[
        str | None, typer.Option("--dep", metavar="NAME", help="The dependent variable (y).")
    ] = None,
    var: VarOption = None,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="POINT", help="A point of the curve: x=3,y=4."),
    ] = None,
    order: Annotated[
        int, typer.Option("--order", metavar="N", help="1 (dy/dx) or 2 (also d²y/dx²).")
    ] = 1,
    answer: Annotated[
        str | None,
        typer.Option("--answer", metavar="A", help="A proposed dy/dx, judged on the curve."),
    ] = None,
    let: LetOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
    plot: PlotOption = None,
    save_plot: SavePlotOption = None,
) -> None:
    """dy/dx on a curve LHS = RHS, with steps both ways (each side by d/dx, and −F_x/F_y);
    with --order 2, d²y/dx²; with --at, the point checked on the curve, the slope, the
    tangent and normal, and the slope measured from the curve; --answer judged at points
    of the curve."""

    def job() -> Outcome:
        from deriv_lecture.cli.implicit import curve_section, implicit_document, implicit_report
        from deriv_lecture.core.referee.curves import sympy_idiff
        from deriv_lecture.core.referee.equivalence import compare_several
        from deriv_lecture.core.syntax.lists import parse_point
        from deriv_lecture.core.syntax.parser import parse_expr
        from deriv_lecture.core.tasks.implicit import (
            at_point,
            check_on_curve,
            differentiate_implicitly,
            read_equation,
        )

        reject_extra(ctx)
        if order not in (1, 2):
            raise UsageError("--order for a curve is 1 or 2")
        if save_plot is not None:
            check_output_path(save_plot, "--save-plot")
        source = expression_text(equation)
        eq = read_equation(source, dep, var, parse_lets(let))
        if (plot or save_plot) and at is None:
            raise UsageError("--plot and --save-plot draw the curve near a point: give --at")
        result = differentiate_implicitly(eq, order)
        theirs = sympy_idiff(eq.function, eq.dep, eq.indep, 1)
        given = eq.lets.floats()
        agrees = None if theirs is None else compare_several(
            result.derivative, theirs, (eq.indep, eq.dep), given).equal  # fmt: skip
        if result.second is not None and agrees is not False:  # y'' too: idiff(F, y, x, 2)
            second = sympy_idiff(eq.function, eq.dep, eq.indep, 2)
            same = None if second is None else compare_several(
                result.second, second, (eq.indep, eq.dep), given).equal  # fmt: skip
            agrees = same if same is not True else agrees
        point = None
        if at is not None:
            values = parse_point(at, "--at")
            if not isinstance(values, dict) or set(values) != {eq.indep, eq.dep}:
                raise UsageError(f"--at gives the point on the curve: {eq.indep}=...,{eq.dep}=...")
            point = at_point(result, values[eq.indep], values[eq.dep])
        check = None
        if answer is not None:
            from deriv_lecture.core.numeric.evaluate import evaluate

            around = None if point is None else (evaluate(point.a, given), evaluate(point.b, given))
            check = check_on_curve(result, parse_expr(answer), around)
        draw = not as_json and plot is not False and (plot or rich_output(plain, color))
        picture = None
        if point is not None and (draw or save_plot):
            picture = curve_section(_curve_map(result, point), result, point)
        if save_plot and picture is not None:
            from deriv_lecture.cli.figure import save_figure

            save_figure(picture, save_plot)
        code = (
            EXIT_FAILED
            if agrees is False or (check is not None and check.correct is False)
            else EXIT_OK
        )
        if as_json:
            return code, json_out(implicit_document(source, result, agrees, point, check))
        report = implicit_report(result, agrees, point, check, picture if draw else None)
        return code, report_out(report, plain, color)

    finish(job, as_json)


def _curve_map(result: Any, point: Any) -> Any:
    """The curve F = 0 near the point, with its tangent line (vertical where it is)."""
    import math

    from deriv_lecture.core.numeric.contours import contour_data
    from deriv_lecture.core.numeric.evaluate import evaluate

    eq = result.equation
    given = eq.lets.floats()
    a, b = evaluate(point.a, given), evaluate(point.b, given)
    unit = None
    if point.kind == "vertical tangent":
        unit = (0.0, 1.0)
    elif point.slope_value is not None:
        norm = math.hypot(1.0, point.slope_value)
        unit = (1.0 / norm, point.slope_value / norm)
    return contour_data(eq.function, (eq.indep, eq.dep), (a, b), given, None, unit,
                        only_through_point=True)  # fmt: skip


@app.command("check-all", cls=ExpressionCommand)
def check_all(
    catalog: Annotated[
        str | None,
        typer.Option(
            "--catalog",
            metavar="FILE.toml",
            help="A TOML catalog of cases (default: the lecture's).",
        ),
    ] = None,
    as_json: JsonOption = False,
    junit: Annotated[
        str | None,
        typer.Option("--junit", metavar="FILE.xml", help="Also write JUnit XML to this file."),
    ] = None,
    plain: PlainOption = False,
    color: ColorOption = "auto",
) -> None:
    """Every case differentiated by deriv's rules and checked three ways: against the
    expected answer, against SymPy, and against the numeric limit. Exit 1 if any fails."""

    def job() -> Outcome:
        import time

        from deriv_lecture.cli import jsonout, views
        from deriv_lecture.cli.junit import write_junit
        from deriv_lecture.core.tasks.catalog import builtin_catalog, load_catalog
        from deriv_lecture.core.tasks.check import CaseResult, check_cases

        if junit is not None:
            check_output_path(junit, "--junit", catalog)
        results: list[CaseResult] = []
        seconds: list[float] = []
        total = 0
        try:
            cases = load_catalog(catalog) if catalog is not None else builtin_catalog()
            total = len(cases)
            start = time.perf_counter()
            for result in progress(check_cases(cases), total, as_json or plain, "checking"):
                results.append(result)
                seconds.append(time.perf_counter() - start)
                start = time.perf_counter()
        except KeyboardInterrupt:
            why = f"interrupted after {len(results)} of {total} cases"
            if junit is not None:
                write_junit(junit, results, seconds, aborted=why)
            raise Interrupted(why) from None
        except BaseException as error:  # a malformed catalog, or worse: the report says so
            if junit is not None:
                write_junit(junit, results, seconds, aborted=_aborted(error))
            raise
        if junit is not None:
            write_junit(junit, results, seconds)
        if any(r.bad_input for r in results):
            code = EXIT_BAD_INPUT
        else:
            code = EXIT_OK if all(r.ok for r in results) else EXIT_FAILED
        if as_json:
            return code, json_out(jsonout.catalog_document(results))
        return code, report_out(
            views.catalog_report(results, catalog or "the lecture"), plain, color
        )

    finish(job, as_json, budget_seconds=None)  # each case has its own budget


@app.command(context_settings=EXPRESSION_COMMAND, cls=ExpressionCommand)
def check(
    ctx: typer.Context,
    expr: Annotated[str, typer.Argument(metavar="EXPR", help='The function, e.g. "cos(x^3)".')],
    answer: Annotated[
        str,
        typer.Option(
            "--answer", metavar="ANSWER", help='The proposed derivative, e.g. "-3x^2 sin(x^3)".'
        ),
    ],
    var: VarOption = None,
    wrt: WrtOption = None,
    let: LetOption = None,
    as_json: JsonOption = False,
    plain: PlainOption = False,
    color: ColorOption = "auto",
) -> None:
    """Is ANSWER the derivative of EXPR? Exit 0 if it is, 1 if not (with a point where
    the two differ). With --wrt x,y, ANSWER is a gradient [G1, G2], judged component by
    component."""

    def job() -> Outcome:
        from deriv_lecture.cli import jsonout, views
        from deriv_lecture.core.numeric.evaluate import evaluate
        from deriv_lecture.core.problem import read_point
        from deriv_lecture.core.syntax.parser import parse_expr
        from deriv_lecture.core.tasks.answer import check_answer

        reject_extra(ctx)
        source = expression_text(expr)
        if answer.strip().startswith("[["):  # a matrix: a Jacobian or a Hessian
            return matrix_check_job(source, answer, wrt, let, as_json, plain, color)
        if wrt is not None and ("," in wrt or answer.strip().startswith("[")):
            return gradient_check_job(source, answer, wrt, var, let, as_json, plain, color)
        function = parse_expr(source)
        proposed = read_point(answer, "--answer")
        given = {name: evaluate(value, {}) for name, value in parse_lets(let).items()}
        result = check_answer(function, proposed, wrt or var, given)
        code = EXIT_OK if result.correct else EXIT_FAILED
        if as_json:
            return code, json_out(jsonout.answer_document(source, answer, result))
        return code, report_out(views.check_report(result), plain, color)

    finish(job, as_json)


def chain_job(
    source: str, wrt: str | None, at: str | None, sub: str, let: list[str] | None,
    as_json: bool, plain: bool, color: str,
) -> Outcome:  # fmt: skip
    """deriv jacobian "[F1, ...]" --wrt u,v --sub u=...,v=... [--at s=1,t=2]."""
    from dataclasses import replace

    from deriv_lecture.cli.matrices import chain_document, chain_report
    from deriv_lecture.core.problem import Point, read_vector
    from deriv_lecture.core.syntax.lists import parse_point
    from deriv_lecture.core.tasks.chain import chain

    problem = read_vector(source, wrt, None, parse_lets(let))
    inner = parse_point(sub, "--sub", formulas=True)
    if not isinstance(inner, dict):
        raise UsageError('--sub wants NAME=FORMULA pairs, like --sub u="s t^2",v="s^2 t"')
    if at is not None:
        given = parse_point(at, "--at")
        if not isinstance(given, dict):
            raise UsageError("--at with --sub gives g's variables values, like --at s=1,t=2")
        problem = replace(problem, point=Point.of(given))
    result = chain(problem, inner)
    code = EXIT_FAILED if result.agrees is False else EXIT_OK
    if as_json:
        return code, json_out(chain_document(source, sub, result))
    return code, report_out(chain_report(result), plain, color)


def network_job(
    expr: str, wrt: str | None, var: str | None, at: str | None, let: list[str] | None,
    merge: str | None, as_json: bool, plain: bool, color: str, ctx: typer.Context,
    save_plot: str | None = None,
) -> Outcome:  # fmt: skip
    """deriv backprop EXPR --at w0=2,x0=-1,... (or --wrt w0,x0): every input's gradient."""
    from deriv_lecture.cli.network import network_document, network_report
    from deriv_lecture.core.problem import read_several
    from deriv_lecture.core.tasks.backprop import parse_groups
    from deriv_lecture.core.tasks.network import network

    reject_extra(ctx)
    source = expression_text(expr)
    lets = parse_lets(let)
    if wrt is None and at is not None:  # every symbol given a value is an input
        from deriv_lecture.core.syntax.lists import parse_point

        given = parse_point(at, "--at")
        wrt = ",".join(given) if isinstance(given, dict) else None
    problem = read_several(source, wrt, var, at, lets, every_symbol=wrt is None)
    if len(set(problem.variables)) != len(problem.variables):
        raise UsageError("--wrt for backprop names each input once")
    groups = parse_groups(merge) if merge else None
    result = network(problem, groups)
    if save_plot is not None:
        from deriv_lecture.cli.figure import save_graph

        passes = result.passes
        values = result.numeric.values if result.numeric else None
        save_graph(result.graph, values, passes.gradients, save_plot)
    code = EXIT_FAILED if result.agrees is False or result.verdict.agrees is False else EXIT_OK
    if as_json:
        return code, json_out(network_document(source, result))
    return code, report_out(network_report(result), plain, color)


def matrix_check_job(
    source: str, answer: str, wrt: str | None, let: list[str] | None,
    as_json: bool, plain: bool, color: str,
) -> Outcome:  # fmt: skip
    """deriv check "[F1, F2]" --answer "[[...], [...]]" (a Jacobian), or a scalar f with a
    matrix answer (its Hessian)."""
    from deriv_lecture.cli.matrices import matrix_check_document, matrix_check_report
    from deriv_lecture.core.calculus.derive import derive
    from deriv_lecture.core.problem import read_vector
    from deriv_lecture.core.syntax.lists import parse_matrix
    from deriv_lecture.core.tasks.answer import check_matrix

    problem = read_vector(source, wrt, None, parse_lets(let))
    rows = parse_matrix(answer, "--answer")
    given = problem.lets.floats()
    if len(problem.expressions) == 1:  # f itself: the answer is its Hessian
        gradient = tuple(derive(problem.expr, v).derivative for v in problem.variables)
        result = check_matrix(gradient, rows, problem.variables, given, "hessian")
    else:
        result = check_matrix(problem.expressions, rows, problem.variables, given, "jacobian")
    code = EXIT_OK if result.correct else EXIT_FAILED
    if as_json:
        return code, json_out(matrix_check_document(source, answer, result))
    return code, report_out(matrix_check_report(result), plain, color)


def gradient_check_job(
    source: str, answer: str, wrt: str, var: str | None, let: list[str] | None,
    as_json: bool, plain: bool, color: str,
) -> Outcome:  # fmt: skip
    """deriv check EXPR --wrt x,y --answer "[G1, G2]"."""
    from deriv_lecture.cli.several import gradient_check_document, gradient_check_report
    from deriv_lecture.core.problem import read_several
    from deriv_lecture.core.syntax.lists import parse_vector
    from deriv_lecture.core.tasks.answer import check_gradient

    problem = read_several(source, wrt, var, None, parse_lets(let))
    answers = parse_vector(answer, "--answer", len(problem.variables))
    given = problem.lets.floats()
    result = check_gradient(problem.expr, answers, problem.variables, given)
    code = EXIT_OK if result.correct else EXIT_FAILED
    if as_json:
        return code, json_out(gradient_check_document(source, answer, result))
    return code, report_out(gradient_check_report(result), plain, color)


def partial_job(
    source: str, wrt: str | None, var: str | None, order: int | None, at: str | None,
    let: list[str] | None, as_json: bool, plain: bool, color: str,
) -> Outcome:  # fmt: skip
    """deriv EXPR --wrt x,y / --order N / --at x=1,y=2: partial, higher and mixed orders."""
    from deriv_lecture.cli.several import partial_document, partial_report
    from deriv_lecture.core.problem import Problem, read_several
    from deriv_lecture.core.referee.crosscheck import combined_verdict
    from deriv_lecture.core.tasks.partials import partial_derivative

    problem = read_several(source, wrt, var, at, parse_lets(let))
    if order is not None:
        if order < 1 or order > MAX_ORDER:
            raise UsageError(f"--order must be a whole number from 1 to {MAX_ORDER}")
        if len(problem.variables) != 1:
            raise UsageError("--order N repeats one variable: use it with one --wrt name")
        problem = Problem(problem.expressions, problem.variables * order, problem.point,
                          problem.lets, problem.notes)  # fmt: skip
    result = partial_derivative(problem, key_forms=True)
    verdict = combined_verdict(problem.variables, result.orders)
    code = EXIT_FAILED if verdict.agrees is False else EXIT_OK
    if as_json:
        return code, json_out(partial_document(source, at, result, verdict))
    return code, report_out(partial_report(result, verdict), plain, color)


MAX_ORDER = 12  # f⁽¹²⁾ of a small function is already pages long


def expression_text(expr: str) -> str:
    """EXPR as given, or with `-` the expression read from standard input
    (`echo "x^2" | deriv - --at 2`)."""
    if expr != "-":
        return expr
    from deriv_lecture.core.syntax.lexer import MAX_INPUT_LENGTH

    text = sys.stdin.read(MAX_INPUT_LENGTH + 1)
    if len(text) > MAX_INPUT_LENGTH:
        from deriv_lecture.core.errors import LimitError

        raise LimitError(f"the expression on standard input is longer than {MAX_INPUT_LENGTH:,}")
    return text.strip()


def reject_extra(ctx: typer.Context) -> None:
    """Arguments left over after the expression: an unknown option, named with the closest
    real one, or words of an expression that was not quoted. An unknown option written
    first takes the expression's place (`deriv --jsn "x^2"`): it is named, not the
    expression after it."""
    expr = str(ctx.params.get("expr", ""))
    candidates = [*([expr] if expr.startswith("--") and len(expr) > 2 else []), *ctx.args]
    if not candidates:
        return
    options = [o for p in ctx.command.params for o in p.opts if o.startswith("-")]
    unknown = next(
        (
            a
            for a in candidates
            if (a.startswith("--") or a[1:].isalpha()) and a.split("=", 1)[0] not in options
        ),
        None,
    )
    if unknown is not None:
        name = unknown.split("=", 1)[0]
        close = mistyped_option(name, options)
        hint = f"; did you mean '{close}'?" if close else ""
        raise UsageError(f"no such option '{name}'{hint}")
    extra = " ".join(ctx.args)
    raise UsageError(f"unexpected extra argument(s) '{extra}'; quote an expression with spaces")


def progress(items: Iterator[Any], total: int, quiet: bool, description: str) -> Any:
    """A progress bar on a terminal for long runs; nothing when piped or quiet."""
    if quiet or total < 20 or not sys.stdout.isatty():
        return items
    from deriv_lecture.cli.render import track

    return track(items, total, description)


def check_output_path(path: str, option: str, protected: str | None = None) -> None:
    """An output file must be named, and must not be the input it reports on."""
    if not path:
        raise UsageError(f"{option} needs a file name (it was empty)")
    if protected and os.path.exists(path) and os.path.exists(protected):
        if os.path.samefile(path, protected):
            raise UsageError(f"{option} {path} is the catalog itself: it would be overwritten")


def parse_lets(values: list[str] | None) -> dict[str, Any]:
    from deriv_lecture.core.syntax.parser import parse_assignment

    lets: dict[str, Any] = {}
    for text in values or []:
        name, value = parse_assignment(text)
        if name in lets:
            raise UsageError(f"--let {name}=... is given twice; give each parameter once")
        lets[name] = value
    return lets


def analyze_point(problem: Any, derivation: Any, to: str | None, limits: bool = True) -> Any:
    """Everything at the problem's point, or None when it has none."""
    if problem.point is None:
        return None
    from deriv_lecture.core.numeric.point import analyze
    from deriv_lecture.core.problem import read_point

    end = read_point(to, "--to") if to is not None else None
    return analyze(
        problem, derivation.derivative, end, with_limits=limits,
        rules_derivative=derivation.steps.result,
    )  # fmt: skip


# A command computes everything first and returns its exit code with the writing still to
# do: a reader that leaves early (`| head -1`) then cannot change the exit code.
Outcome = tuple[int, Callable[[], None]]


def text_out(text: str) -> Callable[[], None]:
    def write() -> None:
        from deriv_lecture.cli.errors import printable

        sys.stdout.write(printable(text) + "\n")

    return write


def json_out(document: dict[str, Any]) -> Callable[[], None]:
    from deriv_lecture.cli.jsonout import write_json

    return lambda: write_json(document, sys.stdout)


def report_out(report: Report, plain: bool, color: str) -> Callable[[], None]:
    rich, colour = rich_output(plain, color), color_wanted(color)  # bad --color: exit 2 now

    def write() -> None:
        if rich:
            from deriv_lecture.cli.render import write_rich

            write_rich(report, sys.stdout, color=colour)
        else:
            from deriv_lecture.cli.plain import write_plain

            write_plain(report, sys.stdout)

    return write


COLORS = ("auto", "always", "never")


def color_wanted(color: str) -> bool | None:
    """--color always: True; never: False; auto: None (a terminal decides, NO_COLOR and
    FORCE_COLOR are honoured)."""
    if color not in COLORS:
        raise UsageError(f"--color takes auto, always or never, not '{color}'")
    if color == "auto" and os.environ.get("FORCE_COLOR"):
        return True
    return None if color == "auto" else color == "always"


def rich_output(plain: bool, color: str) -> bool:
    """Tables (and colour) on a terminal, or when colour is asked for even when piped;
    plain text for pipes and --plain."""
    if plain:
        return False
    return color_wanted(color) is True or sys.stdout.isatty()


def _aborted(error: BaseException) -> str:
    if isinstance(error, DerivError):
        return error.message
    return f"internal error ({type(error).__name__}): {error}"


SYMPY_BUDGET = 2.5  # seconds of SymPy work per command (per case in check-all)


def finish(
    job: Callable[[], Outcome], as_json: bool, budget_seconds: float | None = SYMPY_BUDGET
) -> None:
    """Run a command's work, then write its output; map errors to the exit codes of
    docs/commands.md. Never a traceback: not for bad input, Ctrl-C, or a closed stdout."""
    from deriv_lecture.cli.process import interrupted, output_failed
    from deriv_lecture.core.referee.timebox import budget, sympy_budget

    try:
        if budget_seconds is None:
            code, write = job()
        else:
            with budget(sympy_budget(budget_seconds)):
                code, write = job()
    except Interrupted as error:
        code = exit_code(error)
        report_error(error, as_json)
        raise typer.Exit(code) from None
    except KeyboardInterrupt:
        raise typer.Exit(interrupted()) from None
    except DerivError as error:
        code = exit_code(error)
        report_error(error, as_json)
        raise typer.Exit(code) from None
    except RecursionError:
        report_error(InputError("the expression is too deeply nested to handle"), as_json)
        raise typer.Exit(EXIT_BAD_INPUT) from None
    except typer.Exit:
        raise
    except Exception as error:  # last resort: a message, never a traceback
        internal = DerivError(f"internal error ({type(error).__name__}): {error}")
        report_error(internal, as_json)
        raise typer.Exit(EXIT_FAILED) from None
    try:
        write()
        sys.stdout.flush()
    except KeyboardInterrupt:
        raise typer.Exit(interrupted()) from None
    except OSError as error:  # a reader that left keeps the code; a full disk is exit 1
        failed = output_failed(error)
        code = code if failed < 0 else failed
    except Exception as error:  # last resort: a message, never a traceback
        code = _last_resort(error, as_json)
    raise typer.Exit(code)


@functools.cache
def command() -> Any:
    """The Click command Typer builds from the app, once per process: building it reads
    every command's signature (a few milliseconds, paid per call by `app(...)`; the
    in-process tests run thousands of commands)."""
    return typer.main.get_command(app)


def main() -> None:
    """The Typer app, with the program's own one-line errors: a usage error found by the
    option parser reads like every other error (and is JSON too with --json), never
    Click's three lines naming the hidden `deriv diff`."""
    from deriv_lecture.cli.process import end, guard_streams, interrupted, output_failed

    guard_streams()
    as_json = "--json" in sys.argv[1:]
    try:
        result = command()(prog_name="deriv", standalone_mode=False)
        code = result if isinstance(result, int) else EXIT_OK
    except typer.Exit as done:
        code = done.exit_code
    except (typer.Abort, KeyboardInterrupt):
        code = interrupted()
    except OSError as error:  # --help or --version into a closed or full stdout
        failed = output_failed(error)
        code = EXIT_OK if failed < 0 else failed
    except Exception as error:  # Click's usage errors (vendored by Typer): same shape
        message = getattr(error, "format_message", None)
        if message is None or not hasattr(error, "exit_code"):
            end(_last_resort(error, as_json))
        if type(error).__name__ == "NoArgsIsHelpError":  # `deriv` alone: the help, exit 2
            sys.stderr.write(message().replace("\b\n", "").replace("\b", "") + "\n")
        else:
            report_error(UsageError(message()), as_json)
        code = EXIT_BAD_INPUT
    end(code)


def _last_resort(error: Exception, as_json: bool) -> int:
    report_error(DerivError(f"internal error ({type(error).__name__}): {error}"), as_json)
    return EXIT_FAILED
