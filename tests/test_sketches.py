"""datasketch without scipy at import, and an LSH sized exactly as datasketch sizes it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from archive import dedupe, sketches
from archive.cache import ExtractionCache

ROOT = Path(__file__).resolve().parents[1]


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return done.stdout.strip()


def test_importing_dedupe_leaves_scipy_integrate_unimported() -> None:
    code = "import sys, archive.dedupe; print('scipy.integrate' in sys.modules)"
    assert run(code) == "False"


def test_scipy_integrate_is_the_real_module_when_someone_imports_it() -> None:
    code = (
        "import archive.dedupe, scipy.integrate, types;"
        "print(scipy.integrate.quad.__module__, hasattr(scipy.integrate, 'solve_ivp'))"
    )
    assert run(code) == "scipy.integrate._quadpack_py True"


def test_the_stand_in_quad_integrates_when_called() -> None:
    from archive.sketches import _quad_on_first_call

    value, _ = _quad_on_first_call(lambda x: x * x, 0.0, 3.0)
    assert value == pytest.approx(9.0)


@pytest.mark.parametrize(("threshold", "num_perm"), [(0.9, 64), (0.5, 128), (0.8, 32)])
def test_lsh_shape_from_the_memo_is_datasketchs(
    tmp_path: Path, threshold: float, num_perm: int
) -> None:
    from datasketch import MinHashLSH

    own = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(0.1, 0.9))
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        first = dedupe._lsh_shape(threshold, num_perm, cache)
        cache.flush()
        again = dedupe._lsh_shape(threshold, num_perm, cache)
    assert first == again == (own.b, own.r)
    assert dedupe._lsh_shape(threshold, num_perm, None) == (own.b, own.r)


def test_a_build_with_a_memo_never_integrates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ExtractionCache(tmp_path / "cache.sqlite") as cache:
        dedupe.DuplicateFilter(memo=cache)
        cache.flush()
        monkeypatch.setattr(dedupe, "MinHashLSH", _no_integration(sketches.MinHashLSH))
        shaped = dedupe.DuplicateFilter(memo=cache)
    assert (shaped._lsh.b, shaped._lsh.r) == (5, 12)


def _no_integration(real: type) -> type:
    class Checked(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, params: object = None, **kwargs: object) -> None:
            assert params is not None, "datasketch would integrate"
            super().__init__(*args, params=params, **kwargs)

    return Checked
