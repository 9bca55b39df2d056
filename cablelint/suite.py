"""The corpus data-quality suite (``cablelint suite``): the metadata table validated with
Great Expectations 1.x.

The suite is a YAML file (the default is ``rules/suite.yaml``): a ``name`` and a list of
``expectations``, each a Great Expectations expectation ``type`` in snake case with its
arguments (``column``, ``mostly``, ``value_set``, ``regex``, ``min_value`` ...). An unknown
type is an error that names it (Great Expectations itself would log and drop it).

Great Expectations is an optional extra (``pip install 'cablelint[suite]'``), imported only
here, with its usage statistics and progress bars turned off and an ephemeral context: nothing
is written except the Data Docs folder the user asks for, and nothing goes over the network.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .packs import load_yaml, pack_path

INSTALL_HINT = "the suite needs Great Expectations: pip install 'cablelint[suite]'"
#: Keys of an expectation entry that are not arguments of the expectation.
_META_KEYS = ("type", "notes", "meta")


class SuiteError(Exception):
    """A suite that cannot run: Great Expectations missing, or a bad suite file."""


@dataclass(frozen=True)
class ExpectationSpec:
    type: str
    kwargs: dict[str, Any]
    where: str  # "suite.yaml: expectation 3"


@dataclass(frozen=True)
class SuiteSpec:
    name: str
    expectations: tuple[ExpectationSpec, ...]
    path: Path


@dataclass(frozen=True)
class Outcome:
    """One expectation's result, in words."""

    type: str
    column: str
    success: bool
    observed: str


@dataclass
class SuiteResult:
    success: bool
    outcomes: list[Outcome] = field(default_factory=list)
    #: The validation result as Great Expectations writes it (``to_json_dict``).
    raw: dict[str, Any] = field(default_factory=dict)
    docs_index: Path | None = None


def default_suite() -> Path:
    return pack_path("suite")


