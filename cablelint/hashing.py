"""The hash functions cablelint uses, taken from CPython's own implementations.

``import hashlib`` loads OpenSSL's bindings (``_hashlib``), which costs a few milliseconds
on every start; a pre-commit hook linting one file pays it each time. CPython ships its own
SHA-1 and SHA-256 modules, which give the same digests: they are used when present,
``hashlib`` otherwise (a Python built without them).
"""

from __future__ import annotations

try:
    from _sha1 import sha1
except ImportError:  # pragma: no cover - a Python without its built-in SHA-1
    from hashlib import sha1
try:
    from _sha2 import sha256  # Python 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # Python 3.11
    except ImportError:  # pragma: no cover
        from hashlib import sha256

__all__ = ["sha1", "sha256"]
