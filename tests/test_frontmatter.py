"""Frontmatter: bare and fenced YAML, key spellings, malformed YAML as a warning, family-A meta lists."""

from __future__ import annotations

from nanosheet.ingest.frontmatter import parse_frontmatter, parse_meta_list, split_frontmatter


def test_fenced_yaml_with_camel_case_keys() -> None:
    text = ('\n```yaml\ntitle: "7. GPT"\ntitleKr: "7. 훈련"\nchapter: 7\ntotalChapters: 24\nsourceUrl: u\n'
            'parent: p\n```\n\nbody')
    split = split_frontmatter(text, 10, "f")
    fm = split.frontmatter
    assert (fm.title, fm.title_kr, fm.chapter, fm.total_chapters, fm.source_url) == ("7. GPT", "7. 훈련", 7, 24, "u")
    assert fm.extra == {"parent": "p"}
    assert split.span == (11, 18) and split.body_line == 19 and split.body.strip() == "body"


def test_bare_dashes_and_snake_case_keys() -> None:
    split = split_frontmatter("---\ntitle: A\nsource_url: https://x\nsource_type: web\nauthor: B\n---\n# H", 1, "f")
    fm = split.frontmatter
    assert (fm.title, fm.source_url, fm.source_type, fm.author) == ("A", "https://x", "web", "B")
    assert split.body == "# H" and split.body_line == 7


def test_no_frontmatter_leaves_text_alone() -> None:
    split = split_frontmatter("# Title\n---\nx: y\n---\n", 5, "f")
    assert split.span is None and split.body.startswith("# Title") and split.frontmatter.title is None


def test_unclosed_frontmatter_is_not_swallowed() -> None:
    split = split_frontmatter("---\ntitle: A\n\nbody text", 1, "f")
    assert split.span is None and "body text" in split.body


def test_malformed_yaml_is_a_warning_with_the_line() -> None:
    split = split_frontmatter("---\ntitle: ok\nauthor: [unclosed\nchapter: 3\n---\nbody", 20, "f.md")
    assert split.frontmatter.title is None
    assert [(d.code, d.file) for d in split.diagnostics] == [("frontmatter-yaml", "f.md")]
    assert split.diagnostics[0].line in (22, 23, 24)  # where PyYAML noticed the open bracket
    assert split.body == "body"


def test_non_mapping_and_non_integer_values() -> None:
    fm, diags = parse_frontmatter("- a\n- b", 3, "f")
    assert fm.title is None and [d.code for d in diags] == ["frontmatter-yaml"] and diags[0].line == 3
    fm, diags = parse_frontmatter("chapter: seven\ndate: 2026-01-08", 3, "f")
    assert fm.chapter is None and fm.extra == {"chapter": "seven", "date": "2026-01-08"}
    assert [d.code for d in diags] == ["frontmatter-value"]


def test_family_a_meta_list() -> None:
    fm = parse_meta_list("- **원본**: A Deep Dive by Anthropic\n- **챕터**: 5. Honesty (정직함)\n"
                         "- **패널**: Alex, Amanda\n- **유형**: 토론\n- **타임스탬프**: 24:27\nplain line")
    assert (fm.chapter, fm.title, fm.author, fm.source_type) == (5, "Honesty (정직함)", "Alex, Amanda", "토론")
    assert fm.extra == {"원본": "A Deep Dive by Anthropic", "타임스탬프": "24:27"}
