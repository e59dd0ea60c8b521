"""Provinces, districts and communes before and after the 2025 reorganisation, from ``vietnamadminunits``.

The library (MIT, offline: its data ships in the wheel) is what underthesea's ``convert_address``
is built on; it is used here directly because underthesea would bring a model hub client and
its whole NLP stack for one function. Only its public API is called: ``database.get_data`` (the
63-province and the 34-province tables) and ``convert_address`` (old unit → new unit), always
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
import json
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


def _keywords(value: str | None) -> list[str]:
    return json.loads(value) if value else []


class AdminUnits:
    """Indexes over the library's two tables, built once per process (about a second)."""

    def __init__(self) -> None:
        from vietnamadminunits.database import get_data

        fields = ["province", "provinceShort", "provinceKeywords", "ward", "wardShort", "wardKeywords"]
        legacy = get_data(fields=[*fields, "district", "districtShort", "districtKeywords"], table="admin_units_legacy")
        current = get_data(fields=fields, table="admin_units")
        self.old_province: dict[str, Unit] = {}
        self.old_district: dict[tuple[Unit, str], set[Unit]] = {}
        self.old_commune: dict[tuple[Unit, str], set[tuple[Unit, Unit]]] = {}
        self.new_province: dict[str, Unit] = {}
        self.new_commune: dict[tuple[Unit, str], set[Unit]] = {}
        for r in legacy:
            province = Unit.of(r["province"], r["provinceShort"])
            for k in _keywords(r["provinceKeywords"]):
                self.old_province.setdefault(k, province)
            district = Unit.of(r["district"], r["districtShort"])
            for k in _keywords(r["districtKeywords"]):
                self.old_district.setdefault((province, k), set()).add(district)
            if r["ward"]:
                commune = Unit.of(r["ward"], r["wardShort"])
                for k in _keywords(r["wardKeywords"]):
                    self.old_commune.setdefault((province, k), set()).add((district, commune))
        for r in current:
            province = Unit.of(r["province"], r["provinceShort"])
            for k in _keywords(r["provinceKeywords"]):
                self.new_province.setdefault(k, province)
            commune = Unit.of(r["ward"], r["wardShort"])
            for k in _keywords(r["wardKeywords"]):
                self.new_commune.setdefault((province, k), set()).add(commune)

    # -- looking names up ---------------------------------------------------------------------
    def province(self, name: str, current: bool = False) -> Unit | None:
        """The province of a printed name (``Bình Thuận``, ``tỉnh Bình Thuận``, ``TP. Hồ Chí Minh``), before or after 2025."""
        k = key(name)
        index = self.new_province if current else self.old_province
        return index.get(k) or index.get(key(name.split(" ", 1)[-1])) if k else None

    def district(self, province: Unit, kind: str, name: str) -> Unit | None:
        """A district of a province (before 2025) by its printed kind and name; None if unknown or several fit."""
        found = self.old_district.get((province, key(f"{kind} {name}"))) or self.old_district.get((province, key(name)), set())
        return next(iter(found)) if len(found) == 1 else None

    def province_of_district(self, kind: str, name: str) -> Unit | None:
        """The province whose district (before 2025) this is, when only one province has a district of that name."""
        k = key(f"{kind} {name}")
        found = {p for (p, dk), _ in self.old_district.items() if dk == k}
        return next(iter(found)) if len(found) == 1 else None

    def old_commune_of(self, province: Unit, kind: str, name: str, district: Unit | None) -> tuple[Unit, Unit] | None:
        """(district, commune) of a commune as named before 2025, in ``district`` when given, else the one
        district of the province that has it."""
        found = self.old_commune.get((province, key(f"{kind} {name}")), set())
        if district is not None:
            found = {f for f in found if f[0] == district}
        return next(iter(found)) if len(found) == 1 else None

    def new_commune_of(self, province: Unit, kind: str, name: str) -> Unit | None:
        found = self.new_commune.get((province, key(f"{kind} {name}")), set())
        return next(iter(found)) if len(found) == 1 else None

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
