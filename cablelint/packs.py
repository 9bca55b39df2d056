"""Find and load the YAML packs under ``rules/``: the knowledge that is data.

The packs ship inside the wheel as ``cablelint/rules_data`` (``rules/`` in a checkout).
Loading uses ``yaml.safe_load`` only and is cached: each pack is read once per process.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml


class PackError(Exception):
    """A pack is missing or malformed."""


@cache
def rules_dir() -> Path:
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules_data", here.parent / "rules"):
        if (candidate / "requirements.yaml").is_file():
            return candidate
    raise PackError("cannot find the rule packs (rules/ or cablelint/rules_data/)")


@cache
def load_pack(name: str) -> Any:
    """Load ``rules/<name>.yaml`` (``name`` may contain ``/``)."""
    path = rules_dir() / f"{name}.yaml"
    return load_yaml(path)


def load_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except OSError as exc:
        raise PackError(f"{path}: cannot read: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise PackError(f"{path}: invalid YAML: {exc}") from exc
