"""A chapter (a parsed Prompt without a wireframe) in, an ``Analysis`` out: its type and each section's role.

The type follows the markers the origin's content analyser looks for (transcript timestamps, numbered
steps and commands, "사례"); a section's role comes from its title first and its blocks second. The
chapter's own digest (``## 요약``, ``## 핵심 요약``, TL;DR) is kept apart as the first source of takeaways,
the transcript (``## 전체 번역``) as timed lines to mine for quotes, numbers and examples.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

from nanosheet.model import Block, CodeBlock, ListBlock, Prompt, Section, TableBlock, TextBlock

ChapterKind = Literal["lecture", "tutorial", "article", "usecase"]
Role = Literal["title", "overview", "concept", "process", "comparison", "example", "code", "numbers",
               "advantages", "limitations", "tips", "summary", "transcript", "boilerplate"]

# Title patterns, first match wins: boilerplate before summary before the content roles.
_ROLE_SPECS: tuple[tuple[Role, str], ...] = (
    ("boilerplate", r"바로\s*가기|원본\s*링크|링크$|^links?\b|후원|스폰서|sponsor|라이선스|라이센스|licen[cs]e|"
                    r"저자\s*소개|author|about the author|목차|table of contents|^toc$|감사의\s*(말|글)|감사\s*인사|"
                    r"acknowledg|번역\s*현황|참고\s*자료|참고\s*문헌|references?$|further reading|관련\s*자료|"
                    r"프로젝트\s*정보|연락처|contact|기여\s*방법|contribut|changelog|변경\s*이력"),
    ("transcript", r"전체\s*번역|전문\s*번역|transcript|스크립트\s*전문|full translation"),
    ("summary", r"요약|tl;?\s*dr|핵심\s*포인트|핵심\s*정리|key\s*(takeaways?|points?)|takeaways?|결론|"
                r"conclusion|정리$|마무리|summary"),
    ("limitations", r"한계|단점|주의|caution|limitation|위험|risk|pitfall|anti-?pattern|안티\s*패턴|"
                    r"실패|문제점|troubleshoot|문제\s*해결|함정|경고|warning|취약"),
    ("advantages", r"장점|이점|benefit|advantage|pros\b|효과|왜\s*중요|why it matters"),
    ("tips", r"팁|tips?\b|best practice|모범\s*사례|권장|가이드라인|guideline|노하우|요령|체크리스트|checklist"),
    ("comparison", r"\bvs\.?\b|비교|차이|compar|대\s*비"),
    ("process", r"단계|과정|프로세스|process|workflow|워크플로|절차|how to|방법|steps?\b|파이프라인|pipeline|"
                r"설치|install|setup|설정|시작하기|getting started|사용법|usage|루프|loop|사이클|cycle"),
    ("example", r"예시|예제|사례|example|case\s*stud|use\s*case|데모|demo|실습"),
    ("numbers", r"결과|성능|벤치마크|benchmark|results?|데이터\s*분석|통계|수치|metrics?"),
    ("code", r"코드|code|구현|implementation|api\b|명령어|commands?|cli\b"),
    ("overview", r"개요|소개|introduction|overview|이란|란\?|무엇|what is|정의|definition|배경|background|목적"),
)
_ROLE_TITLES: tuple[tuple[Role, re.Pattern[str]], ...] = tuple((role, re.compile(p, re.IGNORECASE))
                                                             for role, p in _ROLE_SPECS)
_TIMESTAMP = re.compile(r"^\s*[\[(](\d{1,2}(?::\d{2}){1,2})[\])]\s*(.*)$")
_LINK_ONLY = re.compile(r"^\s*\[[^\]]+\]\([^)]+\)\s*$")
_LINK_WORDS = re.compile(r"^(영상\s*바로\s*가기|원본\s*링크|원문\s*(링크|보기)?|source|출처|link)\b", re.IGNORECASE)
_TUTORIAL_META = re.compile(r"getting[- ]started|tutorial|how[- ]?to|guide|튜토리얼|가이드|시작하기", re.IGNORECASE)
_COMMAND_WORDS = re.compile(r"명령어|실행|입력|설치|클릭|터미널|terminal|install|run\b|`[^`]+`")
_BOLD = re.compile(r"\*\*([^*\n]{2,30})\*\*")
_ENGLISH = re.compile(r"[A-Za-z][A-Za-z0-9+#.\-]{2,}")
_STOP_EN = frozenset((  # noqa: SIM905
    "the and for with that this from are was were you your not but can will have has had into "
    "its our out all any one two use using used how what when why who which than then them they "
    "there also more most some such only very just like been being about over under http https "
    "www com "
).split())


@dataclass
class TimedLine:
    """One transcript chunk: ``[3:39:00] …`` with its timestamp and file line."""

    stamp: str
    text: str
    line: int | None


@dataclass
class SectionInfo:
    """A content section with the role the plan gives it and the blocks worth reading."""

    section: Section
    role: Role
    blocks: list[Block]
    """The section's blocks minus link-only lines."""
    dropped_blocks: int = 0

    @property
    def title(self) -> str:
        return self.section.title

    @property
    def lines(self) -> tuple[int, int]:
        return self.section.line_start, self.section.line_end


