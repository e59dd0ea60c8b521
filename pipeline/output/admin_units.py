"""Provinces, districts and communes before and after the 2025 reorganisation, from ``vietnamadminunits``.

The library (MIT, offline: its data ships in the wheel) is what underthesea's ``convert_address``
is built on; it is used here directly because underthesea would bring a model hub client and
its whole NLP stack for one function. Only its public API is called: ``database.query`` (SQL over
its 63-province and 34-province tables, one query per distinct name asked, so the tables are
never held in memory) and ``convert_address`` (old unit → new unit), always
with an address made of unit names the tables hold and no street, the one case in which the
library would ask a geocoder on the network.

On 1 July 2025 (Nghị quyết 202/2025/QH15) 63 provinces became 34, the district level was
abolished and communes were merged (10,040 → 3,321). A name is looked up as printed (case,
diacritics and spaces aside, with the library's own aliases), in the province it belongs to; a
commune named without its district is found when only one district of the province has it.
Anything ambiguous or unknown gives None: no guess is written as a fact.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from pipeline.query.fold import fold


def key(text: str) -> str:
    """The library's kind of key: lower case ASCII letters and digits, nothing else (``Tỉnh Lâm Đồng`` → ``tinhlamdong``)."""
    return fold(text).replace(" ", "")


@dataclass(frozen=True)
class Unit:
    """A unit as the library names it: ``kind`` is its own word (``Tỉnh``, ``Thành phố``, ``Xã``, ``Phường``,
    ``Thị trấn``, ``Đặc khu``, ``Huyện``, ``Quận``, ``Thị xã``), ``name`` the rest (``Lâm Đồng``)."""

    kind: str
    name: str

    @classmethod
    def of(cls, full: str, short: str) -> Unit:
        return cls(full[: len(full) - len(short)].strip(), short)


@dataclass(frozen=True)
class Today:
    """Where a unit is today: its commune (or special zone) when it has one, and its province."""

    province: Unit
    commune: Unit | None = None


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _has_keyword(column: str, k: str) -> str:
    """SQL: the library's JSON list of keywords in ``column`` holds ``k`` (a key: ASCII letters and digits only)."""
    return f"""{column} LIKE '%"{k}"%'"""


class AdminUnits:
    """Look-ups in the library's two tables (the 63-province one and the 34-province one), one SQL query per
    distinct name asked, each answer kept: the tables are never held in memory whole."""

    @staticmethod
    def _query(sql: str) -> list[dict]:
        from vietnamadminunits.database import query

        return query(sql)

    def _units(self, sql: str, full: str, short: str) -> set[Unit]:
        return {Unit.of(r[full], r[short]) for r in self._query(sql)}

    # -- looking names up ---------------------------------------------------------------------
    @functools.lru_cache(maxsize=None)  # noqa: B019 - one instance per process
    def province(self, name: str, current: bool = False) -> Unit | None:
        """The province of a printed name (``Bình Thuận``, ``tỉnh Bình Thuận``, ``TP. Hồ Chí Minh``), before or after 2025."""
        table = "admin_units" if current else "admin_units_legacy"
        for k in dict.fromkeys((key(name), key(name.split(" ", 1)[-1]))):
            if k:
                found = self._units(
                    f"SELECT DISTINCT province, provinceShort FROM {table} WHERE {_has_keyword('provinceKeywords', k)}", "province", "provinceShort"
                )
                if len(found) == 1:
                    return found.pop()
        return None

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def district(self, province: Unit, kind: str, name: str) -> Unit | None:
        """A district of a province (before 2025) by its printed kind and name; None if unknown or several fit."""
        for k in (key(f"{kind} {name}"), key(name)):
            found = self._units(
                f"""SELECT DISTINCT district, districtShort FROM admin_units_legacy
                    WHERE provinceShort = {_literal(province.name)} AND {_has_keyword('districtKeywords', k)}""",
                "district",
                "districtShort",
            )
            if found:
                return found.pop() if len(found) == 1 else None
        return None

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def province_of_district(self, kind: str, name: str) -> Unit | None:
        """The province whose district (before 2025) this is, when only one province has a district of that name."""
        found = self._units(
            f"SELECT DISTINCT province, provinceShort FROM admin_units_legacy WHERE {_has_keyword('districtKeywords', key(f'{kind} {name}'))}",
            "province",
            "provinceShort",
        )
        return found.pop() if len(found) == 1 else None

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def old_commune_of(self, province: Unit, kind: str, name: str, district: Unit | None) -> tuple[Unit, Unit] | None:
        """(district, commune) of a commune as named before 2025, in ``district`` when given, else the one
        district of the province that has it."""
        rows = self._query(
            f"""SELECT DISTINCT district, districtShort, ward, wardShort FROM admin_units_legacy
                WHERE provinceShort = {_literal(province.name)} AND {_has_keyword('wardKeywords', key(f'{kind} {name}'))}"""
        )
        found = {(Unit.of(r["district"], r["districtShort"]), Unit.of(r["ward"], r["wardShort"])) for r in rows}
        if district is not None:
            found = {f for f in found if f[0] == district}
        return next(iter(found)) if len(found) == 1 else None

    @functools.lru_cache(maxsize=None)  # noqa: B019
    def new_commune_of(self, province: Unit, kind: str, name: str) -> Unit | None:
        found = self._units(
            f"""SELECT DISTINCT ward, wardShort FROM admin_units
                WHERE provinceShort = {_literal(province.name)} AND {_has_keyword('wardKeywords', key(f'{kind} {name}'))}""",
            "ward",
            "wardShort",
        )
        return found.pop() if len(found) == 1 else None

    # -- what became of them --------------------------------------------------------------------
    @functools.lru_cache(maxsize=None)  # noqa: B019 - one instance per process
    def today(self, province: Unit, district: Unit | None = None, commune: Unit | None = None) -> Today | None:
        """What an old province, district or commune is today (a district only when it became one unit, as the
        island districts became special zones; the other districts were abolished: None)."""
        from vietnamadminunits import ParseMode, convert_address, parse_address

        parts = [u for u in (commune, district, province) if u is not None]
        address = ", ".join(f"{u.kind} {u.name}" for u in parts)
        if parse_address(address, mode=ParseMode.LEGACY, keep_street=True, level=3).street:
            return None  # never: the address holds only the tables' own names; a street would mean a geocoder call
        new = convert_address(address)
        if not new.province:
            return None
        today_province = Unit.of(new.province, new.short_province)
        if commune is None and district is None:
            return Today(today_province)
        if not new.ward:
            return None
        return Today(today_province, Unit.of(new.ward, new.short_ward))


@functools.cache
def admin_units() -> AdminUnits:
    return AdminUnits()
