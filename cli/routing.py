"""Routing the command line: a first argument that is not a command name is an
expression for the hidden default command (`deriv "x^2" --at 2`), an expression may
start with a minus sign, an unknown option is named with the closest real one, and usage
lines read as people type them (`deriv EXPR [OPTIONS]`, never the hidden `deriv diff`).
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand, TyperGroup

from deriv_lecture.cli.errors import DEFAULT_COMMAND, mistyped_command
from deriv_lecture.core.errors import UsageError

# Words that belong to deriv itself rather than to an expression.
ROOT_FLAGS = ("--help", "-h", "--version", "-V", "--install-completion", "--show-completion")


class RouteToDiff(TyperGroup):
    """A first argument that is not a sub-command is an expression for `diff`."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # a click Context
        if args and args[0] not in self.commands and args[0] not in ROOT_FLAGS:
            close = mistyped_command(args[0], self.list_commands(ctx))
            if close is not None:
                ctx.fail(f"no command '{args[0]}'; did you mean '{close}'?")
            args = [DEFAULT_COMMAND, *args]
        if args and args[0] in self.commands:
            try:
                args = [args[0], *_expression_last(self.commands[args[0]], args[1:])]
            except UsageError as error:
                ctx.fail(error.message)
        return super().parse_args(ctx, args)


def _expression_last(command: Any, args: list[str]) -> list[str]:
    """An expression with a leading minus ("-sinh(x)") moved behind "--", first of the
    positional arguments: click reads "-sinh" as the short flags -s -i -n -h, and -h is
    help (it printed the help page). Known options and their values stay in front."""
    options = [p for p in command.params if getattr(p, "param_type_name", "") == "option"]
    names = {name for p in options for name in (*p.opts, *p.secondary_opts)} | {"--help", "-h"}
    taking_value = {name for p in options if not p.is_flag for name in p.opts}
    known: list[str] = []
    others: list[str] = []  # other words and unknown options: reject_extra names them
    expression = None
    index = 0
    while index < len(args):
        token = args[index]
        if token == "--":
            others.extend(args[index + 1 :])
            break
        name = token.split("=", 1)[0]
        if name in names:
            known.append(token)
            if name in taking_value and "=" not in token:
                following = args[index + 1] if index + 1 < len(args) else None
                if following is None or following.split("=", 1)[0] in names:
                    raise UsageError(f"{name} needs a value")
                index += 1
                known.append(following)
        elif expression is None and not others and token.startswith("-") and token != "-":
            expression = token  # the first word, if it reads as a minus sign
        else:
            others.append(token)
        index += 1
    if expression is None:
        return args
    return [*known, "--", expression, *others]


class ExpressionCommand(TyperCommand):
    """A command whose usage line reads as typed: `deriv EXPR [OPTIONS]` for the default
    command, `deriv tangent EXPR [OPTIONS]` for the others (Typer would write
    `deriv diff [OPTIONS] {EXPR}`)."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = [p.replace("{", "").replace("}", "") for p in self.collect_usage_pieces(ctx)]
        options = [p for p in pieces if p == "[OPTIONS]"]
        rest = [p for p in pieces if p != "[OPTIONS]"]
        path = ctx.command_path.removesuffix(f" {DEFAULT_COMMAND}")
        formatter.write_usage(path, " ".join(rest + options))
