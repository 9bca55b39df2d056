"""Classic telegrams (ACP-127 header): Cablegate, CFPF, and the original telegram that a
SMART release embeds under its SMART header.

The header is read line by line from the top until the subject and reference block end or a
numbered paragraph begins; everything after it is body.
"""

from __future__ import annotations

import re

from .. import regex
from ..confusions import confusions
from ..model import Cable, Field, new_part
from .body import BANNER_WORDS, banner_level

# Every kind of header line starts with a capital after the prefix (or is a bare DTG line,
# "061601Z MAY 78" in cables.csv): a line that has none there is turned away before any kind
# is tried (and giving back characters of the prefix costs one test each).
# (A web page's paragraph anchor "¶" may open a header line: WikiLeaks took "E. O. 11652"
# for a lettered paragraph, "¶E. O. 11652: GDS".)
_PREFIX = r"[ \t>#*¶]*(?=[A-Z]|\d{6}Z )(?:(?:SIPDIS|SENSITIVE)[ \t]+(?=E)|)"
# (The routing indicators' runs are possessive: a blank or the line's end must follow them,
# so giving back a letter cannot help an addressee line, "RUEHBR/AMEMBASSY BRASILIA 7419".)
_HEADER_RE = regex.compile(  # a large pattern: cached between runs
    _PREFIX
    + r"""(?:
      (?P<routing>VZCZC\S*|(?:[ZOPRM]{1,2}\ |)RU[A-Z]{3,}+(?:\ RU[A-Z]++)*+|ZNR\ .*|ZNY\ .*|BT|ZZH)[ \t]*$
    | DE\ +(?P<DE>RU\w+\ +\#\S+\ +\d{7})
    | (?:(?P<prec>[ZOPR](?:\ [ZOPR])?)\ +|(?=\d{6}Z\ [A-Z]{3}\ \d{2}[ \t]*$))(?P<DTG>(?=(?:[OIl|SB\ ]*\d){3})[\dOIl|SB](?:\ ?[\dOIl|SB]){5}\ ?Z(?:\b|(?=[A-Z]{3}\d)).*)
    | FM\ +(?P<FM>\S.*)
    | TO\ +(?P<TO>\S.*)
    | INFO\ +(?P<INFO>\S.*)
    | (?P<CLASSIFICATION>(?P<clsw>"""
    + BANNER_WORDS
    # (Cablegate's lower-cased cables: "S e c r e t state 068250", "E.o. 12958: decl: ...")
    + r"""|S\ e\ c\ r\ e\ t|C\ o\ n\ f\ i\ d\ e\ n\ t\ i\ a\ l)(?://?[A-Z]+(?:\ [A-Z]+)*)?(?:\ E\ F\ T\ O)?(?:\ +(?:SECTION|section)\ +\d+\ +(?:OF|of)\ +\d+)?
        (?:\ +\d{2}(?=\ +[A-Z]))?  # a year before the post: "C O N F I D E N T I A L 75 LIBREVILLE 1895"
        # (blanks, asterisks or a stray backslash may end the line: "UNCLAS BEIRUT 01725 \\")
        (?:\ +(?=[A-Za-z0-9|.'-]*[A-Za-z|])[A-Za-z0-9|.'-]+){1,4}\ +\d{1,7}(?:\ +[A-Z][A-Z0-9 /]{0,30})?)[ \t*\\]*$
    | (?:E[.,]\ ?[O0Qo][.,]?|EO\.?)\ *(?P<EO>\d{5}.*)
    | (?:TAGS|Tags)\b:?\ *(?P<TAGS>.*)
    | (?:SUBJECT|SUBJ|Subject)\ *:\ *(?P<SUBJECT>.*)
    | (?:REF|REFS|REFTEL|Ref)\ *:\ *(?P<REF>.*)
    | (?:Classified\ By|CLASSIFIED\ BY)\b:?\ *(?P<CLASSIFIED_BY>.*)
    | (?P<WL_DATE>(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),\ \d{1,2}\ [A-Z][a-z]+\ \d{4},\ \d{2}:\d{2})
    | (?P<partial>This\ record\ is\ a\ partial\ extract)
    )""",
    re.VERBOSE,
)
_PARA_START_RE = regex.compile(r"[ \t>#*]*(?:¶|\ufffd)?\d{1,3}\.[ \t]")
# The ASCII characters a numbered paragraph's line may start with: a set test turns the other
# lines (addressees, a subject's next line) away before the regex.
_PARA_LEAD = frozenset(" \t>#*¶\ufffd0123456789")
# Fields whose value goes on over the following lines until a blank line or another label.
_CONTINUED = frozenset({"TO", "INFO", "SUBJECT", "REF"})
# Once the subject is read, these may still follow before the body.
_AFTER_SUBJECT = frozenset({"REF", "CLASSIFIED_BY", "routing", "CLASSIFICATION", "partial"})


