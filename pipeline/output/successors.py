"""Today's name of every agency of a task: ``task_agencies.agency_successor``, filled after a run.

A name changes for three reasons, each from its own source:

- its body was renamed or merged (``Sở Kế hoạch và Đầu tư`` → ``Sở Tài chính``, ``Bộ Thông tin và
  Truyền thông`` → ``Bộ Khoa học và Công nghệ``): ``rules/successors.toml``;
- its place was merged (``tỉnh Bình Thuận`` → ``tỉnh Lâm Đồng``, ``phường Đức Long`` → ``phường Tiến
  Thành``; a district body has none, the level was abolished, except island districts that became
  special zones): the administrative-unit library (``pipeline.output.admin_units``);
- it was printed without its place (``Sở Tư pháp``, ``Công an tỉnh``, ``Ủy ban nhân dân xã Hữu Liên``)
  in a document whose issuer, or place of issue, says which province it is from: completed with
  that province (only for a local issuer: ``Sở Tư pháp`` in a ministry's document is every
  province's, and stays as it is).

A document issued on or after 1 July 2025 already names today's units: its communes are looked up
among today's. The successor is null when the name is already today's full name or nothing is known.

``fill_successors`` runs once per run, after the final tables are in place (beside citation
linking): every distinct (agency, document issuer, place, year, month) is resolved once, then each
``task_agencies`` file is rewritten with the names beside it, under a mark in its schema metadata
that names the rules and library it was filled with, so a rerun that changed nothing reads only
footers, and a change of rules or library fills every file again.
"""

from __future__ import annotations

import functools
import hashlib
import os
from dataclasses import dataclass

import regex

from pipeline import rules
from pipeline.output.admin_units import AdminUnits, Unit, admin_units
from pipeline.query.fold import fold

REORGANISED = (2025, 7)
"""Year and month from which a document names today's provinces and communes."""


@dataclass(frozen=True)
class Where:
    """Where a document is from, as far as its issuer and place say: the province (in the units of the
    document's time), the district when the issuer is one, and whether it names today's units."""

    province: Unit | None = None
    district: Unit | None = None
    current: bool | None = None  # None: undated


@dataclass(frozen=True)
class Change:
    """Today's name (None: unchanged or unknown), why it differs, and the places the name printed (and how
    many of them were found)."""

    name: str | None = None
    reasons: frozenset[str] = frozenset()
    places: tuple[str, ...] = ()  # the units the name prints (`tỉnh Bình Thuận`)
    places_known: bool = False  # and whether today's place of them was found


class _Rules:
    def __init__(self) -> None:
        data = rules.load("successors")
        self.renamed: dict[str, str] = {}
        for s in data["sector"]:
            for body in s["bodies"]:
                self.renamed[fold(f"{body} {s['old']}")] = f"{body} {s['new']}"
        self.local_bodies: set[str] = set()
        for b in data["body"]:
            self.renamed[fold(b["old"])] = b["new"]
            if b.get("local"):
                self.local_bodies.add(fold(b["old"]))
        self.unit = regex.compile(data["unit"]["pattern"], regex.VERSION1)
        self.bare = regex.compile(data["bare_level"]["pattern"], regex.VERSION1)
        kinds = data["kinds"]
        self.province_kinds, self.district_kinds = set(kinds["province"]), set(kinds["district"])
        self.commune_kinds = set(kinds["commune"])
        self.departments = tuple(fold(s) + " " for s in data["departments"]["starts"])
        self.local_issuers = tuple(fold(s) for s in data["local_issuers"]["starts"])
        self.aliases = {fold(k): v for k, v in data["province_aliases"].items()}
        self.proper = {fold(p): p for p in data["writing"]["proper"]}
        self.examples = data.get("example", [])


@functools.cache
def _rules() -> _Rules:
    return _Rules()


def _is_current(year: int | None, month: int | None) -> bool | None:
    if year is None:
        return None
    if year != REORGANISED[0]:
        return year > REORGANISED[0]
    return None if month is None else month >= REORGANISED[1]


