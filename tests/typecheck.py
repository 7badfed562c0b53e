"""mypy on the package as it is installed: cli/ and core/ staged inside deriv_lecture/ in a
temporary folder (in the checkout they sit beside it, which mypy cannot follow).
`python -m tests.typecheck` runs it; tests/test_code_quality.py and `make typecheck` do."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def stage(folder: Path) -> Path:
    package = folder / "deriv_lecture"
    package.mkdir()
    for item in (ROOT / "deriv_lecture").iterdir():
        if item.is_file():
            shutil.copy2(item, package / item.name)
    for part in ("cli", "core"):
        shutil.copytree(ROOT / part, package / part, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def typecheck() -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory() as folder:
        stage(Path(folder))
        return subprocess.run(
            [sys.executable, "-m", "mypy", "-p", "deriv_lecture",
             "--config-file", str(ROOT / "pyproject.toml"),
             "--cache-dir", str(ROOT / ".mypy_cache")],
            cwd=folder, capture_output=True, text=True, timeout=600,
        )  # fmt: skip


if __name__ == "__main__":
    result = typecheck()
    sys.stdout.write(result.stdout + result.stderr)
    sys.exit(result.returncode)