@dataclass
class Analysis:
    """What the plan knows about a chapter before it draws anything."""

    kind: ChapterKind
    topic: str
    sections: list[SectionInfo]
    transcript: list[TimedLine] = field(default_factory=list)
    key_terms: list[str] = field(default_factory=list)
    """Bold spans, then English terms the chapter uses at least twice (what a reader must find on the sheet)."""
    dropped: list[tuple[str, str, int | None]] = field(default_factory=list)
    """(section title, reason, line) for every section the plan leaves out."""

    def with_role(self, *roles: Role) -> list[SectionInfo]:
        return [s for s in self.sections if s.role in roles]

    @property
    def body(self) -> list[SectionInfo]:
        """The sections that carry the chapter's own matter (not its digest, transcript or boilerplate)."""
        return [s for s in self.sections if s.role not in ("summary", "transcript", "boilerplate")]


def analyse(prompt: Prompt, sections: list[Section]) -> Analysis:
    """Classify the chapter and its content sections (``sections``: the chapter's, in document order)."""
    infos: list[SectionInfo] = []
    dropped: list[tuple[str, str, int | None]] = []
    for index, section in enumerate(sections):
        role = section_role(section, prompt.title, first=index == 0)
        blocks = [b for b in section.blocks if not _is_link_line(b)]
        info = SectionInfo(section=section, role=role, blocks=blocks, dropped_blocks=len(section.blocks) - len(blocks))
        if role == "boilerplate":
            dropped.append((section.title, "boilerplate (links, sponsors, licence, credits or contents)",
                            section.line_start))
        elif not blocks:
            dropped.append((section.title, "nothing but a link", section.line_start))
            continue
        infos.append(info)
    transcript = [t for s in infos if s.role == "transcript" for t in timed_lines(s.blocks)]
    source = prompt.source_text or "\n".join(s.text for s in sections)
    return Analysis(kind=chapter_kind(prompt, infos, transcript), topic=_topic(prompt), sections=infos,
                    transcript=transcript, key_terms=key_terms(source), dropped=dropped)


def section_role(section: Section, chapter_title: str, *, first: bool = False) -> Role:
    """The role of one section: its title decides; without a telling title, its blocks do."""
    title = re.sub(r"^\d{1,2}\.\s*", "", section.title.strip())
    if _same_title(title, chapter_title):
        return "title"
    for role, pattern in _ROLE_TITLES:
        if pattern.search(title):
            return role
    if first:
        return "title"
    stamps = sum(1 for b in section.blocks if isinstance(b, TextBlock) and _TIMESTAMP.match(b.text))
    if stamps >= 3:
        return "transcript"
    return _role_from_blocks(section.blocks)