class Successors:
    """The successor of a name in a document; every answer is cached (asked once per distinct name)."""

    def __init__(self) -> None:
        self.rules = _rules()
        self._units: AdminUnits | None = None

    @property
    def units(self) -> AdminUnits:
        if self._units is None:
            self._units = admin_units()
        return self._units

    # -- places --------------------------------------------------------------------------------
    def _province(self, name: str, current: bool | None) -> Unit | None:
        name = self.rules.aliases.get(fold(name), name)
        for era in (True, False) if current else (False, True):
            found = self.units.province(name, current=era)
            if found:
                return found
        return None

    def _kind(self, kind: str, name: str, current: bool | None) -> str:
        """``province``, ``district`` or ``commune`` for a unit as printed (``thành phố`` is either)."""
        k = fold(kind)
        if k in self.rules.province_kinds and (k not in self.rules.district_kinds or self._province(name, current)):
            return "province"
        return "district" if k in self.rules.district_kinds else "commune"

    @functools.lru_cache(maxsize=4096)  # noqa: B019 - the instance lives as long as the run
    def where(self, issuer: str | None, place: str | None, year: int | None, month: int | None) -> Where:
        """Where a document is from: the units in its issuer's name, else (a local issuer) its place of issue."""
        current = _is_current(year, month)
        if not issuer:
            return Where(current=current)
        province = district = None
        for m in self.rules.unit.finditer(issuer):
            kind, name = m.group("kind"), m.group("name")
            level = self._kind(kind, name, current)
            if level == "province":
                province = self._province(name, current)
            elif level == "district" and district is None and current is not True:
                district = (kind, name)
        if district is not None:
            kind, name = district
            if province is None:
                province = self.units.province_of_district(kind, name)
            district = self.units.district(province, kind, name) if province else None
        if province is None and place and (fold(issuer).startswith(self.rules.local_issuers) or self.rules.bare.search(issuer)):
            province = self._province(place, current)
            if province is None and current is not True:
                for kind in ("Thành phố", "Thị xã", "Huyện", "Quận"):
                    province = self.units.province_of_district(kind, place)
                    if province:
                        break
        return Where(province, district, current)

    def _written(self, unit: Unit) -> str:
        full = f"{unit.kind} {unit.name}"
        return self.rules.proper.get(fold(full)) or f"{unit.kind.lower()} {unit.name}"

    # -- names ---------------------------------------------------------------------------------
    def _renamed(self, body: str) -> str:
        return self.rules.renamed.get(fold(body), body)

    def successor(self, agency: str | None, issuer=None, place=None, year=None, month=None) -> str | None:
        """Today's full name of ``agency`` in a document by ``issuer`` at ``place`` in ``year``/``month``, or None."""
        return self.change(agency, issuer, place, year, month).name

    @functools.lru_cache(maxsize=65536)  # noqa: B019 - the instance lives as long as the run
    def change(self, agency: str | None, issuer=None, place=None, year=None, month=None) -> Change:
        """``successor`` with what changed (``Change.reasons``), for the coverage figures."""
        if not agency:
            return Change()
        where = self.where(issuer, place, year, month)
        units = list(self.rules.unit.finditer(agency))
        body, parts, reasons = agency, [], set()
        printed = tuple(f"{fold(m.group('kind'))} {m.group('name')}" for m in units)
        if units:
            if agency[units[-1].end() :].strip(" ,.;"):
                return Change(places=printed)  # words after the place: not a name this can rewrite safely
            body = agency[: units[0].start()].rstrip(" ,")
            parts = [(m.group("kind"), m.group("name")) for m in units]
        elif where.province is not None:
            bare = self.rules.bare.search(agency)
            local = fold(agency).startswith(self.rules.departments) or fold(agency) in self.rules.local_bodies
            if bare and fold(bare.group("kind")) == fold(where.province.kind):
                body = agency[: bare.start()].rstrip()
                parts = [(where.province.kind, where.province.name)]
            elif local:
                parts = [(where.province.kind, where.province.name)]
            if parts:
                reasons.add("province from the document")
        new_body = self._renamed(body)
        if new_body != body:
            reasons.add("body renamed or merged")
        if not parts:
            return Change(new_body if new_body != agency else None, frozenset(reasons))
        today = self._today(parts, where)
        if today is None:
            return Change(places=printed)
        written, level, moved = today
        if level != "province":
            reasons.add(level)
        if moved:
            reasons.add("province merged")
        out = f"{new_body} {written}"
        if out == agency:
            return Change(places=printed, places_known=True)
        return Change(out, frozenset(reasons), printed, True)

    def _today(self, parts: list[tuple[str, str]], where: Where) -> tuple[str, str, bool] | None:
        """Today's place of the units named (smallest first), in writing (``xã Hữu Liên, tỉnh Lạng Sơn``), the
        level it was found at, and whether its province merged into another."""
        province = district = commune = None
        for kind, name in parts:
            level = self._kind(kind, name, where.current)
            if level == "province":  # a province named is looked up among the 63 first: today's 34 keep their names
                province = self._province(name, False)
                if province is None:
                    return None
            elif level == "district" and district is None:
                district = (kind, name)
            elif level == "commune" and commune is None:
                commune = (kind, name)
        if province is None:
            province = where.province
            if province is None and district is not None and commune is None:
                province = self.units.province_of_district(*district)
            if province is None:
                return None
        u = self.units
        if commune is not None:
            if where.current is not False:  # a document of today names today's communes
                new_province = u.province(province.name, current=True) or u.today(province).province
                found = u.new_commune_of(new_province, *commune)
                if found is not None:
                    return f"{self._written(found)}, {self._written(new_province)}", "commune found today", False
                if where.current:
                    return None
            old_district = u.district(province, *district) if district else where.district
            old = u.old_commune_of(province, commune[0], commune[1], old_district)
            if old is None and old_district is not None and district is None:
                old = u.old_commune_of(province, commune[0], commune[1], None)
            today = u.today(province, *old) if old else None
        elif district is not None:
            if where.current:
                return None
            old_district = u.district(province, *district)
            today = u.today(province, old_district) if old_district else None
        else:
            today = u.today(province)
        if today is None:
            return None
        moved = fold(today.province.name) != fold(province.name)
        if today.commune is None:
            return self._written(today.province), "province", moved
        level = "commune found today" if commune is not None else "district become a special zone"
        return f"{self._written(today.commune)}, {self._written(today.province)}", level, moved


