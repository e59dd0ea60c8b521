"""What Word draws but a DOCX paragraph's text does not hold: list labels, and the styles behind them.

Numbering follows Word: a paragraph's ``w:numPr`` (or its style's, through ``basedOn``) names a
``w:num``, which points at an ``w:abstractNum`` whose levels give the format (``decimal``,
``lowerLetter``, ``upperRoman``, ``bullet`` …), the label text (``%1.``, ``%1.%2.``, ``%2)``) and the
start value. Counters belong to the abstract list, as in Word: two ``w:num`` that share one
abstract list continue each other unless one carries a ``w:startOverride``; a level moving on
restarts the levels below it. Letters are Word's (a, b, c … z, aa), not the Vietnamese alphabet:
the label shows what the reader of the document sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SECOND_LEVEL_BULLETS = {"+", "o", "◦", "○", "\uf06f"}
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV", "start", "end")


def _val(el, path: str, default: str | None = None) -> str | None:
    found = el.find(path) if el is not None else None
    if found is None:
        return default
    return found.get(f"{W}val", default)


def _roman(n: int) -> str:
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        count, n = divmod(n, value)
        out.append(sym * count)
    return "".join(out)


MAX_COUNTER = 32767  # Word's largest list start value; past it a label is written in digits


def format_number(n: int, fmt: str) -> str:
    """One counter value as Word prints it in a list label.

    A hostile file may start a list at 300,000,000: as letters or roman numerals that label alone would
    be millions of characters, so a value past ``MAX_COUNTER`` is written in digits (a dozen at most).
    """
    if n > MAX_COUNTER or n < 0:
        return str(n)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word: … y, z, aa, bb
        return letter if fmt == "lowerLetter" else letter.upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)


@dataclass
class Level:
    """One level of a list definition."""

    fmt: str = "decimal"
    text: str = ""
    start: int = 1
    legal: bool = False  # w:isLgl: every level's number in decimal


def _level(lvl) -> Level:
    start = _val(lvl, f"{W}start", "1")
    return Level(
        fmt=_val(lvl, f"{W}numFmt", "decimal") or "decimal",
        text=_val(lvl, f"{W}lvlText", "") or "",
        start=int(start) if start and start.lstrip("-").isdigit() else 1,
        legal=lvl.find(f"{W}isLgl") is not None,
    )


@dataclass
class Numbering:
    """Word's list definitions and the running counters of each list."""

    levels: dict[tuple[str, int], Level] = field(default_factory=dict)  # (abstractNumId, ilvl)
    num_abstract: dict[str, str] = field(default_factory=dict)  # numId → abstractNumId
    overrides: dict[str, dict[int, tuple[int | None, Level | None]]] = field(default_factory=dict)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, document) -> Numbering:
        num = cls()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return num
        for a in root.iterchildren(f"{W}abstractNum"):
            abstract_id = a.get(f"{W}abstractNumId")
            for lvl in a.iterchildren(f"{W}lvl"):
                num.levels[(abstract_id, int(lvl.get(f"{W}ilvl", "0")))] = _level(lvl)
        for n in root.iterchildren(f"{W}num"):
            num_id = n.get(f"{W}numId")
            num.num_abstract[num_id] = _val(n, f"{W}abstractNumId") or ""
            for o in n.iterchildren(f"{W}lvlOverride"):
                start = _val(o, f"{W}startOverride")
                lvl = o.find(f"{W}lvl")
                num.overrides.setdefault(num_id, {})[int(o.get(f"{W}ilvl", "0"))] = (
                    int(start) if start and start.isdigit() else None,
                    _level(lvl) if lvl is not None else None,
                )
        return num

    def _level_of(self, num_id: str, ilvl: int) -> Level | None:
        override = self.overrides.get(num_id, {}).get(ilvl)
        if override and override[1] is not None:
            return override[1]
        return self.levels.get((self.num_abstract.get(num_id, ""), ilvl))

    def label(self, num_id: str, ilvl: int) -> str:
        """The label Word draws before the next paragraph of list ``num_id`` at level ``ilvl``."""
        abstract = self.num_abstract.get(num_id)
        level = self._level_of(num_id, ilvl)
        if abstract is None or level is None:
            return ""
        if num_id not in self.used:  # a list instance's first paragraph applies its start overrides
            self.used.add(num_id)
            for o_ilvl, (start, _) in self.overrides.get(num_id, {}).items():
                if start is not None:
                    self.counters[(abstract, o_ilvl)] = start - 1
                    self._reset_below(abstract, o_ilvl)
        if level.fmt == "bullet":
            return "+" if level.text.strip() in _SECOND_LEVEL_BULLETS else "-"
        key = (abstract, ilvl)
        self.counters[key] = self.counters.get(key, level.start - 1) + 1
        self._reset_below(abstract, ilvl)
        out = level.text
        for k in range(9, 0, -1):  # %10 does not exist; replace %9 … %1
            token = f"%{k}"
            if token not in out:
                continue
            lvl = self._level_of(num_id, k - 1) or Level()
            value = self.counters.get((abstract, k - 1), lvl.start)
            fmt = "decimal" if (level.legal and k - 1 < ilvl) else lvl.fmt
            out = out.replace(token, format_number(value, fmt))
        return out.strip()

    def _reset_below(self, abstract: str, ilvl: int) -> None:
        for key in [k for k in self.counters if k[0] == abstract and k[1] > ilvl]:
            del self.counters[key]


