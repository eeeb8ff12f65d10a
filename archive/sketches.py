"""datasketch's MinHash and LSH, imported without scipy until scipy is needed.

`import datasketch` takes about 0.63 s here, 0.53 s of it in `scipy.integrate`, which
datasketch uses for one thing: integrating false-hit and miss rates to size an LSH
index from a threshold. Every build, warm ones included, paid that import; an
unchanged 2.2k archive rebuilds in about a second. While datasketch is imported,
`scipy.integrate` is a stand-in whose `quad` imports the real module on first call,
and the stand-in leaves `sys.modules` right after, so nothing else ever sees it.
`DuplicateFilter` then keeps the LSH's (bands, rows) in the build memo, so only a
build without one integrates at all.
"""

from __future__ import annotations

import sys
import types
from typing import TYPE_CHECKING, Any

_INTEGRATE = "scipy.integrate"


def _quad_on_first_call(*args: Any, **kwargs: Any) -> Any:
    from scipy.integrate import quad

    return quad(*args, **kwargs)


def _import_datasketch() -> Any:
    if _INTEGRATE in sys.modules:
        import datasketch

        return datasketch
    stand_in = types.ModuleType(_INTEGRATE)
    stand_in.quad = _quad_on_first_call  # type: ignore[attr-defined]
    sys.modules[_INTEGRATE] = stand_in
    try:
        import datasketch
    finally:
        if sys.modules.get(_INTEGRATE) is stand_in:
            del sys.modules[_INTEGRATE]
    return datasketch


_datasketch = _import_datasketch()
DATASKETCH_VERSION: str = getattr(_datasketch, "__version__", "unknown")
if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash, MinHashLSH
else:
    LeanMinHash, MinHash, MinHashLSH = (
        _datasketch.LeanMinHash,
        _datasketch.MinHash,
        _datasketch.MinHashLSH,
    )

__all__ = ["DATASKETCH_VERSION", "LeanMinHash", "MinHash", "MinHashLSH"]