@functools.cache
def successors() -> Successors:
    return Successors()


# ============================================================================ after a run

MARK = b"vanban.agency_successor"
"""Schema metadata key of a task_agencies file whose successors are filled; its value names what filled it."""


def fingerprint() -> bytes:
    """The rules file and the library version the successors come from: a change of either fills them again."""
    digest = hashlib.sha256((rules.RULES_DIR / "successors.toml").read_bytes())
    digest.update(_library_version().encode())
    digest.update(open(__file__, "rb").read())
    return digest.hexdigest()[:16].encode()


def _library_version() -> str:
    """The installed administrative-unit library's version, told by its ``.dist-info`` folder's name where
    it lies beside the package (found without importing it): every run asks, and ``importlib.metadata``
    costs 0.04 CPU s to import, a tenth of a one-file run."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is not None and spec.origin:
        site = Path(spec.origin).resolve().parent.parent
        found = sorted(p.name for p in site.glob("vietnamadminunits-*.dist-info"))
        if len(found) == 1:
            return found[0].removeprefix("vietnamadminunits-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("vietnamadminunits")


def fill_rows(rows: dict[str, list[dict]]) -> None:
    """Fill ``agency_successor`` in the rows of one document (``vanban parse``), in place."""
    doc = rows["documents"][0] if rows.get("documents") else {}
    s = successors()
    context = (doc.get("issuer"), doc.get("place"), doc.get("issue_year"), doc.get("issue_month"))
    for a in rows.get("task_agencies", []):
        a["agency_successor"] = s.successor(a["agency"], *context)


def _contexts(out) -> dict[str, tuple]:
    """Every document's (issuer, place, issue_year, issue_month), by ``doc_id``; equal tuples are one object."""
    shared: dict[tuple, tuple] = {}
    by_doc: dict[str, tuple] = {}
    for batch in out.batches("documents", ["doc_id", "issuer", "place", "issue_year", "issue_month"]):
        cols = [batch.column(i).to_pylist() for i in range(5)]
        for doc_id, *context in zip(*cols):
            context = tuple(context)
            by_doc[doc_id] = shared.setdefault(context, context)
    return by_doc


