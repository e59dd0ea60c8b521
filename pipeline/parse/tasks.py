"""Tasks: who must do what, with whom, by when (ANNOTATION.md, "Tasks").

Tasks stand in the body (after the header, before the signature) and in plans or tables attached
after the signature (``task_zones.py``). The document's outline (``outline.py``) gives its numbered
items; a task is a leaf item in a part that assigns work: under a heading such as ``NỘI DUNG THỰC
HIỆN``, ``NHIỆM VỤ, GIẢI PHÁP``, ``TỔ CHỨC THỰC HIỆN``, ``Điều 19. Trách nhiệm …``, or after a
sentence that hands out work (``giao Sở Công Thương chủ trì … thực hiện một số nhiệm vụ sau:``).

Its lead is the agency it is addressed to (``Sở Tài chính có trách nhiệm …``, ``Giao Bộ Tài chính
chủ trì …``, a ``Đơn vị chủ trì:`` sub-item), else the one of the heading or sentence above it;
the cooperating agencies and a time a heading states (``… TRONG THÁNG 12/2025``) are passed down
with it. Bodies named together as leads (``Sở Tư pháp; UBND các xã``) give the first as lead and
the others as cooperating agencies. Rows of task tables are tasks too (``task_tables.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import regex

from pipeline.models import Deadline, DocumentFields, Task, TaskAgency
from pipeline.parse import doctype, patterns, task_zones
from pipeline.parse.agencies import AgencyMention, is_catch_all, leading_agencies, listed_agencies
from pipeline.parse.deadlines import find_deadline, parse_deadline
from pipeline.parse.outline import Block, blocks, nest
from pipeline.parse.task_leads import Lead, defined_forms, intro_lead, lead_of, own_lead, plural, support_in
from pipeline.parse.task_tables import table_rows
from pipeline.pattern_cache import compiled

__all__ = ["find_tasks", "own_lead", "intro_lead", "defined_forms"]

_EDITORIAL = compiled(r"\[[^\]\[]{0,400}\]")  # `[Cụm từ này bị thay thế bởi …]` notes of a website
# A line break before a lower-case word goes on with the sentence (text wrapped at any word: `phối hợp với UBND
# các huyện,` / `thị xã, thành phố`); an item's letter (`a)`) opens a new line. A paragraph of a DOCX never
# starts in lower case, so this reads wrapped text alike and leaves paragraphs as they are.
_WRAPPED_BREAK = compiled(r"\n(?=[ \t]*\p{Ll})(?![ \t]*\p{Ll}[)./][ \t])")


_LONE_BREAK = compiled(r"(?<!\n[ \t]*)\n(?![ \t]*\n)")


def _unwrapped(text: str) -> str:
    """``text`` with its wrapped line breaks read as spaces (same length: offsets stay offsets)."""
    return _WRAPPED_BREAK.sub(" ", text) if "\n" in text else text
_TERMINAL = ".;!?…"
_HEADING_LINE = 120  # an unnumbered line this short that ends no sentence reads as a heading
_NAME_WINDOW = 300  # an agency's name, or a list of them, fits in this many characters


# What may follow an agency's name in an item that assigns nothing: a parenthesis, final punctuation.
_BARE_REST = compiled(r"(?:\s*\([^()\n]{0,80}\))*\s*[;.,]?[ \t]*(?:/\.)?[ \t]*")


def _bare_name(text: str, lead: Lead) -> bool:
    """An item that is only its agencies' names (``Văn phòng Chính phủ (Cục KSTTHC);``, ``Bộ Công an, Bộ Tài
    chính (để báo cáo);``): a recipient list read as items when ``Nơi nhận`` was lost, never work handed out,
    which needs words of its own."""
    at = text.find(lead.printed)
    if at < 0 or text[:at].strip(" \t-–+•*"):
        return False
    end = at + len(lead.printed)
    for m in lead.co:  # the names read with it, as offsets into the text after `at`
        end = max(end, at + m.end)
    return bool(_BARE_REST.fullmatch(text, end))


def _p(name: str) -> regex.Pattern:
    return patterns.get("tasks", name)


@functools.cache
def _reporting_types() -> frozenset[str]:
    """Types of document that report or propose rather than hand out work (`Tờ trình`, `Báo cáo`)."""
    from pipeline import rules

    return frozenset(rules.load("tasks")["reporting_types"])


def _attr(name: str) -> regex.Pattern:
    return patterns.get_entry("tasks", ("attribute", name))


# ---------------------------------------------------------------- the outline, annotated


class _Item:
    """An outline block with what the task extractor knows of it.

    Its lead is read when first asked for: most blocks are never asked (only a leaf, a
    heading or a dash item needs it), and reading one is the extractor's costliest step.
    """

    def __init__(self, block: Block | None, text: str) -> None:
        self.block, self.text = block, text
        self.attrs: dict[str, list[str]] = {}

    @functools.cached_property
    def lead(self) -> Lead | None:
        b = self.block
        return own_lead(self.text, need_duty=b.kind is None) if b is not None and not b.quoted else None


def _heading_cue(text: str, intro: bool = False) -> int:
    """+1 for a heading that opens a part assigning work, -1 for one that closes it, 0 if neither.

    A heading speaks in its first words; a sentence introducing a list in its last ones
    (``… các bộ, ngành cần tập trung triển khai các nhiệm vụ trọng tâm sau đây:``).
    """
    if intro:  # its last sentence: `… giao nhiệm vụ. Căn cứ …, Bộ Nội vụ có ý kiến như sau:` has no cue
        head = text[-250:]
        cut = max(head.rfind(". "), head.rfind(".\n"), head.rfind("”\n"))
        head = head[cut + 1 :] if cut >= 0 else head
    else:
        head = text[:200]
    if not intro and _p("non_task_heading").match(head):
        return -1
    if patterns.found("tasks", "task_heading", head):
        return 1
    return 0


_ATTRIBUTES = ("lead", "support", "deadline", "other")


@functools.cache
def _any_attribute() -> regex.Pattern | None:
    return patterns.any_of([_attr(name) for name in _ATTRIBUTES])


@functools.cache
def _attribute_needles() -> tuple[str, ...] | None:
    """What an attribute sub-item holds whichever it is (each rule's ``needles``), None when a rule names none."""
    entries = [patterns.entry("tasks", ("attribute", name)) for name in _ATTRIBUTES]
    if any("needles" not in e for e in entries):
        return None
    return tuple({n: None for e in entries for n in e["needles"]})


def _attribute(text: str) -> tuple[str, str] | None:
    if (needles := _attribute_needles()) is not None and not any(map(text.__contains__, needles)):
        return None  # no `:`, no attribute: a test in C before any regex
    if (any_attribute := _any_attribute()) is not None and not any_attribute.match(text):
        return None  # most sub-items are no attribute: one test instead of four
    for name in _ATTRIBUTES:
        if m := _attr(name).match(text):
            return name, text[m.end() :]
    return None


@dataclass
class _Context:
    """What the headings and introducing sentences above an item pass down to it."""

    lead: Lead | None = None
    support: list[AgencyMention] = field(default_factory=list)
    deadline: Deadline | None = None


class _Extractor:
    def __init__(self, text: str, fields: DocumentFields, start: int, end: int, normative: bool, year: int | None) -> None:
        self.text, self.fields = text, fields
        self.start, self.end = start, end
        self.year = year
        self.normative = normative
        self.items: dict[int, _Item] = {}
        self.tasks: list[Task] = []
        self._cues: dict[tuple[int, bool], int] = {}  # per block: siblings share their ancestors
        self._intros: dict[int, Block | None] = {}
        self._executes: dict[int, bool] = {}
        self._parts: dict[int | None, str | None] = {}
        self._before: dict[int, dict[int, Block | None]] = {}
        self._frames: dict[int | None, _Context] = {}
        self._heading_deadlines: dict[int, Deadline | None] = {}
        self._sources: dict[tuple[int, bool], tuple[Lead, list[AgencyMention]] | None] = {}
        self._named: dict[str, tuple[str, str]] = {}  # `Nhà đầu tư` → the full name the document gave first
        self._last_own: dict[int, Lead | None] = {}  # per parent: the lead its last task named itself
        self.assigns = fields.doc_type not in _reporting_types()
        self.forms: dict[str, str] = {}  # short forms the document defines (set by find_tasks)
        self.annexed = False  # a document attached after the signature (set by find_tasks)

    def item(self, b: Block) -> _Item:
        it = self.items.get(id(b))
        if it is None:
            it = self.items[id(b)] = _Item(b, _unwrapped(self.text[b.start : b.end]))
        return it

    def run(self) -> list[Task]:
        """The tasks of the zone: its items and its tables' rows."""
        items = blocks(self.text, self.start, self.end)
        if self.normative and self.annexed and not any(b.kind == "dieu" for b in items):
            items = []  # an annex of a regulation with no article: forms and lists, only its tables are read
        for b in items:
            if b.kind in ("dash", "plus") and (lead := self.item(b).lead) and lead.heading_only:
                b.rank -= 0.5  # `- Ủy ban nhân dân các huyện:` owns the dashes below it
        top = nest(items, self._is_heading)
        self._walk(top, [])
        self._table_tasks()
        return self.tasks

    # ------------------------------------------------------------ tables

    def _table_tasks(self) -> None:
        for n, row in enumerate(table_rows(self.text, self.start, self.end), 1):
            task_cell = row.cells["task"]
            leads = listed_agencies(row.cells["lead"].text, cell=True) if "lead" in row.cells else []
            lead = lead_of(leads) if leads else None
            support = list(lead.co) if lead else []
            if "support" in row.cells:
                support += listed_agencies(row.cells["support"].text, cell=True)
            if "deadline" in row.cells:
                deadline = parse_deadline(row.cells["deadline"].text, self.year)
            else:
                deadline = self._found_deadline(task_cell.text, task_cell.start)
            self.tasks.append(
                Task(
                    task_no=0,
                    path=f"table.{n}",
                    section=row.section,
                    text=task_cell.text,
                    lead_agency=lead.name if lead else None,
                    agencies=self._agency_rows(lead, support),
                    deadline=deadline,
                    char_start=task_cell.start,
                    char_end=task_cell.end,
                )
            )

    # ------------------------------------------------------------ the outline

    def _is_heading(self, b: Block) -> bool:
        """Whether a block owns the unnumbered paragraphs after it: a `Điều`, a part, an agency's name,
        or a numbered line that does not end as a sentence does (`4. Về kinh phí cho …`)."""
        if b.kind in ("chapter", "dieu", "roman", "caps"):
            return True  # without reading its lead
        if b.kind in ("arabic", "arabic2", "paren", "alpha") and not self.text[b.start : b.end].rstrip(" *_")[-1:] in _TERMINAL:
            return True
        lead = self.item(b).lead
        return bool(lead and lead.heading_only)

    def _walk(self, siblings: list[Block], ancestors: list[Block]) -> None:
        self._take_attributes(siblings)
        counts: dict[str, int] = {}
        for b in siblings:
            key = b.kind or "para"
            counts[key] = counts.get(key, 0) + 1
            b.label = b.label if b.kind not in (None, "dash", "plus") else f"{'p' if b.kind is None else '-'}{counts[key]}"
            if b.children:
                inner = ancestors + [b]
                if not self._regulates(inner) and not self._closes(b) and not self._restates(b):
                    self._walk(b.children, inner)
            elif not b.quoted and b.kind != "caps":  # a heading in capitals is no task
                self._maybe_task(b, ancestors)

    def _closes(self, b: Block) -> bool:
        """An article or item that closes the document (`Điều 3. … chịu trách nhiệm thi hành Quyết định
        này`): what follows it (a signature, recipients, an attached charter) is none of its tasks."""
        if b.kind != "dieu" or self.text.find("nhiệm", b.start, min(b.end, b.start + 600)) < 0:
            return False  # the closing article names its executors' responsibility
        return patterns.found("tasks", "closing", self.item(b).text[:600])

    def _restates(self, b: Block) -> bool:
        """A part whose assignment is given elsewhere (`(Phân công nhiệm vụ theo Phụ lục đính kèm)`): its
        items restate the work of the table, they are not tasks of their own."""
        return any(c.kind is None and _p("annex_reference").match(self.text, c.start, c.end) for c in b.children)

    def _regulates(self, ancestors: list[Block]) -> bool:
        """Whether the items under ``ancestors`` stand in an article of a normative document that
        does not organise the work: ``_task_part`` says None for every one, so the walk skips them
        (most of a Nghị định or a Thông tư)."""
        if not self.normative:
            return False
        article = next((a for a in ancestors if a.kind == "dieu"), None)
        return article is not None and not self._executing(article)

    def _take_attributes(self, siblings: list[Block]) -> None:
        """Move `Cơ quan chủ trì: …` sub-items into their parent's attributes (with attribute lines printed
        with another marker under them: `- Đơn vị phối hợp: …` / `+ Thời hạn: …`)."""
        for b in list(siblings):
            for c in list(b.children):
                got = _attribute(self.item(c).text.strip())
                if not got:
                    continue
                below = [(g, d) for d in c.children if not d.children and (g := _attribute(self.item(d).text.strip()))]
                if len(below) != len(c.children):
                    continue
                for name, value in [got] + [g for g, _ in below]:
                    self.item(b).attrs.setdefault(name, []).append(value)
                b.children.remove(c)

    def _task_part(self, b: Block, ancestors: list[Block]) -> str | None:
        """How surely the item stands where work is assigned: ``strong``, ``weak`` or None.

        ``strong`` under a task heading or introducing sentence: items may inherit their lead.
        ``weak`` in a dispatch or decision with no such heading (``UBND tỉnh có ý kiến như
        sau:``): only an item that names its own agency, with a verb of duty, is a task.
        """
        if self.normative:
            article = next((a for a in ancestors if a.kind == "dieu"), None)
            if article is not None:
                return "strong" if self._executing(article) else None
            if self.annexed:
                return None  # a regulation's annex assigns by its articles only (its forms and lists do not)
        intro = self._intro(b)
        if intro is not None and (cue := self._cue(intro, True)):
            return "strong" if cue > 0 else None
        key = id(ancestors[-1]) if ancestors else None  # the rest depends on the parent only
        if key not in self._parts:
            self._parts[key] = self._part_above(ancestors)
        return self._parts[key]

    def _part_above(self, ancestors: list[Block]) -> str | None:
        """What the headings and introducing sentences above an item say (see ``_task_part``)."""
        for node in reversed(ancestors):
            if cue := self._cue(node, False):
                return "strong" if cue > 0 else None
            intro = self._intro(node)
            if intro is not None and (cue := self._cue(intro, True)):
                return "strong" if cue > 0 else None
        if self.normative or any(a.kind == "dieu" for a in ancestors):
            return None  # an article that does not organise the work regulates
        return "weak" if self.assigns else None  # a report tells what was done, save under a part of tasks

    def _executing(self, article: Block) -> bool:
        """Whether an article organises the work (``Tổ chức thực hiện``), remembered for its items."""
        if id(article) not in self._executes:
            self._executes[id(article)] = bool(_p("executing_article").match(self.item(article).text))
        return self._executes[id(article)]

    def _cue(self, b: Block, intro: bool) -> int:
        key = (id(b), intro)
        if key not in self._cues:
            self._cues[key] = _heading_cue(self.item(b).text, intro)
        return self._cues[key]

    def _intro(self, b: Block) -> Block | None:
        """The unnumbered paragraph just before a list, when it ends with a colon.

        Remembered per block: a list of children changes (``_take_attributes``) only before
        the walk enters it, and this is asked only of blocks the walk has entered.
        """
        if id(b) not in self._intros:
            self._intros[id(b)] = self._find_intro(b)
        return self._intros[id(b)]

    def _find_intro(self, b: Block) -> Block | None:
        parent_children = b.parent.children if b.parent else []
        before = self._paragraph_before(b.parent, parent_children)
        if id(b) in before:
            c = before[id(b)]
            return c if c is not None and self._introduces(c) else None
        idx = -1  # not among its parent's children (never, once nested): read as it always was
        for c in reversed(parent_children[:idx]):
            if c.kind is None:
                return c if self._introduces(c) else None
        return None

    def _introduces(self, c: Block) -> bool:
        """Whether an unnumbered paragraph introduces the list after it: it ends with a colon, or it is a
        short line that ends no sentence (a heading whose bold type the text lost: `Nhiệm vụ cụ thể`)."""
        head = self.text[c.start : c.end].rstrip(" *_")
        return head.endswith(":") or (len(head) <= _HEADING_LINE and "\n" not in head and head[-1:] not in _TERMINAL + ",")

    def _paragraph_before(self, parent: Block | None, children: list[Block]) -> dict[int, Block | None]:
        """For each of a parent's children, the nearest unnumbered paragraph before it: worked
        out once per parent, not by a scan back for every child (a list of thousands)."""
        if id(parent) not in self._before:
            table: dict[int, Block | None] = {}
            last = None
            for c in children:
                table.setdefault(id(c), last)
                if c.kind is None:
                    last = c
            self._before[id(parent)] = table
        return self._before[id(parent)]

    # ------------------------------------------------------------ what is passed down

    def _source(self, it: _Item, intro: bool) -> tuple[Lead, list[AgencyMention]] | None:
        """The lead a heading or an introducing sentence gives the items below it, and the cooperating
        agencies it names with it (`Giao Sở Tư pháp chủ trì, phối hợp với Sở Tài chính:`); worked out once
        per heading, which all its items ask."""
        key = (id(it), intro)
        if key not in self._sources:
            self._sources[key] = self._read_source(it, intro)
        return self._sources[key]

    def _read_source(self, it: _Item, intro: bool) -> tuple[Lead, list[AgencyMention]] | None:
        lead = self._attr_lead(it)
        if lead is None and not intro:
            lead = it.lead
        if lead is None and intro and not it.text.rstrip(" *_").endswith(":"):
            own = own_lead(it.text)  # an unnumbered agency heading (`Sở Nội vụ`) owns the list below it
            lead = own if own is not None and own.heading_only else None
        if lead is None and (intro or it.text.rstrip(" *_").endswith(":")):
            lead = intro_lead(it.text)
        if lead is None:
            return None
        lead = self._expand(lead, it.text)
        return lead, list(lead.co) + self._attr_support(it) + support_in(it.text)

    def _inherited(self, b: Block, ancestors: list[Block]) -> _Context:
        """The lead, cooperating agencies and time passed down to ``b``: from the nearest heading or
        introducing sentence that names a body; the time from the nearest heading that states one."""
        lead_ctx = self._inherited_lead(b, ancestors)
        ctx = _Context(lead_ctx[0], lead_ctx[1]) if lead_ctx else _Context()
        ctx.deadline = self._heading_deadline(ancestors)
        return ctx

    def _inherited_lead(self, b: Block, ancestors: list[Block]) -> tuple[Lead, list[AgencyMention]] | None:
        """The nearest lead above ``b``, with the cooperating agencies of its source and of the items between
        that introduce ``b``'s list (`- Chủ trì, phối hợp chặt chẽ với Ban Quản lý dự án …, trong đó:`)."""
        node: Block | None = b
        between: list[AgencyMention] = []
        for parent in [None] + ancestors[::-1]:
            if parent is not None:
                it = self.item(parent)
                if got := self._source(it, False):
                    return got[0], got[1] + between
                if it.text.rstrip(" *_").endswith(":"):
                    between += support_in(it.text)
                node = parent
            intro = self._intro(node)
            if intro is not None and (got := self._source(self.item(intro), True)):
                return got[0], got[1] + between
        return None

    def _heading_deadline(self, ancestors: list[Block]) -> Deadline | None:
        """A time stated by a heading above the item (`I. NHỮNG VIỆC CẦN LÀM NGAY TRONG THÁNG 12/2025`,
        `- … kế hoạch … hàng năm, bao gồm:`): it frames the items that state none of their own."""
        for a in reversed(ancestors):
            if a.kind is None:
                continue
            if id(a) not in self._heading_deadlines:
                head = self.text[a.start : a.end][:400]
                self._heading_deadlines[id(a)] = find_deadline(head, self.year) if head.strip() else None
            if d := self._heading_deadlines[id(a)]:
                return d
        return None

    def _attr_lead(self, it: _Item) -> Lead | None:
        for value in it.attrs.get("lead", []):
            if found := listed_agencies(_p("role_tail").split(value, 1)[0]):
                return lead_of(found)
        return None

    def _attr_support(self, it: _Item) -> list[AgencyMention]:
        found: list[AgencyMention] = []
        for value in it.attrs.get("lead", []):
            found += support_in(value)
        for value in it.attrs.get("support", []):
            found += listed_agencies(value)
        return found

    # ------------------------------------------------------------ one item

    def _maybe_task(self, b: Block, ancestors: list[Block]) -> None:
        # Every test below only decides whether to return: they run cheapest first, and the
        # regexes over the item's whole text only for an item that has found its lead.
        it = self.item(b)
        part = self._task_part(b, ancestors)
        if part is None:
            return
        if b.kind is None and not (ancestors and self._is_heading(ancestors[-1])):
            if not it.lead:  # a paragraph outside a list is a task only when it names its agency
                return
        if b.kind is None and it.text.rstrip(" *_").endswith(":"):
            return  # a sentence introducing the items after it (`Giao Sở Tư pháp chủ trì, phối hợp với …:`)
        plain = _EDITORIAL.sub("", it.text)
        if not plain.strip() or patterns.found("tasks", "closing", plain) or _p("amendment").match(plain) or _p("member_line").match(plain):
            return
        if part == "weak" and b.kind is None and not _p("lead_prefix").match(it.text):
            return  # an unnumbered paragraph of a dispatch: only `Giao X …` hands out work
        own, opening = self._own(it, b, part)
        lead, ctx = own, None
        if lead is None and part == "weak":
            if h := self._heading_lead(ancestors):
                lead, ctx = h, _Context(h, list(h.co), self._heading_deadline(ancestors))
        elif lead is None:
            ctx = self._inherited(b, ancestors)
            lead = ctx.lead
            if lead is None and _p("anaphor").search(plain[:300]):
                lead = self._last_own.get(id(b.parent))  # `…, các đơn vị có trách nhiệm …`
        if lead is None and not self._unaddressed_task(part, plain):
            return
        if opening and _bare_name(it.text, own):
            return
        if _p("principle").match(plain):
            return
        start = b.start + (own.text_from if opening else 0)
        start += len(self.text[start : b.end]) - len(self.text[start : b.end].lstrip())
        body = self.text[start : b.end]
        if not body.strip():
            return
        if ctx is None:
            ctx = _Context(deadline=self._heading_deadline(ancestors))
        support = (list(lead.co) if lead else []) + (ctx.support if own is None else [])
        support += self._attr_support(it) + support_in(_LONE_BREAK.sub(" ", body))  # a list reads on over lines
        if own is not None:
            self._last_own[id(b.parent)] = own
        lead = self._resolve(lead)
        task = Task(
            task_no=len(self.tasks) + 1,
            path=".".join(p for x in ancestors + [b] if (x.kind is not None or x is b) and (p := _path_part(x))),
            section=self._section(ancestors),
            text=body,
            lead_agency=lead.name if lead else None,
            agencies=self._agency_rows(lead, support),
            deadline=self._deadline(it, body, start, ctx.deadline),
            char_start=start,
            char_end=b.end,
        )
        self.tasks.append(task)

    def _own(self, it: _Item, b: Block, part: str) -> tuple[Lead | None, bool]:
        """The lead an item names itself, and whether it opens the item (its label then leaves the text):
        a `Đơn vị chủ trì:` sub-item, the body opening the item, or `Giao X` inside it. In a dispatch with no
        part of tasks (``weak``), an opening body counts only with a verb of duty."""
        opening = it.lead if it.lead is not None and not it.lead.heading_only else None
        if part == "weak" and b.kind is not None and not b.quoted:
            opening = own_lead(it.text, need_duty=True)  # (a paragraph's lead was read so already)
            opening = opening if opening and not opening.heading_only else None
        if attr := self._attr_lead(it):
            return attr, False
        if opening is not None:
            return (opening if part == "weak" else self._expand(opening, it.text)), True
        return (None if part == "weak" else self._inner_lead(it.text)), False

    def _unaddressed_task(self, part: str, text: str) -> bool:
        """Whether an item no body is named for is a task (its lead null): a directive (`Bố trí đủ kinh phí
        …`, `Từng cấp, từng ngành phải …`) in a part that assigns work, in a document that hands out work
        (a regulation's unaddressed items are rules; a heading in capitals, a condition, a principle are no
        directives)."""
        if part != "strong" or self.normative or not self.assigns:
            return False
        if not _p("directive").match(text) or _p("principle").match(text) or _p("condition").match(text):
            return False
        return patterns.upper_ratio(text[:120]) < 0.6

    def _inner_lead(self, text: str) -> Lead | None:
        """`Giao X …` inside an item that does not open with its agency (`Đến nay, … . Giao Sở Khoa học
        và Công nghệ chủ trì …`, `Khi có kết quả … giao Sở Nội vụ chủ trì …`)."""
        for m in _p("inner_giao").finditer(text, 0, min(len(text), 1200)):
            if found := leading_agencies(text[m.end() : m.end() + _NAME_WINDOW]):
                return lead_of(found)
        return None

    def _heading_lead(self, ancestors: list[Block]) -> Lead | None:
        """The agency of the nearest enclosing agency heading (`3. UBND các huyện:`)."""
        for a in reversed(ancestors):
            it = self.item(a)
            if it.lead and it.lead.heading_only and it.text.rstrip(" *_").endswith(":"):
                return it.lead
        return None

    def _expand(self, lead: Lead, text: str) -> Lead:
        """A lead in a document's short form (`Các bộ`, `các tỉnh`) as the long form it defined, with the
        short forms named after it as co-leads (`Các bộ, các tỉnh: …`)."""
        if not self.forms:
            return lead
        name = self._defined(lead.name)
        co = [AgencyMention(m.text, self._defined(m.name), m.start, m.end) for m in lead.co]
        at = text.find(lead.printed)
        if at >= 0 and not lead.co:
            pos = at + len(lead.printed)
            while m := _p("more_short_forms").match(text, pos):
                full = self._defined(m.group("form"))
                if full == m.group("form"):
                    break
                co.append(AgencyMention(m.group("form"), full, m.start("form"), m.end("form")))
                pos = m.end()
        if name == lead.name and co == list(lead.co):
            return lead
        return Lead(name, lead.printed, lead.text_from, lead.heading_only, tuple(co))

    def _defined(self, name: str) -> str:
        """``name`` as the long form of a short form the document defined, if it is one."""
        words = " ".join(name.split()).lower()
        many = words.startswith("các ")
        short = words[4:] if many else words
        if short not in self.forms:
            return name
        return plural(self.forms[short], short) if many else self.forms[short]

    def _resolve(self, lead: Lead | None) -> Lead | None:
        """A short mention of a body the document named in full before (`Nhà Đầu tư`, `Nhà đầu tư 02 dự
        án` after `Nhà đầu tư của 02 dự án đường bộ cao tốc …`) is that body."""
        if lead is None:
            return None
        name = self._resolved_name(lead.name)
        return lead if name == lead.name else Lead(name, lead.printed, lead.text_from, lead.heading_only, lead.co)

    def _resolved_name(self, name: str) -> str:
        m = _p("short_form").match(name)
        if not m:
            return name
        key = m.group("head").lower()
        rest = name[m.end() :].split()
        if len(rest) >= 4 and any(w[0].isupper() for w in rest):
            self._named.setdefault(key, (name, name))
            return name
        if len(rest) <= 3 and not any(w[0].isupper() for w in rest) and key in self._named:
            return self._named[key][0]
        return name

    def _agency_rows(self, lead: Lead | None, support: list[AgencyMention]) -> list[TaskAgency]:
        rows = [TaskAgency("lead", lead.name, lead.printed)] if lead else []
        seen = {lead.name} if lead else set()
        for a in support:
            name = self._defined(self._resolved_name(a.name))
            if name in seen or is_catch_all(name):
                continue
            seen.add(name)
            rows.append(TaskAgency("support", name, a.text))
        return rows

    def _found_deadline(self, body: str, start: int) -> Deadline | None:
        d = find_deadline(body, self.year)
        if d and d.char_start >= 0:
            d.char_start += start
            d.char_end += start
        return d

    def _deadline(self, it: _Item, body: str, start: int, framed: Deadline | None) -> Deadline | None:
        d = None
        for value in it.attrs.get("deadline", []):
            if d := parse_deadline(value.strip(), self.year):
                break
        if d is None and body:
            d = self._found_deadline(body, start)
        if d is None or d.kind is None:
            return framed
        if d.kind == "ongoing" and d.start is None and d.end is None and framed is not None and framed.kind in ("year", "month", "quarter", "range"):
            d.start, d.end = framed.start, framed.end  # `Thường xuyên …` under `… TRONG NĂM 2026`
        return d

    def _section(self, ancestors: list[Block]) -> str | None:
        for a in reversed(ancestors):
            if a.kind in ("roman", "dieu", "caps"):
                title = self.text[a.start : a.end].strip().split("\n")[0][:150].strip()
                label = f"Điều {a.label}" if a.kind == "dieu" else a.label
                return f"{label}. {title}".strip(". ") if title else label
        return None


def _path_part(b: Block) -> str:
    return f"Điều {b.label}" if b.kind == "dieu" else b.label


def find_tasks(text: str, fields: DocumentFields | None = None) -> list[Task]:
    """Every task of a normalized document text, in document order."""
    fields = fields or DocumentFields()
    normative = doctype.is_normative_type(fields.doc_type)
    zones = task_zones.find(text)
    forms = defined_forms(text)
    main = _Extractor(text, fields, zones.start, zones.end, normative, fields.issue_year)
    main.forms = forms
    tasks = main.run()
    for a in zones.attachments:
        # A plan attached to a decision lays out work; a regulation (Quy chế, Điều lệ) or any annex of a
        # normative document assigns it by its articles of responsibility only.
        ex = _Extractor(text, fields, a.start, a.end, normative or a.kind == "rules", a.year or fields.issue_year)
        ex.forms, ex.annexed = forms, True
        tasks += ex.run()
    tasks.sort(key=lambda t: t.char_start)
    for no, task in enumerate(tasks, 1):
        task.task_no = no
    return tasks
