"""The rule registry: every built-in rule, explicitly, in code order."""

from __future__ import annotations

from ..corpus import CORPUS_RULES
from ..engine import Rule
from ..packrules import builtin_pack_rules
from .classification import BannerMismatch, CaptionMarking, MarkingExceedsBanner
from .conflicts import HeaderConflict
from .dates import DtgDateMismatch
from .header import HeaderFieldMissing
from .inputs import EmptyCable, NonUtf8, UnknownFormat, UnreadableInput
from .ocr import OcrConfusion
from .paragraphs import ParagraphMarking, ParagraphSequence
from .references import ReferenceUncited, ReferenceUnlisted
from .structure import (
    DuplicateParagraph,
    PageBreakSplit,
    PageFurniture,
    TruncatedCable,
    UnbalancedBrackets,
)
from .text import EncodingDamage, RedactionCode
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
    EncodingDamage,
    RedactionCode,
    PageBreakSplit,
    PageFurniture,
    UnbalancedBrackets,
    TruncatedCable,
    DuplicateParagraph,
    BannerMismatch,
    MarkingExceedsBanner,
    CaptionMarking,
    ReferenceUnlisted,
    ReferenceUncited,
    *CORPUS_RULES,
)
#: Rules that need a recognised cable; the input rules run on every file.
CABLE_RULES = frozenset({ParagraphSequence, ParagraphMarking, HeaderFieldMissing,
                         MrnFormat, TagsUnknown, EoEra, HeaderConflict,
                         DtgDateMismatch, OcrConfusion, EncodingDamage, RedactionCode,
                         PageBreakSplit, PageFurniture, UnbalancedBrackets, TruncatedCable,
                         DuplicateParagraph, BannerMismatch, MarkingExceedsBanner,
                         CaptionMarking, ReferenceUnlisted, ReferenceUncited})

#: The rules of the built-in packs (rules/packs/*.yaml): declared in YAML, run like the above.
PACK_RULES: tuple[type[Rule], ...] = builtin_pack_rules()
REGISTRY += PACK_RULES
CABLE_RULES |= frozenset(PACK_RULES)


def by_name_or_code(key: str) -> type[Rule] | None:
    for rule in REGISTRY:
        if key in (rule.code, rule.name):
            return rule
    return None