def fill_successors(output: str | os.PathLike) -> int:
    """Fill ``task_agencies.agency_successor`` in OUTPUT (local or fsspec, one file or partitions); returns the
    rows that have one in the files filled now (0 when every file was filled already).

    Memory: the documents' contexts (a few distinct tuples, one dict entry per document, as the citation
    linker's number index) and one row group, whatever the number of agencies."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipeline.output.arrays import array
    from pipeline.output.rewrite import marked, open_file, rewrite
    from pipeline.output.schema import TABLES
    from pipeline.query.files import Output

    out = Output.at(output)
    mark = fingerprint()
    todo = [path for path in out.files("task_agencies") if not marked(out, path, MARK, mark)]
    if not todo:
        return 0
    contexts = _contexts(out)
    none = (None, None, None, None)
    s = successors()
    schema = TABLES["task_agencies"]
    column = schema.get_field_index("agency_successor")
    filled = 0

    def tables(path: str):
        nonlocal filled
        with open_file(out, path, "rb") as fh:
            source = pq.ParquetFile(fh)
            for i in range(source.num_row_groups):
                table = source.read_row_group(i).select(schema.names).cast(schema)
                names = [
                    s.successor(agency, *contexts.get(doc_id, none))
                    for doc_id, agency in zip(table.column("doc_id").to_pylist(), table.column("agency").to_pylist())
                ]
                filled += sum(n is not None for n in names)
                yield table.set_column(column, schema.field(column), array(names, pa.string()))

    for path in todo:
        rewrite(out, path, tables(path), schema.with_metadata({MARK: mark}), tag="successors")
    return filled


# ============================================================================ coverage

def coverage(output: str | os.PathLike) -> list[tuple[str, int, int]]:
    """How many agency rows, distinct names and distinct places named in them get a successor, and why:
    ``(what, how many get one, out of)`` rows, for the README (``python -m pipeline.output.successors OUTPUT``)."""
    from pipeline.query.sql import connect

    con = connect(str(output), ["documents", "task_agencies"])
    groups = con.execute(
        """SELECT a.agency, d.issuer, d.place, d.issue_year, d.issue_month, count(*) AS n
           FROM task_agencies a LEFT JOIN (SELECT doc_id, any_value(issuer) AS issuer, any_value(place) AS place,
                any_value(issue_year) AS issue_year, any_value(issue_month) AS issue_month FROM documents GROUP BY doc_id) d
           USING (doc_id) WHERE a.agency IS NOT NULL GROUP BY ALL"""
    ).fetchall()
    s = successors()
    rows = named = 0
    reasons: dict[str, int] = {}
    names, names_with, places, places_known = set(), set(), set(), set()
    for agency, issuer, place, year, month, n in groups:
        ch = s.change(agency, issuer, place, year, month)
        names.add(agency)
        places.update(ch.places)
        if ch.places_known:
            places_known.update(ch.places)
        if ch.name:
            rows += n
            names_with.add(agency)
            for r in ch.reasons:
                reasons[r] = reasons.get(r, 0) + n
        named += n
    out = [("agency rows", rows, named)]
    out += [(f"… {why}", k, named) for why, k in sorted(reasons.items(), key=lambda x: -x[1])]
    out += [("distinct agency names", len(names_with), len(names)), ("distinct places named in them, today's found", len(places_known), len(places))]
    return out


if __name__ == "__main__":
    import sys

    print("| | get one | of |\n|---|---:|---:|")
    for what, k, n in coverage(sys.argv[1]):
        print(f"| {what} | {k:,} ({k / n:.0%}) | {n:,} |" if n else f"| {what} | 0 | 0 |")
