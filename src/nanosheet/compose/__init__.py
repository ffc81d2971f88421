"""Compose: a parsed Prompt in, a Sheet out — which content goes in which panel, icons, notes, footer, seed.

Compose is a short line of passes, each a ``Draft -> Draft`` function in the module of its concern
(``draft.py`` says what a Draft carries). None changes the draft it is given, so each can be run alone.
"""

from __future__ import annotations

from nanosheet.compose.draft import Draft, content_seed
from nanosheet.compose.enrich import add_tagline, fill_quiet_panels, note_mindmaps, source_passages
from nanosheet.compose.footer import add_footer
from nanosheet.compose.fulfil import fulfil_sections, settle_directives
from nanosheet.compose.icons import give_icons
from nanosheet.compose.named_blocks import fulfil_named_lines
from nanosheet.compose.place import lay_out
from nanosheet.compose.richer import keep_richer
from nanosheet.compose.spares import add_spares
from nanosheet.compose.step_icons import give_step_icons
from nanosheet.model import Prompt, Sheet

__all__ = ["Draft", "compose_sheet", "content_seed"]


def compose_sheet(prompt: Prompt, *, place_extras: bool = False) -> Sheet:
    """Decide what every panel shows. The layout comes from the wireframe, or a default when it has none."""
    prompt = fulfil_sections(prompt)  # directives with a payload become their drawings; the source loses them
    draft = Draft.start(prompt, source_passages(prompt.source_text))  # the chapter's passages, read once
    draft = lay_out(draft, place_extras=place_extras)  # the panels, and the content sections placed in them
    draft = settle_directives(draft)   # directives still pending in panels are drawn, or reported
    draft = fulfil_named_lines(draft)  # a line naming a block the content supplies ("Definition 박스") gives way to it
    draft = keep_richer(draft)         # one version of each diagram and table per panel: the fullest
    draft = give_icons(draft)          # every panel an icon its title means
    draft = give_step_icons(draft)     # the step boxes of flows an icon each, by what the step does
    draft = note_mindmaps(draft)       # mind-map branches quote the chapter (remembering what they quoted)
    draft = fill_quiet_panels(draft)   # a panel no section filled gets what the chapter says of its topic
    draft = add_tagline(draft)         # the title band says what the chapter is about, in note form
    draft = add_spares(draft)          # notes the page may add to a panel its row leaves under-filled
    draft = add_footer(draft)          # title, author, chapter, source link and its QR code
    return draft.sheet()
