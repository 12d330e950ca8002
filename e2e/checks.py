"""What every page a journey visits is checked for.

- accessibility: the vendored axe-core, failing on violations of impact serious or critical;
- language: `<html lang>` is the language chosen, and no visible text is left in the other
  language (see `Catalogue`);
- on a phone-sized screen: nothing scrolls sideways.

Problems are collected, not raised at once, so one run lists every problem of a journey.
"""

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import polib

E2E = Path(__file__).resolve().parent
AXE_JS = E2E / "vendor" / "axe.min.js"
PO_FILE = E2E.parent / "src" / "haven" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
BLOCKING_IMPACTS = {"serious", "critical"}

# Python-format placeholders in msgids ("%(counter)s cases", "%s").
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[sd]")
# Text is also compared piece by piece, since a template often writes several translated
# strings into one text node ("New reception: border handover", "Food · Shelter").
SEPARATORS = re.compile(r"\s*(?:[:·|•→–—()\[\],;]|\s-\s)\s*")
LETTERS = re.compile(r"[^\W\d_]{2,}")
# Data, not Haven's wording: free text the demo data writes into records, shown as typed in
# both languages, that happens to contain a translation ("tiếng Việt" is the msgstr of
# "Vietnamese", compared without case). Only these whole texts are exempt.
DATA_TEXTS = frozenset(
    {
        "tiếng Việt, tiếng Mông",  # every demo person's languages (src/haven/demo.py)
    }
)


@functools.cache
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def _norm(text: str) -> str:
    return " ".join(text.split()).strip(" *:").casefold()


def _pattern(msg: str) -> re.Pattern | None:
    """A regex for a message with placeholders, if it has enough literal text to be telling."""
    literal = PLACEHOLDER.sub(" ", msg)
    if len(LETTERS.findall(literal)) < 2:
        return None
    parts = [re.escape(_norm(p)) for p in PLACEHOLDER.split(msg)]
    return re.compile(r"\s*.+?\s*".join(parts), re.IGNORECASE)


@dataclass
class Catalogue:
    """Strings that must not be visible in one language because they belong to the other.

    Shown in Vietnamese, a text equal to an English msgid whose Vietnamese msgstr differs is
    untranslated. Shown in English, a text equal to such a Vietnamese msgstr was translated
    too early (at import time, or with the wrong active language).
    """

    foreign: dict[str, str] = field(default_factory=dict)  # normalised text -> msgid
    single_words: bool = True  # compare one-word pieces of longer texts too
    patterns: list[tuple[re.Pattern, str]] = field(default_factory=list)

    @classmethod
    @functools.cache
    def for_language(cls, lang: str) -> "Catalogue":
        catalogue = cls(single_words=lang == "vi")
        for entry in polib.pofile(str(PO_FILE)):
            if entry.obsolete:
                continue
            pairs = [(entry.msgid, entry.msgstr)]
            if entry.msgid_plural:
                forms = list(entry.msgstr_plural.values()) or [""]
                pairs = [(entry.msgid, forms[0]), (entry.msgid_plural, forms[-1])]
            for msgid, msgstr in pairs:
                if msgstr and _norm(msgstr) == _norm(msgid):
                    continue  # the same in both languages ("Haven", "Email"): nothing to catch
                if lang == "vi":
                    text = msgid  # untranslated, fuzzy (not compiled) or translated differently
                elif msgstr and "fuzzy" not in entry.flags:
                    text = msgstr
                else:
                    continue
                if not LETTERS.search(text):
                    continue
                if PLACEHOLDER.search(text):
                    pattern = _pattern(text)
                    if pattern:
                        catalogue.patterns.append((pattern, msgid))
                else:
                    catalogue.foreign[_norm(text)] = msgid
        return catalogue

    def find(self, texts: list[str]) -> list[tuple[str, str]]:
        """(text shown, msgid) for each visible text that belongs to the other language."""
        found = {}
        for text in texts:
            if text in DATA_TEXTS:
                continue
            whole = _norm(text)
            candidates = {whole, *(_norm(p) for p in SEPARATORS.split(text) if p.strip())}
            for candidate in candidates:
                # A one-word piece of a longer text is too often a name ("Hoa (Chinese)"):
                # only Vietnamese one-word pieces are compared (raw codes such as "safety").
                if candidate != whole and " " not in candidate and not self.single_words:
                    continue
                if candidate in self.foreign:
                    found[candidate] = (text, self.foreign[candidate])
            for pattern, msgid in self.patterns:
                if pattern.fullmatch(whole):
                    found[whole] = (text, msgid)
        return sorted(found.values())


# Visible text: text nodes of rendered elements (options count when their <select> does),
# the page title and the attributes that assistive technology reads out; not text that is
# marked with a `lang` of its own.
VISIBLE_TEXT_JS = """() => {
  const out = [];
  // Text marked as another language (the language button's "English") is meant to be so.
  const pageLang = document.documentElement.lang;
  const visible = (el) => {
    const box = el.closest('select, datalist') || el;
    const marked = el.closest('[lang]');
    if (marked && marked.lang !== pageLang) return false;
    return box.checkVisibility({visibilityProperty: true, opacityProperty: true});
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('script, style, template, svg')) continue;
    if (visible(el)) out.push(text);
  }
  for (const el of document.querySelectorAll(
      '[aria-label], [title], [placeholder], [alt], input[type=submit], input[type=button]')) {
    if (!visible(el)) continue;
    for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'value']) {
      if (name === 'value' && !['submit', 'button'].includes(el.type)) continue;
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  out.push(...document.title.split(' · '));
  return out;
}"""

AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                              summary: (n.failureSummary || '').replace(/\\s+/g, ' ')}))
  }));
}"""

OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > width + 1) {
      const classes = typeof el.className === 'string' && el.className.trim()
        ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      const id = el.id ? '#' + el.id : '';
      wide.push(`${el.tagName.toLowerCase()}${id}${classes} (right edge ${Math.round(r.right)}px)`);
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8)};
}"""


def run_axe(page) -> list[dict]:
    """axe-core's violations on the page as it is now (injected via CDP, so CSP allows it)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source() + "\n;undefined")
    return page.evaluate(AXE_RUN_JS)


def visible_texts(page) -> list[str]:
    return page.evaluate(VISIBLE_TEXT_JS)


def horizontal_overflow(page) -> dict | None:
    info = page.evaluate(OVERFLOW_JS)
    return info if info["scrollWidth"] > info["width"] else None


def format_violation(v: dict) -> str:
    lines = [f"    [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})"]
    for node in v["nodes"][:5]:
        lines.append(f"        at {node['target']}: {node['html']}")
        if node["summary"]:
            lines.append(f"           {node['summary'][:300]}")
    if len(v["nodes"]) > 5:
        lines.append(f"        … and {len(v['nodes']) - 5} more elements")
    return "\n".join(lines)


@functools.cache
def _translations() -> dict[str, str]:
    return {
        e.msgid: e.msgstr
        for e in polib.pofile(str(PO_FILE))
        if e.msgstr and not e.obsolete and "fuzzy" not in e.flags
    }


def translate(lang: str, msgid: str) -> str:
    """What Haven shows for `msgid` in `lang` (the msgid itself while untranslated)."""
    return _translations().get(msgid, msgid) if lang == "vi" else msgid
