"""A section's blocks in, the same blocks out with lines addressed to the image model folded into DirectiveBlocks.

Prompts talk to the image model in the middle of their content: ``Create a Mermaid flowchart showing:``,
``3-5 bullet points summarizing:``, ``다음 Mermaid mindmap으로 전체 주제 구조 시각화:``. Such a line is not a
note for the reader; what it introduces (the fence, the nested list, the tables after it) is. Real
prompts word these lines in endless ways, so they are recognised by grammar, not by a list of sentences:

* English: an imperative verb opening the line (``Create``, ``Draw``, ``Summarize``…) with a drawing
  object in the same sentence (diagram, chart, flowchart, table, mind map, bullets, quotes, icons…), or
  with ``following``/an annotation object and a closing colon; or a count opening the line
  (``3-5 bullet points summarizing:``, ``Two tables comparing…:``).
* Korean: a drawing object (표, 다이어그램, 마인드맵, 흐름도… or an English one) with a drawing verb
  (시각화, 그려, 만들어, 표현, 정리…) ending the sentence, with a request ending (주세요, 하세요…) or a
  colon; text inside quotation marks never counts, so quoted speech stays prose.

Each directive takes its payload: the item's nested list, or the blocks after it up to the next heading
or directive, stopping once it holds what the directive asks for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nanosheet.model import (
    Block,
    DirectiveBlock,
    DirectiveKind,
    HeadingBlock,
    Item,
    ListBlock,
    TextBlock,
)

_MAX_CHARS = 220
"""A directive is one sentence; a longer paragraph that happens to open with "Show" is prose."""

_VERB = (
    r"create|draw|show|include|extract|visuali[sz]e|generate|add|illustrate|use|make|design|render|depict|"
    r"present|display|list|summari[sz]e|group|build|produce|provide|put|highlight|sketch|plot|convert|"
    r"organi[sz]e|arrange|format|turn|insert|represent|compile|map out|lay out|capture|chart|diagram|"
    r"outline|break down|write out"
)
_COMPOUND = (r"(?:cases?|comprehensions?|patterns?|docs?|names?|farms?|twists?|reviews?|hn|ups?|downs?|"
             r"offs?|ons?)\b")
"""Nouns that make a compound with a verb-looking word (``Use cases``, ``List comprehension``): no imperative."""
_NOTE = re.compile(r"^\S+\s+(?:the|a|an|all|each|every|both|how|what|why|which|where|this|these|that|those|"
                   r"its|their|key|main|\d)\b", re.IGNORECASE)
"""An instruction without a drawing object reads verb + determiner (``Show the input size``)."""
_LEAD = re.compile(r"^\s*(?:[-*+•]\s+|\d{1,2}[.)]\s+)?(?:\*\*)?\s*(?:please\s+|then\s+|also\s+)?", re.IGNORECASE)
_IMPERATIVE = re.compile(rf"^(?:{_VERB})(?=\s)(?!\s*[-–—→:,])(?!\s+{_COMPOUND})", re.IGNORECASE)
_NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
                 "nine": 9, "ten": 10, "a couple of": 2, "a few": 3, "several": 4}
_COUNT = r"(?:\d{1,2}(?:\s*[-–~]\s*\d{1,2})?|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)"

_B = r"(?:(?<![A-Za-z])(?=[A-Za-z])|(?<=[A-Za-z])(?![A-Za-z]))"
"""A word boundary for English words only: ``mindmap으로`` still ends the word ``mindmap``."""

# Drawing objects, most specific first: the first kind found names what is asked for. English words
# are regex fragments matched as whole words; Korean ones anywhere (Korean glues particles to nouns).
_OBJECT_WORDS: list[tuple[DirectiveKind, str, str]] = [
    ("sequence", r"sequence\s+diagrams?", r"시퀀스\s*다이어그램"),
    ("mindmap", r"mind\s*-?\s*maps?", r"마인드\s*맵"),
    ("flow", r"flow\s*-?\s*charts?|(?:flow|process|workflow|pipeline|state)\s+diagrams?",
     r"플로우\s*차트|흐름\s*도|순서\s*도|흐름\s*다이어그램|플로우\s*다이어그램"),
    ("checklist", r"check\s*-?\s*lists?|to-?do\s+lists?", r"체크\s*리스트"),
    ("table", r"tables?(?!\s+of\s+contents)|matrix|matrices",
     r"테이블|매트릭스|(?:비교|요약|정리)표|(?<![가-힣])표(?=[로를으와가는에도\s,.:：]|$)"),
    ("quotes", r"quot(?:es|ations?)|quote\s+cards?", r"인용(?:문|구)?|명언"),
    ("code", r"code\s+(?:blocks?|snippets?|fences?)", r"코드\s*블록"),
    ("bullets", r"bullets?(?:\s+points?|\s+lists?)?|bulleted|numbered\s+lists?|key\s+points|as\s+(?:a\s+)?lists?",
     r"불릿|글머리|목록|리스트|요점"),
    ("icon", r"icons?|emojis?", r"아이콘|이모지"),
    ("diagram", r"diagrams?|charts?|graphs?|schematics?|infographics?|illustrations?|visuals?|"
                r"visuali[sz]ations?|figures?|timelines?|cards|mermaid|cycle|visual\s+comparison",
     r"다이어그램|도식|도표|차트|그래프|그림|타임라인|인포그래픽|카드|시각\s*자료|머메이드"),
]
_OBJECTS: list[tuple[DirectiveKind, re.Pattern[str]]] = [
    (kind, re.compile(rf"{_B}(?:{english}){_B}|{korean}", re.IGNORECASE)) for kind, english, korean in _OBJECT_WORDS
]
_OBJECTS_AT = [re.compile(rf"\s+(?:[\w-]+\s+){{0,2}}?(?:{p.pattern})", re.IGNORECASE) for _, p in _OBJECTS]
"""Each drawing object, matched a few words after a count."""
_ANNOTATIONS = re.compile(
    r"\b(?:the\s+)?following\b|\b(?:descriptions?|captions?|labels?|annotations?|notes|examples?|explanations?|"
    r"definitions?|details|steps|points|items|concepts|terms|insights|takeaways)\b", re.IGNORECASE)
_GLOSS = re.compile(r"annotat|gloss|translat|주석|번역|해설|한국어|korean", re.IGNORECASE)

_COUNTED = re.compile(
    rf"^(?P<n>{_COUNT})\s+(?:[\w-]+\s+){{0,2}}?"
    r"(?P<obj>bullet\s*points?|bullets|tables|quotes|diagrams|cards|key\s+points|points|sentences|lines|"
    r"items|examples)\b(?P<rest>.*)$", re.IGNORECASE)
_COUNTED_REST = re.compile(r"^\s*(?:[:：]|(?:\w+ing|about|on|for|of|that)\b.*)?\s*$", re.IGNORECASE)
_STRONG_COUNTED = re.compile(r"bullet|table|quote|diagram|card", re.IGNORECASE)

# Korean: the verb must end the sentence, as a request or as a colon-ended note ("… 시각화:").
_KO_VERB = (r"(?:시각화|도식화|그려|그리|만들어|만들|표현|정리|보여|작성|표시|나타내(?:어)?|구성|넣어|추가|변환|"
            r"요약|제시|배치)")
_KO_END = re.compile(
    rf"{_KO_VERB}\s*(?:해|하여|해서)?\s*(?:(?:주세요|주십시오|줘|줄래|달라)|(?:하세요|하시오|해라|하라|할\s*것|합시다)|"
    rf"(?:바랍니다))?\s*[.!。]?\s*[:：]?\s*$|{_KO_VERB}\s*(?:하기|함)?\s*[:：]\s*$")
_KO_REQUEST = re.compile(r"(?:주세요|주십시오|줘|하세요|하시오|해라|하라|할\s*것|바랍니다)\s*[.!]?\s*[:：]?\s*$")
_QUOTED = re.compile(r"\"[^\"]*\"|“[^”]*”|'[^']*'|‘[^’]*’|「[^」]*」|『[^』]*』")
_HANGUL = re.compile(r"[가-힣]")


@dataclass(frozen=True)
class Reading:
    """What one line asks of the image model."""

    kind: DirectiveKind
    count: int | None
    gloss: bool
    wants_payload: bool
    """It ends with a colon or says "following": the blocks after it are what it introduces."""


# --------------------------------------------------------------------------- one line


def read_directive(text: str) -> Reading | None:
    """The directive a line states, or None when the line is a note for the reader."""
    line = _clean(text)
    if not line or len(line) > _MAX_CHARS or "\n" in line:
        return None
    bare = _QUOTED.sub(" ", line)
    kind = _english(line, bare) or _counted(line) or _korean(bare)
    if kind is None:
        return None
    return Reading(kind=kind, count=_count(bare), gloss=bool(_GLOSS.search(bare)),
                   wants_payload=line.rstrip().endswith((":", "：")) or "following" in line.lower()
                   or "다음" in line or "아래" in line)


def is_directive(text: str) -> bool:
    """True when the line is addressed to the image model."""
    return read_directive(text) is not None


def is_imperative(text: str) -> bool:
    """The line opens with an imperative verb (``Show the input size…``), drawing object or not."""
    line = _clean(text)
    return bool(_IMPERATIVE.match(line)) and bool(_NOTE.match(line))


def strip_imperative(text: str) -> str:
    """``Show the variable input size (0 to max)`` -> ``Variable input size (0 to max)``: the object, as a note."""
    line = _clean(text)
    match = _IMPERATIVE.match(line)
    if match is None:
        return line
    rest = re.sub(r"^\s*(?:the|a|an)\s+", "", line[match.end():], flags=re.IGNORECASE).strip().rstrip(":：").strip()
    return rest[:1].upper() + rest[1:]


def _clean(text: str) -> str:
    line = _LEAD.sub("", text.strip(), count=1)
    return line.replace("**", "").strip()


def _english(line: str, bare: str) -> DirectiveKind | None:
    if not _IMPERATIVE.match(line):
        return None
    first = re.split(r"(?<=[.!?])\s+", bare, maxsplit=1)[0]
    kind = _object(first)
    if kind is not None:
        return kind
    if first.rstrip().endswith((":", "：")) and _ANNOTATIONS.search(first):
        return "note"
    return None


def _counted(line: str) -> DirectiveKind | None:
    match = _COUNTED.match(line)
    if match is None or not _COUNTED_REST.match(match.group("rest")):
        return None
    strong = bool(_STRONG_COUNTED.search(match.group("obj")))
    if not strong and not line.rstrip().endswith((":", "：")):
        return None
    return _object(match.group("obj")) or "bullets"


def _korean(bare: str) -> DirectiveKind | None:
    if not _HANGUL.search(bare):
        return None
    sentence = re.split(r"(?<=[.!?])\s+", bare.strip())[-1]
    if not _KO_END.search(sentence):
        return None
    return _object(sentence)


def _object(text: str) -> DirectiveKind | None:
    return next((kind for kind, pattern in _OBJECTS if pattern.search(text)), None)


_COUNT_AT = re.compile(rf"(?<![\w.])(?P<n>{_COUNT})(?:\s*(?:개|가지)(?:의|를|을|가|이|로)?)?(?=\s|$)", re.IGNORECASE)


def _count(text: str) -> int | None:
    """The number counting the drawing objects: it stands right before one (two words between at most),
    or is a Korean ``N개`` count (``표 2개``); "the three methods" counts methods, not tables."""
    for found in _COUNT_AT.finditer(text):
        number = found.group("n").lower()
        after = text[found.end():]
        korean = "개" in found.group(0) or "가지" in found.group(0)
        if not korean and not any(p.match(after, 0) for p in _OBJECTS_AT):
            continue
        if number in _NUMBER_WORDS:
            return _NUMBER_WORDS[number]
        return int(re.split(r"\s*[-–~]\s*", number)[-1])
    return None


# --------------------------------------------------------------------------- blocks

_TARGETS: dict[DirectiveKind, set[str]] = {
    "flow": {"flow", "diagram", "chain", "code", "list", "mindmap"},
    "sequence": {"flow", "diagram", "chain", "code", "list"},
    "diagram": {"flow", "diagram", "chain", "code", "mindmap", "list", "table"},
    "mindmap": {"mindmap", "list", "code"},
    "table": {"table"},
    "bullets": {"list"},
    "checklist": {"list"},
    "quotes": {"list", "quote", "callout"},
    "code": {"code"},
    "icon": set(),
    "note": {"list", "table", "code", "flow", "chain", "diagram", "mindmap", "quote", "callout"},
}
_GROUPED = {"table", "code", "checklist", "bullets", "quotes", "note"}
_SPEC_ITEM = re.compile(r"^(?:columns?|rows?|열|행|컬럼)\s*[:：]", re.IGNORECASE)


def fold_directives(blocks: list[Block]) -> list[Block]:
    """Replace each directive line (text, heading or list item) and its payload by one DirectiveBlock."""
    out: list[Block] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        reading = _block_reading(block)
        if reading is not None:
            head, rest = _split_first_line(block)
            # A heading introduces what is under it, colon or not.
            wants = reading.wants_payload or bool(rest) or isinstance(block, HeadingBlock)
            payload, used = _take_payload(reading, blocks, i + 1) if wants else _drawn_next(reading, blocks, i + 1)
            out.append(_directive(head, reading, block.line, [*rest, *payload]))
            i += 1 + used
        elif isinstance(block, ListBlock) and _is_table_spec(block):
            payload, used = _take_payload(Reading("table", None, False, True), blocks, i + 1)
            out.append(_directive(_spec_text(block), Reading("table", None, False, True), block.line,
                                  [block, *payload]))
            i += 1 + used
        elif isinstance(block, ListBlock) and any(_item_reading(item) for item in block.items):
            folded, used = _fold_list(block, blocks, i + 1)
            out.extend(folded)
            i += 1 + used
        else:
            out.append(block)
            i += 1
    return out


def _block_reading(block: Block) -> Reading | None:
    if isinstance(block, TextBlock | HeadingBlock):
        return read_directive(block.text.split("\n", 1)[0])
    return None


def _item_reading(item: Item) -> Reading | None:
    return read_directive(item.text.split("\n", 1)[0])


def _split_first_line(block: Block) -> tuple[str, list[Block]]:
    text = block.text if isinstance(block, TextBlock | HeadingBlock) else ""
    head, _, rest = text.partition("\n")
    return head, ([TextBlock(line=(block.line or 0) + 1 if block.line else None, text=rest.strip())]
                  if rest.strip() else [])


def _directive(text: str, reading: Reading, line: int | None, payload: list[Block]) -> DirectiveBlock:
    return DirectiveBlock(line=line, text=_clean(text), kind=reading.kind, count=reading.count,
                          gloss=reading.gloss, payload=payload)


def _take_payload(reading: Reading, blocks: list[Block], start: int) -> tuple[list[Block], int]:
    """The blocks a directive introduces: up to the next heading or directive, stopping once it has enough."""
    targets = _TARGETS[reading.kind]
    need = reading.count if reading.kind in ("table", "code") and reading.count else 1
    if reading.kind == "code" and not reading.count:
        need = 99  # "Group the prompts in code blocks:" — every block of its group
    taken: list[Block] = []
    hits = 0
    j = start
    while j < len(blocks) and hits < need:
        block = blocks[j]
        if _block_reading(block) is not None or _starts_directive_list(block):
            break
        if isinstance(block, HeadingBlock):
            # Grouped payloads put a heading over each group ("**Input Specification:**" over its table).
            if reading.kind not in _GROUPED or not _leads_to(blocks, j, targets):
                break
            if hits and not reading.count:
                need += 1
        taken.append(block)
        if block.type in targets:
            hits += 1
        j += 1
    if hits == 0:
        # Nothing it asks for follows: keep only a first block that can be turned into it.
        first = blocks[start] if start < len(blocks) else None
        if first is not None and first.type in targets | {"text"} and first.type != "heading" \
                and _block_reading(first) is None and reading.kind not in ("table", "icon") \
                and (first.type != "text" or reading.kind in ("flow", "sequence", "diagram")):
            return [first], 1
        return [], 0
    return taken, j - start


def _drawn_next(reading: Reading, blocks: list[Block], start: int) -> tuple[list[Block], int]:
    """Without a colon a directive takes only a drawing right under it (a fence, a table), never prose or a list."""
    first = blocks[start] if start < len(blocks) else None
    if first is not None and first.type in _TARGETS[reading.kind] - {"text", "list"}:
        return [first], 1
    return [], 0


def _leads_to(blocks: list[Block], j: int, targets: set[str]) -> bool:
    """A heading (or label) followed by a block of the wanted kind: ``**Input Specification:**`` over its table."""
    for block in blocks[j + 1 : j + 3]:
        if block.type in targets:
            return True
        if not (isinstance(block, TextBlock) and len(block.text) <= 60):
            return False
    return False


def _starts_directive_list(block: Block) -> bool:
    return isinstance(block, ListBlock) and bool(block.items) and _item_reading(block.items[0]) is not None


def _is_table_spec(block: ListBlock) -> bool:
    return any(_SPEC_ITEM.match(item.text.strip()) for item in block.items)


def _spec_text(block: ListBlock) -> str:
    return next(item.text for item in block.items if _SPEC_ITEM.match(item.text.strip()))


def _fold_list(block: ListBlock, blocks: list[Block], after: int) -> tuple[list[Block], int]:
    """A list holding directive items: each becomes a DirectiveBlock, its siblings stay a list (or notes).

    The first directive item with no nested list takes its payload from the blocks after the list (a
    fence inside an item is moved after the list by the markdown reader)."""
    out: list[Block] = []
    plain: list[Item] = []
    used = 0
    for item in block.items:
        reading = _item_reading(item)
        head, _, rest = item.text.partition("\n")
        if reading is None and not is_imperative(head):
            plain.append(item)
            continue
        if plain:
            out.append(block.model_copy(update={"items": plain}))
            plain = []
        if reading is None:
            # An instruction among directives whose object is itself content ("Show the input size …").
            out.append(DirectiveBlock(line=block.line, text=_clean(item.text), kind="note"))
            continue
        payload: list[Block] = [TextBlock(text=rest.strip())] if rest.strip() else []
        if item.children:
            payload.append(ListBlock(line=block.line, items=item.children))
        elif not used and (reading.wants_payload or not payload):
            taken, used = _take_payload(reading, blocks, after)
            payload.extend(taken)
        out.append(_directive(head, reading, block.line, payload))
    if plain:
        out.append(block.model_copy(update={"items": plain}))
    return out, used
