"""OCR misreadings of known terms: a list of known confusions and gazetteer near-misses."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ..confusions import TOKEN_RE, confusions
from ..engine import Diagnostic, Fix, Rule
from ..model import Cable


class OcrConfusion(Rule):
    """A token is an OCR misreading of a known term; the correction is the fix.

    OCR turns ``MEXICO`` into ``MEXICQ`` and ``MEXIC0``, ``AMEMBASSY`` into ``AMEMBASSV``;
    a misread post name hides a cable from every search for that post. Two sources: the
    ``known`` list of ``rules/ocr.yaml`` (safe fixes), and near-misses of a gazetteer (post
    and station names from ``rules/gazetteer/posts.yaml``, addressee and classification
    words, header labels, TAGS) under the OCR confusion pairs of ``rules/ocr.yaml`` (O/Q/0/D,
    I/l/1/|, S/5, B/8, rn/m, cl/d, vv/w, E/F, G/6, Z/2; a lower-case l inside an upper-case
    word). Near-miss fixes are offered as unsafe: a person should confirm them. TAGS are
    compared only in TAGS fields, and labels only where the parser read a header label.

    Failing::

        **Drafted By:** MEXICQ (b)(6)      <- T001 'MEXICQ' is an OCR misreading of 'MEXICO'

    Passing::

        **Drafted By:** MEXICO (b)(6)
    """

    code = "T001"
    name = "ocr-confusion"
    severity = "warning"
    summary = "A token is an OCR misreading of a known term (post, addressee, label, TAGS)"

    def check(self, cable: Cable, options: Mapping[str, Any]) -> Iterator[Diagnostic]:
        table = confusions()
        text = cable.text
        for word in sorted(table.found_anywhere(text, cable.token_list)):
            pattern = re.compile(rf"(?<![A-Za-z0-9|]){re.escape(word)}(?![A-Za-z0-9|])")
            for m in pattern.finditer(text):
                yield self._diag(m.start(), m.end(), word, table.anywhere[word])
        for f in cable.fields:
            if f.name != "TAGS":
                continue
            for m in TOKEN_RE.finditer(text, f.start, f.end):
                found = table.tags.get(m.group(0))
                if found:
                    yield self._diag(m.start(), m.end(), m.group(0), found)
        for f in cable.fields:
            found = table.labels.get(f.label.upper())
            if not found:
                continue
            label_start = text.find(f.label, f.line_start, f.start)
            if label_start != -1:
                yield self._diag(label_start, label_start + len(f.label), f.label, found)

    @staticmethod
    def _diag(start: int, end: int, word: str, found: tuple[str, bool]) -> Diagnostic:
        right, safe = found
        return Diagnostic(start, end, f"'{word}' is an OCR misreading of '{right}'",
                          Fix(right, start, end, safe))
