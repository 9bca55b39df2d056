"""The rule registry: every built-in rule, explicitly, in code order."""

from __future__ import annotations

from ..engine import Rule
from .conflicts import HeaderConflict
from .dates import DtgDateMismatch
from .header import HeaderFieldMissing
from .inputs import EmptyCable, NonUtf8, UnknownFormat, UnreadableInput
from .ocr import OcrConfusion
from .paragraphs import ParagraphMarking, ParagraphSequence
from .values import EoEra, MrnFormat, TagsUnknown

REGISTRY: tuple[type[Rule], ...] = (
    UnreadableInput,
    EmptyCable,
    UnknownFormat,
    NonUtf8,
    ParagraphSequence,
    ParagraphMarking,
    HeaderFieldMissing,
    MrnFormat,
    TagsUnknown,
    EoEra,
    HeaderConflict,
    DtgDateMismatch,
    OcrConfusion,
)
#: Rules that need a recognised cable; the input rules run on every file.
CABLE_RULES = frozenset({ParagraphSequence, ParagraphMarking, HeaderFieldMissing,
                         MrnFormat, TagsUnknown, EoEra, HeaderConflict, DtgDateMismatch,
                         OcrConfusion})


def by_name_or_code(key: str) -> type[Rule] | None:
    for rule in REGISTRY:
        if key in (rule.code, rule.name):
            return rule
    return None
