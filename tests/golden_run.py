"""A fixed set of 100 commands and their JSON, recorded before the core was reshaped
(issue 16) and compared after every change: the redesign may not change what deriv says.

SymPy gets no time (DERIV_SYMPY_BUDGET=0), so the outputs are the engine's own and do not
depend on the machine's speed. `python -m tests.golden_run --write` records them anew,
which is only right when an output is meant to change (and the commit says why).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "golden"
COMMANDS = HERE / "commands.json"
OUTPUTS = HERE / "outputs.json"


def run_all() -> list[dict[str, Any]]:
    from tests.cli.inprocess import deriv

    os.environ["DERIV_SYMPY_BUDGET"] = "0"
    results = []
    for args in json.loads(COMMANDS.read_text(encoding="utf-8")):
        result = deriv(*args)
        document = json.loads(result.stdout) if result.stdout.strip() else None
        results.append({"args": args, "exit": result.exit_code, "json": document})
    return results


def main() -> None:
    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python -m tests.golden_run --write")
    OUTPUTS.write_text(
        json.dumps(run_all(), indent=1, ensure_ascii=False, sort_keys=True) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {OUTPUTS}")


if __name__ == "__main__":
    main()