@dataclass
class Styles:
    """Style lookups the reader needs: fonts (for legacy encodings), list membership, table borders."""

    based_on: dict[str, str] = field(default_factory=dict)
    fonts: dict[str, str] = field(default_factory=dict)
    nums: dict[str, tuple[str | None, int | None]] = field(default_factory=dict)
    borders: dict[str, bool] = field(default_factory=dict)
    default_paragraph: str | None = None
    default_font: str | None = None

    @classmethod
    def load(cls, document) -> Styles:
        s = cls()
        try:
            root = document.styles.element
        except (KeyError, NotImplementedError, AttributeError):
            return s
        s.default_font = _font_of(root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr"))
        for st in root.iterchildren(f"{W}style"):
            sid = st.get(f"{W}styleId")
            if not sid:
                continue
            based = _val(st, f"{W}basedOn")
            if based:
                s.based_on[sid] = based
            font = _font_of(st.find(f"{W}rPr"))
            if font:
                s.fonts[sid] = font
            num_pr = st.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                ilvl = _val(num_pr, f"{W}ilvl")
                s.nums[sid] = (_val(num_pr, f"{W}numId"), int(ilvl) if ilvl and ilvl.isdigit() else None)
            tbl_borders = st.find(f"{W}tblPr/{W}tblBorders")
            if tbl_borders is not None:
                s.borders[sid] = _has_borders(tbl_borders)
            if st.get(f"{W}type") == "paragraph" and st.get(f"{W}default") in ("1", "true", "on"):
                s.default_paragraph = sid
        return s

    def _chain(self, sid: str | None):
        seen = set()
        while sid and sid not in seen:
            seen.add(sid)
            yield sid
            sid = self.based_on.get(sid)

    def paragraph_style(self, p) -> str | None:
        return _val(p, f"{W}pPr/{W}pStyle") or self.default_paragraph

    def font(self, sid: str | None) -> str | None:
        for s in self._chain(sid):
            if s in self.fonts:
                return self.fonts[s]
        return self.default_font

    def run_font(self, r, paragraph_font: str | None) -> str | None:
        rpr = r.find(f"{W}rPr")
        font = _font_of(rpr)
        if font:
            return font
        char_style = _val(rpr, f"{W}rStyle")
        if char_style:
            for s in self._chain(char_style):
                if s in self.fonts:
                    return self.fonts[s]
        return paragraph_font

    def num_pr(self, p, sid: str | None) -> tuple[str, int] | None:
        """(numId, ilvl) of a list paragraph, from its own properties or its style's."""
        own = p.find(f"{W}pPr/{W}numPr")
        num_id = _val(own, f"{W}numId")
        ilvl = _val(own, f"{W}ilvl")
        for s in self._chain(sid):
            if num_id is not None and ilvl is not None:
                break
            style_num, style_ilvl = self.nums.get(s, (None, None))
            num_id = num_id if num_id is not None else style_num
            if ilvl is None and style_ilvl is not None:
                ilvl = str(style_ilvl)
        if not num_id or num_id == "0":
            return None
        return num_id, int(ilvl) if ilvl and ilvl.isdigit() else 0

    def bordered(self, tbl) -> bool:
        """True when the table draws its grid (a data table), false for an invisible layout table."""
        own = tbl.find(f"{W}tblPr/{W}tblBorders")
        if own is not None:
            return _has_borders(own)
        for s in self._chain(_val(tbl, f"{W}tblPr/{W}tblStyle")):
            if s in self.borders:
                return self.borders[s]
        first_cell = tbl.find(f"{W}tr/{W}tc/{W}tcPr/{W}tcBorders")
        return first_cell is not None and _has_borders(first_cell)


def _font_of(rpr) -> str | None:
    fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(f"{W}hAnsi") or fonts.get(f"{W}ascii")


def _has_borders(borders) -> bool:
    for side in _BORDER_SIDES:
        el = borders.find(f"{W}{side}")
        if el is not None and el.get(f"{W}val") not in ("nil", "none", None):
            return True
    return False
