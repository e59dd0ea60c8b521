"""Both directions of the citation graph for one number: what cites it, what it cites (``vanban cites``).

People write a number the way they remember it: ``Nghị định 30/2020/NĐ-CP``, ``30/2020/ND-CP``,
``30/2020``, ``nđ-cp 30/2020``, ``số 30/2020/NĐ-CP``. ``read_number`` takes the numeral, the year and
the symbol from what was typed (wherever they stand) and a document type named beside them
(other words, such as ``ngày 5/3``, are passed over);
``resolve`` finds the numbers of the output (documents' and citations' alike, compared as
``number_key``) that agree with every part given: the exact number when it is there, else every
number with that numeral and whatever else was typed (``30/2020`` finds ``30/2020/NĐ-CP``), of that
type when one was named. When nothing agrees, ``close`` gives the nearest numbers of the output.

"Cited by" is every citation of the numbers found, whether or not the document itself is in the
output; "cites" lists, once per cited number, what the documents carrying the numbers cite, with the
file of the cited document when the run linked it (``references.ref_doc_id``).
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from pipeline.query.fold import fold, number_key
from pipeline.query.sql import arrow

_NUMERAL = re.compile(r"\d")
_SYMBOL = re.compile(r"[^\W\d_]")  # a letter
_KEY_PARTS = re.compile(r"(?P<numeral>\d+(?:\.\d+)?[A-Z]?)(?:[/-](?P<year>(?:19|20)\d\d)(?=[/-]|$))?(?:[/-](?P<symbol>.+))?$")
_FILLER = {"so", "số", "so:", "số:"}


@dataclass(frozen=True)
class Asked:
    """A number as typed, in parts (keys as ``number_key`` writes them); a part not typed is None."""

    typed: str
    numeral: str
    year: str | None = None
    symbol: str | None = None
    doc_type: str | None = None  # folded

    @property
    def key(self) -> str:
        return "/".join(p for p in (self.numeral, self.year, self.symbol) if p)


def _parts(key: str) -> tuple[str, str | None, str | None] | None:
    m = _KEY_PARTS.match(key)
    return (m["numeral"], m["year"], m["symbol"]) if m else None


@functools.cache
def _type_names() -> tuple[str, ...]:
    """Document types a person may name beside a number (folded), from ``rules/doc_types.toml``."""
    from pipeline import rules

    return tuple(fold(t["name"]) for t in rules.load("doc_types")["type"])


def read_number(typed: str) -> Asked:
    """The parts of a number as a person types it; ``ValueError`` when it holds no numeral."""
    text = re.sub(r"\s*([/-])\s*", r"\1", unicodedata.normalize("NFC", typed).strip())
    tokens = [t.strip(".,;:()") for t in text.split()]
    number = next((t for t in tokens if t[:1].isdigit()), None)
    if number is None:
        raise ValueError(f"no document number in {typed!r} (e.g. 30/2020/NĐ-CP, 30/2020, Nghị định 30/2020)")
    rest = [t for t in tokens if t is not number and t.lower() not in _FILLER]
    symbols = [t for t in rest if _SYMBOL.search(t) and (_NUMERAL.search(t) or "-" in t or "/" in t or (t.isupper() and len(t) > 1))]
    words = fold(" ".join(t for t in rest if t not in symbols))
    parts = _parts(number_key(number))
    if parts is None:
        raise ValueError(f"not a document number: {number!r}")
    numeral, year, symbol = parts
    if symbol is None and symbols:
        symbol = number_key(symbols[0])
    named = [t for t in _type_names() if f" {t} " in f" {words} "]
    return Asked(typed, numeral, year, symbol, max(named, key=len) if named else None)


@dataclass(frozen=True)
class Known:
    """A number of the output: its key, how it is most often printed, the types it is given."""

    key: str
    shown: str
    types: frozenset[str]


def known_numbers(con: duckdb.DuckDBPyConnection) -> list[Known]:
    rows = con.sql(
        """SELECT number_key(n) AS k, mode(n) AS shown, list(DISTINCT vn_fold(t)) FILTER (WHERE t IS NOT NULL) AS types
           FROM (SELECT doc_number AS n, doc_type AS t FROM documents UNION ALL SELECT ref_number, ref_type FROM "references")
           WHERE n IS NOT NULL AND n <> '' GROUP BY 1 ORDER BY 1"""
    ).fetchall()
    return [Known(k, shown, frozenset(types or ())) for k, shown, types in rows]


def resolve(asked: Asked, known: list[Known]) -> list[Known]:
    """The numbers of the output ``asked`` names: the exact one, else all that agree with every part typed."""
    exact = [k for k in known if k.key == asked.key and (asked.year or asked.symbol)]
    found = exact or [
        k
        for k in known
        if (p := _parts(k.key)) is not None
        and p[0] == asked.numeral
        and (asked.year is None or p[1] == asked.year)
        and (asked.symbol is None or p[2] == asked.symbol)
    ]
    if asked.doc_type:
        found = [k for k in found if not k.types or asked.doc_type in k.types]
    return found


def close(asked: Asked, known: list[Known], n: int = 3) -> list[str]:
    """The numbers of the output nearest to what was typed, as they are printed."""
    shown = {k.key: k.shown for k in known}
    return [shown[k] for k in difflib.get_close_matches(asked.key, list(shown), n=n, cutoff=0.6)]


@dataclass
class Citations:
    number: str
    documents: pa.Table  # the documents in the output that carry the number
    cited_by: pa.Table  # one row per citation of the number
    cites: pa.Table  # one row per number those documents cite
    numbers: list[str] | None = None  # the numbers of the output the typed one named

    def as_dict(self) -> dict:
        return {
            "number": self.number,
            "numbers": self.numbers,
            "documents": self.documents.to_pylist(),
            "cited_by": self.cited_by.to_pylist(),
            "cites": self.cites.to_pylist(),
        }


def citations(con: duckdb.DuckDBPyConnection, number: str, keys: list[str] | None = None) -> Citations:
    """What cites the numbers ``keys`` (default: the key of ``number``) and what their documents cite."""
    keys = keys if keys is not None else [number_key(number)]
    documents = arrow(
        con,
        """SELECT source_path, doc_type, doc_number, issuer, issue_date, subject, doc_id
           FROM documents WHERE list_contains(?, number_key(doc_number)) ORDER BY source_path""",
        [keys],
    )
    cited_by = arrow(
        con,
        """SELECT c.source_path, c.doc_type, c.doc_number, c.issuer, c.issue_date, r.ref_text, c.doc_id
           FROM "references" r JOIN documents c ON c.doc_id = r.doc_id
           WHERE list_contains(?, number_key(r.ref_number))
              OR r.ref_doc_id IN (SELECT doc_id FROM documents WHERE list_contains(?, number_key(doc_number)))
           ORDER BY c.source_path, r.char_start""",
        [keys, keys],
    )
    cites = arrow(
        con,
        """WITH own AS (SELECT doc_id FROM documents WHERE list_contains(?, number_key(doc_number)))
           SELECT min(r.ref_number) AS ref_number, min(r.ref_type) AS ref_type, min(r.ref_date) AS ref_date,
                  min(r.ref_issuer) AS ref_issuer, min(cd.source_path) AS in_output, min(r.ref_doc_id) AS ref_doc_id
           FROM "references" r JOIN own ON own.doc_id = r.doc_id LEFT JOIN documents cd ON cd.doc_id = r.ref_doc_id
           GROUP BY number_key(r.ref_number)
           ORDER BY min(r.char_start), 1""",
        [keys],
    )
    return Citations(number, documents, cited_by, cites)


class NothingMatches(LookupError):
    """No number of the output agrees with what was typed; the message names the nearest ones."""


def find(con: duckdb.DuckDBPyConnection, typed: str) -> Citations:
    """``vanban cites``: read what was typed, find the numbers it names, and their citations both ways."""
    asked = read_number(typed)
    known = known_numbers(con)
    found = resolve(asked, known)
    if not found:
        near = close(asked, known)
        hint = f"; the closest: {', '.join(near)}" if near else "; no number in the output is close to it"
        raise NothingMatches(f"no document or citation numbered {typed.strip()!r} in the output{hint}")
    c = citations(con, typed, [k.key for k in found])
    c.numbers = [k.shown for k in found]
    return c