def _role_from_blocks(blocks: list[Block]) -> Role:
    kinds = [b.type for b in blocks]
    if kinds and kinds.count("code") * 2 >= len(kinds):
        return "code"
    if any(b.type in ("flow", "chain") for b in blocks) or any(
            isinstance(b, ListBlock) and len(b.items) >= 3 and all(i.mark == "number" for i in b.items)
            for b in blocks):
        return "process"
    if any(isinstance(b, TableBlock) and len((b.header or b.rows[0]) if b.rows or b.header else []) == 2
           for b in blocks):
        return "comparison"
    return "concept"


def _same_title(a: str, b: str) -> bool:
    return bool(_squash_title(a)) and _squash_title(a) == _squash_title(b)


def _squash_title(text: str) -> str:
    return re.sub(r"[\W_]+", "", re.sub(r"^\d{1,2}\.\s*", "", text)).lower()


def _is_link_line(block: Block) -> bool:
    return isinstance(block, TextBlock) and bool(_LINK_WORDS.match(block.text.strip())) and len(block.text) < 60


def timed_lines(blocks: list[Block]) -> list[TimedLine]:
    """The ``[m:ss] text`` paragraphs of a transcript section."""
    out: list[TimedLine] = []
    for block in blocks:
        if isinstance(block, TextBlock):
            match = _TIMESTAMP.match(block.text)
            if match and match.group(2).strip():
                out.append(TimedLine(stamp=match.group(1), text=" ".join(match.group(2).split()), line=block.line))
    return out


def chapter_kind(prompt: Prompt, sections: list[SectionInfo], transcript: list[TimedLine]) -> ChapterKind:
    """lecture (a timed transcript), tutorial (steps, commands), use-case ("사례") or article."""
    titles = " ".join(s.title for s in sections)
    if len(transcript) >= 3:
        return "lecture"
    meta = " ".join([*prompt.frontmatter.extra.values(), prompt.frontmatter.source_type or ""])
    blocks = [b for s in sections for b in s.blocks]
    text = " ".join(getattr(b, "text", "") for b in blocks)
    score = 2 * bool(_TUTORIAL_META.search(meta)) + min(2, sum(isinstance(b, CodeBlock) for b in blocks) // 2)
    score += sum(1 for s in sections if s.role == "process") + (len(_COMMAND_WORDS.findall(text)) >= 3)
    if score >= 3:
        return "tutorial"
    if re.search(r"사례|use\s*case|case\s*stud", titles, re.IGNORECASE):
        return "usecase"
    if any(s.role == "transcript" for s in sections):
        return "lecture"
    return "article"


def key_terms(text: str) -> list[str]:
    """Bold spans, then English words used at least twice (top 20): the terms a cheat sheet must show."""
    body = re.sub(r"^---\n.*?\n---\n", "", text, flags=re.S)
    body = re.sub(r"```.*?```", " ", body, flags=re.S)
    counts: dict[str, int] = {}
    for word in _ENGLISH.findall(body):
        word = word.strip(".-")
        if len(word) >= 3 and word.lower() not in _STOP_EN:
            counts[word] = counts.get(word, 0) + 1
    english = [w for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])) if c >= 2][:20]
    seen: set[str] = set()
    out: list[str] = []
    for term in [b.strip() for b in _BOLD.findall(body)] + english:
        key = squash_term(term)
        if len(key) >= 2 and key not in seen:
            seen.add(key)
            out.append(term)
    return out


@lru_cache(maxsize=8192)
def squash_term(text: str) -> str:
    """Letters and digits only, case-folded: how a term is found on the page."""
    return "".join(c for c in text if c.isalnum()).casefold()


def _topic(prompt: Prompt) -> str:
    title = re.sub(r"^\d{1,2}\.\s*", "", prompt.title).strip()
    return title or "Cheat Sheet"