def parse_header(cable: Cable, start: int, end: int, origin: str = "telegram") -> int:
    """Read the telegram header in ``text[start:end]``; return the offset where the body starts.

    Returns ``start`` when no telegram header line is found.
    """
    text = cable.text
    pos = start
    body_start = start
    seen_subject = False
    current: str | None = None  # the field whose continuation lines we are reading
    found = False
    while pos < end:
        nl = text.find("\n", pos, end)
        line_end = end if nl == -1 else nl
        next_pos = line_end + 1
        line = text[pos:line_end]
        if not line or line.isspace():
            if seen_subject and current in ("SUBJECT", "REF"):
                body_start = next_pos
            current = None
            pos = next_pos
            continue
        m = _HEADER_RE.match(text, pos, line_end) or _damaged_label(text, pos, line_end)
        if m is None:
            if ((text[pos] in _PARA_LEAD or text[pos] > "\x7f")  # (\d takes other digits)
                    and _PARA_START_RE.match(text, pos, line_end)):
                break
            flat = (_FLAT_CLASS_RE.match(text, pos, line_end)
                    if text[pos] in _FLAT_LEAD and ("E.O. " in line or "TAGS" in line) else None)
            if flat is not None:  # "C O N F I D E N T I A L ... 000284 SIPDIS E.O. ... TAGS: ..."
                if not found:
                    cable.header_start = pos
                    found = True
                _add_glued(cable, flat, pos, origin)
                rest = flat.lastgroup or "EO"
                added = len(cable.fields)
                _add_span(cable, rest, rest, flat.start(rest), flat.end(rest), pos, origin)
                seen_subject = seen_subject or any(f.name == "SUBJECT"
                                                   for f in cable.fields[added:])
                current = None
                body_start = pos = next_pos
                continue
            if current in _CONTINUED:
                glued = (_glued_class(text, pos, line_end)
                         if current in _GLUE_HOSTS and _ends_in_digit(line) else None)
                if glued is not None:  # "AMEMBASSY LONDON PRIORITYS E C R E T DOHA 001093"
                    _add_glued(cable, glued, pos, origin)
                    current = "CLASSIFICATION"
                    body_start = next_pos
                pos = next_pos
                body_start = next_pos if seen_subject else body_start
                continue
            if seen_subject:
                break
            if " E.O. " in line:  # "DEPT FOR WHA/BSC E.O. 12958: DECL: 11/22/2012"
                glued_eo = _GLUED_EO_RE.search(text, pos, line_end)
                if glued_eo is not None and cable.first("EO") is None:
                    _add_span(cable, "EO", "E.O.", glued_eo.start("EO"), glued_eo.end("EO"),
                              pos, origin)
            pos = next_pos
            continue
        kind = m.lastgroup or ""
        if kind == "prec":
            kind = "DTG"
        if seen_subject and kind not in _AFTER_SUBJECT:
            break
        if not found:
            cable.header_start = pos
            found = True
        glued = (_glued_class(text, m.start(kind) if kind != "partial" else m.end(), line_end)
                 if kind in _GLUE_HOSTS and _ends_in_digit(line) else None)
        if glued is not None:
            # The classification line run onto the line before it by extraction: "...not
            # available.UNCLAS HARARE 001071", "TO SECSTATE WASHDC 9600UNCLAS SECTION 01 OF 02
            # HAVANA 004690": the host keeps its own text, the rest is the classification line.
            if kind != "partial":
                _add_span(cable, kind, kind, m.start(kind), glued.start(), pos, origin)
            else:
                cable.partial_extract = True
            _add_glued(cable, glued, pos, origin)
            kind = "CLASSIFICATION"
        elif kind == "partial":
            cable.partial_extract = True
        elif kind == "CLASSIFICATION":
            level = banner_level(m["clsw"])
            if level:
                cable.banners.append((level, m.start(kind), m.end(kind)))
            _add(cable, kind, m, pos, origin)
        elif kind != "routing":
            _add(cable, kind, m, pos, origin)
            if kind == "DTG" and m.start("prec") >= 0:  # (cables.csv has bare DTG lines)
                _add_span(cable, "PRECEDENCE", "precedence", m.start("prec"), m.end("prec"),
                          pos, origin)
        if kind == "SUBJECT":
            seen_subject = True
        elif (kind == "CLASSIFICATION" and seen_subject and m.start("clsw") >= 0  # (not glued)
              and _opens_own_header(text, next_pos, end)):
            # a classification line after the subject opens the telegram's own header under
            # an export's record block (08KINSHASA189: "<<142612>>", the refid, TAGS, SUBJECT,
            # then "S e c r e t section 01 of 02 kinshasa 000189", "E.o. 12958: ..."); not so
            # without an E.O. or TAGS line below it (a quoted letter's own "TO", "SUBJECT"),
            # nor when the telegram's routing lines follow (a printout: wrapped_header finds them)
            seen_subject = False
        current = kind
        body_start = next_pos
        pos = next_pos
    return body_start if found else start


