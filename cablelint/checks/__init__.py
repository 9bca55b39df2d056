"""The rule registry: every built-in rule, explicitly, in code order."""

from __future__ import annotations

from ..engine import Rule
from .classification import BannerMismatch, CaptionMarking, MarkingExceedsBanner
from .dates import DtgDateMismatch
from .header import HeaderFieldMissing
from .inputs import EmptyCable, NonUtf8, UnknownFormat, UnreadableInput
from .ocr import OcrConfusion
from .paragraphs import ParagraphMarking, ParagraphSequence
from .references import ReferenceUncited, ReferenceUnlisted

REGISTRY: tuple[type[Rule], ...] = (
    UnreadableInput,
    EmptyCable,
    UnknownFormat,
    NonUtf8,
    ParagraphSequence,
    ParagraphMarking,
    HeaderFieldMissing,
    DtgDateMismatch,
    OcrConfusion,
    BannerMismatch,
    MarkingExceedsBanner,
    CaptionMarking,
    ReferenceUnlisted,
    ReferenceUncited,
)
#: Rules that need a recognised cable; the input rules run on every file.
CABLE_RULES = frozenset({ParagraphSequence, ParagraphMarking, HeaderFieldMissing,
                         DtgDateMismatch, OcrConfusion, BannerMismatch,
                         MarkingExceedsBanner, CaptionMarking, ReferenceUnlisted,
                         ReferenceUncited})


def by_name_or_code(key: str) -> type[Rule] | None:
    for rule in REGISTRY:
        if key in (rule.code, rule.name):
            return rule
    return None