def load_suite(path: Path | None = None) -> SuiteSpec:
    """Read and check the shape of a suite file; types are checked when the suite runs."""
    path = path or default_suite()
    try:
        data = load_yaml(path)
    except Exception as exc:  # noqa: BLE001 - any unreadable or invalid YAML is the user's
        raise SuiteError(f"{path}: cannot read the suite: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("expectations"), list):
        raise SuiteError(f"{path}: a suite is a mapping with a list 'expectations'")
    specs = []
    for index, entry in enumerate(data["expectations"], 1):
        where = f"{path.name}: expectation {index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("type"), str):
            raise SuiteError(f"{where}: each expectation is a mapping with a 'type'")
        kwargs = {k: v for k, v in entry.items() if k not in _META_KEYS}
        specs.append(ExpectationSpec(entry["type"], kwargs, where))
    return SuiteSpec(str(data.get("name") or path.stem), tuple(specs), path)


def _import_gx() -> Any:
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    try:
        import great_expectations as gx
    except ImportError as exc:
        from importlib.util import find_spec

        if sys.modules.get("great_expectations", 0) is None or find_spec(
                "great_expectations") is None:
            raise SuiteError(INSTALL_HINT) from None
        raise SuiteError(f"cannot import Great Expectations: {exc}") from None
    return gx


def _expectation_classes(gx: Any) -> dict[str, type]:
    import inspect

    base = gx.expectations.Expectation
    return {
        cls.expectation_type: cls
        for cls in vars(gx.expectations).values()
        if inspect.isclass(cls) and issubclass(cls, base) and cls is not base
        and isinstance(getattr(cls, "expectation_type", None), str)
    }


def _build(gx: Any, spec: SuiteSpec) -> list[Any]:
    classes = _expectation_classes(gx)
    built = []
    for item in spec.expectations:
        cls = classes.get(item.type)
        if cls is None:
            raise SuiteError(f"{item.where}: unknown expectation type '{item.type}'")
        try:
            built.append(cls(**item.kwargs))
        except Exception as exc:  # noqa: BLE001 - pydantic's errors name the bad argument
            first = str(exc).strip().splitlines()
            raise SuiteError(f"{item.where} ({item.type}): {' '.join(first[:3])}") from None
    return built


def _frame(rows: list[dict[str, Any]]) -> Any:
    import pandas as pd

    from .extract import NAMES

    frame = pd.DataFrame(rows, columns=list(NAMES))
    frame = frame.replace("", None)
    # Dates as date objects, so that min_value/max_value compare as dates.
    frame["date"] = [dt.date.fromisoformat(v) if isinstance(v, str) else None
                     for v in frame["date"]]
    return frame


def run_suite(rows: list[dict[str, Any]], spec: SuiteSpec, docs: Path | None = None) -> SuiteResult:
    gx = _import_gx()
    expectations = _build(gx, spec)
    from great_expectations.data_context.types.base import ProgressBarsConfig

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False,
                                                             metric_calculations=False)
        batch_definition = (context.data_sources.add_pandas("cablelint")
                            .add_dataframe_asset("cables")
                            .add_batch_definition_whole_dataframe("corpus"))
        suite = context.suites.add(gx.ExpectationSuite(name=spec.name))
        for expectation in expectations:
            suite.add_expectation(expectation)
        validation = context.validation_definitions.add(
            gx.ValidationDefinition(name=spec.name, data=batch_definition, suite=suite))
        actions = []
        if docs is not None:
            context.add_data_docs_site(site_name="cablelint", site_config={
                "class_name": "SiteBuilder",
                "store_backend": {"class_name": "TupleFilesystemStoreBackend",
                                  "base_directory": str(docs.resolve())},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            })
            actions.append(gx.checkpoint.UpdateDataDocsAction(name="data-docs"))
        checkpoint = context.checkpoints.add(gx.Checkpoint(
            name=spec.name, validation_definitions=[validation], actions=actions))
        run = checkpoint.run(batch_parameters={"dataframe": _frame(rows)})
    (validated,) = run.run_results.values()
    result = SuiteResult(bool(validated.success), raw=validated.to_json_dict())
    for item in validated.results:
        config = item.expectation_config
        result.outcomes.append(Outcome(config.type, str(config.kwargs.get("column", "")),
                                       bool(item.success), _observed(item)))
    if docs is not None:
        result.docs_index = docs / "index.html"
    return result


def _observed(item: Any) -> str:
    info = item.exception_info or {}
    if info.get("raised_exception"):
        return f"error: {info.get('exception_message')}"
    for value in info.values():  # several metrics may each carry an exception
        if isinstance(value, dict) and value.get("raised_exception"):
            return f"error: {value.get('exception_message')}"
    got = item.result or {}
    if "unexpected_count" in got:
        sample = ", ".join(repr(v) for v in (got.get("partial_unexpected_list") or [])[:5])
        text = f"{got['unexpected_count']} of {got.get('element_count', '?')} unexpected"
        return f"{text}: {sample}" if sample else text
    if "observed_value" in got:
        return f"observed {got['observed_value']!r}"
    return ""


def summary(result: SuiteResult, spec: SuiteSpec, cables: int) -> str:
    """What a person reads: one line an expectation, then the verdict."""
    lines = [f"Suite '{spec.name}' ({spec.path}) on {cables} cables:"]
    for outcome in result.outcomes:
        mark = "pass" if outcome.success else "FAIL"
        column = f" [{outcome.column}]" if outcome.column else ""
        detail = f": {outcome.observed}" if outcome.observed and not outcome.success else ""
        lines.append(f"  {mark}  {outcome.type}{column}{detail}")
    failed = sum(not o.success for o in result.outcomes)
    verdict = "passed" if result.success else f"failed ({failed} of {len(result.outcomes)})"
    lines.append(f"Suite {verdict}.")
    return "\n".join(lines)