# A classification line glued to the end of the line before it (the partial-extract notice,
# the TO or INFO line) with no space between: "...is not available.UNCLAS HARARE 001071".
_GLUE_HOSTS = frozenset({"partial", "TO", "INFO"})
_CLASS_LINE = (
    r"(?P<CLASSIFICATION>(?P<clsw>UNCLAS|UNCLASSIFIED|CONFIDENTIAL|SECRET"
    r"|C O N F I D E N T I A L|S E C R E T|LIMITED OFFICIAL USE)(?://?[A-Z]+(?: [A-Z]+)*)?"
    r"(?: +SECTION +\d+ +OF +\d+)?(?: +(?=[A-Za-z0-9|.'-]*[A-Za-z|])[A-Za-z0-9|.'-]+){1,4}"
    r" +\d{1,7})"
)
_GLUED_CLASS_RE = regex.compile(_CLASS_LINE + r"[ \t*]*$")


# A classification line with the header lines after it run onto it (a web page that joined
# the lines of the cable's text: "C O N F I D E N T I A L SECTION 01 OF 02 STATE 000284 SIPDIS
# E.O. 12958: DECL: 01/04/2020 TAGS: MASS MARR"); _add_span splits TAGS and SUBJECT off the rest.
_FLAT_CLASS_RE = regex.compile(
    r"[ \t]*" + _CLASS_LINE + r" +(?:(?:SIPDIS|SENSITIVE) +)*(?:E\.O\. (?P<EO>\d{5}\b.*)|TAGS:? (?P<TAGS>\S.*))$"
)
_FLAT_LEAD = frozenset(" \tUCSL")


# What the classification line is glued to: the host's last character (an office symbol's
# slashes too: "SECDEF WASHDC//ISA/ABLAGG//UNCLAS SECTION 01 OF 02 HANOI 003294").
_GLUED_TO = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789./")


def _glued_class(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first classification line in ``text[start:end]`` glued to a character before it.
    (Told in Python, not by a lookbehind: a pattern that opens with its words is searched for
    from their first letters, one lookbehind opening it is tried at every character.)"""
    line = text[start:end]
    # (its words looked for first: most lines a classification may be glued to hold none)
    if not ("UNCLAS" in line or "SECRET" in line or "CONFIDENTIAL" in line
            or "S E C R E T" in line or "C O N F" in line or "LIMITED OFFICIAL USE" in line):
        return None
    m = _GLUED_CLASS_RE.search(text, start, end)
    while m is not None and not (m.start() and text[m.start() - 1] in _GLUED_TO):
        m = _GLUED_CLASS_RE.search(text, m.start() + 1, end)
    return m


def _ends_in_digit(line: str) -> bool:
    """Can a glued classification line end this line? It ends in its serial (and blanks or
    asterisks): a line that does not (most addressee lines) is not searched."""
    return line.rstrip(" \t*")[-1:].isdecimal()


def _add_glued(cable: Cable, glued: re.Match[str], line_start: int, origin: str) -> None:
    level = banner_level(glued["clsw"])
    if level:
        cable.banners.append((level, glued.start("CLASSIFICATION"), glued.end("CLASSIFICATION")))
    _add(cable, "CLASSIFICATION", glued, line_start, origin)


# An E.O. line run onto the end of an address line of the header by extraction.
_GLUED_EO_RE = regex.compile(r"(?<=\S) E\.O\. (?P<EO>\d{5}\b.*)")


# A printout that wraps the telegram (a State database's: "TELEGRAM  June 03, 2003", "To:",
# "Action:", "From:", "TAGS:", "Subject:", "Ref:" over a rule of underscores) gives the
# header read from the top: the telegram's own header, a DTG line and its FM line, follows
# it before the first paragraph.
# (a DTG line with its FM line below; without one of the two, the other with a TO line below)
_EMBEDDED_DTG_RE = regex.compile(r"^[ \t]*(?:[ZOPR](?: [ZOPR])? \d{6}Z [A-Z]{3} \d{2}[ \t]*\n"
                                 r"(?:FM|TO) |FM [A-Z][^\n]*\nTO )", re.MULTILINE)
_FIRST_PARA_RE = regex.compile(r"^[ \t]*(?:¶|)1\.[ \t]", re.MULTILINE)


# An E.O. or TAGS line (as the header reader's labels are written: "E.o.", "TAGS;").
_EO_OR_TAGS_RE = regex.compile(r"^[ \t]*(?:E\.[Oo]\.|TAGS\b)", re.MULTILINE)


def _first_para(text: str, pos: int, end: int) -> int:
    """Where paragraph 1 starts below ``pos`` (``end`` if none does)."""
    para = _FIRST_PARA_RE.search(text, pos, end)
    return end if para is None else para.start()


def _opens_own_header(text: str, pos: int, end: int) -> bool:
    """Below ``pos``, before paragraph 1: an E.O. or TAGS line, and no DTG line with its FM
    or TO line (a printout's header over the telegram: wrapped_header finds that one)."""
    limit = _first_para(text, pos, end)
    return (_EO_OR_TAGS_RE.search(text, pos, limit) is not None
            and _EMBEDDED_DTG_RE.search(text, pos, limit) is None)


_ROUTED = frozenset({"DTG", "FM", "TO"})


def wrapped_header(cable: Cable, body_start: int, end: int) -> int:
    """Where the telegram's own header starts when a printout's header was read in its place
    (no DTG, FM or TO line, and a DTG line with its FM line below, before paragraph 1; a
    telegram that lost one of the two has the other over its TO line);
    -1 when not so."""
    # (the fields looked through once: cable.first would index them by name, an index
    # the fields still to come make stale)
    if any(f.name in _ROUTED for f in cable.fields):
        return -1
    text = cable.text
    if "FM " not in text and "\nTO " not in text:
        return -1
    m = _EMBEDDED_DTG_RE.search(text, body_start, _first_para(text, body_start, end))
    if m is None:
        return -1
    start = m.start()
    while start > body_start:  # the routing lines right above it (VZCZC, DE, ZNY) are its own
        nl = text.rfind("\n", body_start, start - 1)
        prev = body_start if nl == -1 else nl + 1
        line = _HEADER_RE.match(text, prev, start - 1)
        if line is None or line.lastgroup not in ("routing", "DE"):
            break
        start = prev
    return start


# A label that OCR damaged ("SUBJFCT:", "T4GS:"), read as the label it is; the
# ocr-confusion rule reports the damage.
# (Both runs possessive: what may follow each is no character of it, so giving one back
# cannot help, and a line of the header that is no label gave back each in turn.)
_DAMAGED_LABEL_RE = regex.compile(
    r"[ \t>#*]*+(?P<label>[A-Z0-9|.,]{3,9}+)(?:[ \t]*(?P<colon>:)[ \t]*|[ \t]+(?=\S))")
# Labels that cables also write without a colon ("TAGS PREL, SP", "EO 12958 N/A"): damaged
# by an OCR confusion ("TAG5 PREL, SP"), they are read so when a value follows on the line.
_COLONLESS = frozenset({"TAGS", "E.O."})
_LABEL_FIELDS = {"SUBJECT": "SUBJECT", "TAGS": "TAGS", "REF": "REF", "E.O.": "EO"}
_VALUE_PATTERNS = {name: regex.compile(rf"(?P<{name}>.*)") for name in _LABEL_FIELDS.values()}
#: The first two characters of the misspellings in ``confusions().labels`` of the labels
#: :func:`_damaged_label` reads (made on first use: the table is built once a process).
_LABEL_STARTS: frozenset[str] = frozenset()
_LABEL_LEAD = frozenset(" \t>#*")  # what _DAMAGED_LABEL_RE's leading run may start with


def _label_starts() -> frozenset[str]:
    global _LABEL_STARTS
    _LABEL_STARTS = frozenset(
        k[:2] for k, v in confusions().labels.items() if v[0] in _LABEL_FIELDS and k)
    return _LABEL_STARTS


def _damaged_label(text: str, pos: int, end: int) -> re.Match[str] | None:
    # (a line that starts neither with a lead character nor with two characters a misspelt
    # label starts with is turned away by set tests, before the regex and the table: most
    # lines the header does not know are addressees, "AMEMBASSY PARIS", "RUEHC/SECSTATE
    # WASHDC", which the regex took for a label)
    if text[pos] not in _LABEL_LEAD and text[pos : pos + 2] not in (
            _LABEL_STARTS or _label_starts()):
        return None
    m = _DAMAGED_LABEL_RE.match(text, pos, end)
    if m is None:
        return None
    found = confusions().labels.get(m["label"])
    name = _LABEL_FIELDS.get(found[0]) if found else None
    if name is None or (m["colon"] is None and (found[0] not in _COLONLESS or found[1])):
        return None  # (a listed misspelling without a colon, "TGS PTER": tags-unknown's)
    return _VALUE_PATTERNS[name].match(text, m.end(), end)


# Header lines run together by extraction: "E.O. 12958: N/A TAGS: ASEC SNAR".
_INLINE_RE = regex.compile(r"\s(?:(?P<TAGS>TAGS)|(?P<SUBJECT>SUBJECT|SUBJ)|(?P<REF>REF))\s*:\s*")


def _add(cable: Cable, name: str, m: re.Match[str], line_start: int, origin: str) -> None:
    start, end = m.span(name)
    label = cable.text[line_start:start].strip(" \t>#*:¶")
    _add_span(cable, name, label or name, start, end, line_start, origin)


def _add_span(cable: Cable, name: str, label: str, start: int, end: int, line_start: int,
              origin: str) -> None:
    value = cable.text[start:end]
    # (C searches for the literals _INLINE_RE needs first, its colon first of all: most values
    # hold none, and a regex search tries every blank)
    inline = _INLINE_RE.search(value) if ":" in value and (
        "TAGS" in value or "SUBJ" in value or "REF" in value) else None
    if inline and inline.lastgroup != name:
        _add_span(cable, name, label, start, start + inline.start(), line_start, origin)
        other = inline.lastgroup or name
        _add_span(cable, other, inline[other], start + inline.end(), end, line_start, origin)
        return
    value = value.rstrip(" \t*")
    cable.fields.append(new_part(Field, (name, label, value, start, start + len(value), line_start,
                                     origin)))


# The signer's name closes a telegram: "LAFLEUR", "JACOBSON", "RICE".
_SIGNATURE_RE = regex.compile(r"[ \t>]*(?P<SIGNATURE>[A-Z][A-Z.'-]+(?: [A-Z][A-Z.'-]+){0,2})[ \t]*$")
_NOT_A_SIGNATURE = frozenset({"BT", "NNNN", "NNN", "END", "UNCLASSIFIED", "CONFIDENTIAL",
                              "SECRET", "UNCLAS", "SBU", "SENSITIVE", "NOFORN"})


def find_signature(cable: Cable, start: int, end: int, origin: str = "telegram") -> None:
    """Record the last line of the body as the signature when it is a name in capitals."""
    text = cable.text
    furniture = cable.furniture_starts()
    pos = end
    while pos > start:
        line_start = text.rfind("\n", start, pos - 1) + 1
        line = text[line_start:pos].strip()
        if line and line_start not in furniture:
            m = _SIGNATURE_RE.match(text, line_start, pos if text[pos - 1 : pos] != "\n"
                                    else pos - 1)
            if m and m["SIGNATURE"] not in _NOT_A_SIGNATURE and len(m["SIGNATURE"]) <= 30:
                _add(cable, "SIGNATURE", m, line_start, origin)
            return
        pos = line_start
        if pos == 0:
            return
