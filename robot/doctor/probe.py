"""Looking at one screen without touching it: how many elements an entry of the profile
matches, and what the screen shows that could be the element an entry misses.

Everything here reads the page; nothing clicks, types or submits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page

from pages.lookup import PageLookup

# "optional": the CRM does not show it, and the robot does without it (more slowly).
Status = Literal["found", "missing", "ambiguous", "not reached", "not checked", "optional"]

# Every element a locator could be meant to find, with what a person would call it.
_SNAPSHOT = """
() => {
  const implicit = el => {
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    if (tag === 'a' && el.hasAttribute('href')) return 'link';
    if (tag === 'button' || (tag === 'input' && ['submit', 'button'].includes(type)))
      return 'button';
    if (tag === 'input' && type === 'checkbox') return 'checkbox';
    if (tag === 'input' && type === 'search') return 'searchbox';
    if (tag === 'input' || tag === 'textarea') return 'textbox';
    if (tag === 'select') return 'combobox';
    const roles = {table: 'table', nav: 'navigation', dialog: 'dialog', fieldset: 'group',
      h1: 'heading', h2: 'heading', h3: 'heading', dl: 'list', form: 'form', tr: 'row'};
    return roles[tag] || '';
  };
  const clean = s => (s || '').replace(/\\s+/g, ' ').trim().slice(0, 80);
  const labelled = el => {
    const by = el.getAttribute('aria-labelledby');
    if (by) return clean(by.split(' ').map(id => (document.getElementById(id) || {}).innerText
      || '').join(' '));
    return '';
  };
  const nameOf = el => {
    const tag = el.tagName.toLowerCase();
    if (el.getAttribute('aria-label')) return clean(el.getAttribute('aria-label'));
    const by = labelled(el);
    if (by) return by;
    if (el.labels && el.labels.length) return clean(el.labels[0].innerText);
    if (tag === 'table' && el.caption) return clean(el.caption.innerText);
    if (tag === 'fieldset') {
      const legend = el.querySelector('legend');
      if (legend) return clean(legend.innerText);
    }
    if (['a', 'button', 'h1', 'h2', 'h3'].includes(tag)) return clean(el.innerText || el.value);
    if (tag === 'input' && ['submit', 'button'].includes(el.type)) return clean(el.value);
    return '';
  };
  const wanted = 'a,button,input,select,textarea,table,dl,nav,dialog,fieldset,h1,h2,h3,[role]';
  const all = [...document.querySelectorAll(wanted)];
  const counts = {};
  return all.map(el => {
    const tag = el.tagName.toLowerCase();
    counts[tag] = (counts[tag] || 0) + 1;
    const row = el.closest('tr, [role=row]');
    const first = row && row.firstElementChild ? clean(row.firstElementChild.innerText) : '';
    return {
      tag, role: el.getAttribute('role') || implicit(el), name: nameOf(el), id: el.id || '',
      // A box's value or a container's content is no name (and may be a secret).
      text: ['input', 'textarea', 'select', 'table', 'dl', 'nav', 'dialog', 'fieldset', 'form']
        .includes(tag) ? '' : clean(el.innerText),
      index: counts[tag], row: row ? first : null,
      type: (el.getAttribute('type') || '').toLowerCase(),
    };
  });
}
"""

# Every text a field name, a toast or an option could be, with the tag that shows it.
_TEXTS = """
() => [...document.querySelectorAll('th, dt, label, legend, option, h1, h2, h3, caption, a, button,'
  + ' [role=alert], [role=status]')]
  .map(el => [el.tagName.toLowerCase(),
              (el.innerText || el.textContent || '').replace(/\\s+/g, ' ').trim()])
  .filter(([, t]) => t && t.length <= 80)
"""
# What names a field: a column header, a term, a label, a legend, an option of a list.
TERM_TAGS = ("th", "dt", "label", "legend", "option")


@dataclass(frozen=True)
class Element:
    """What the screen shows of one element (see _SNAPSHOT)."""

    tag: str
    role: str
    name: str
    id: str
    text: str
    index: int
    row: str | None
    type: str = ""

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Element:
        return cls(**{key: raw.get(key) for key in cls.__dataclass_fields__})  # type: ignore[arg-type]


@dataclass
class Look:
    """One look at a screen: its elements and texts, taken once and reused for every miss."""

    elements: list[Element] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)  # the texts that name fields (TERM_TAGS)
    headers: list[str] = field(default_factory=list)  # the column headers, in their order


def look(page: Page) -> Look:
    try:
        raw: list[dict[str, Any]] = page.evaluate(_SNAPSHOT)
        tagged: list[list[str]] = page.evaluate(_TEXTS)
    except PlaywrightError:
        return Look()
    texts = list(dict.fromkeys(text for _, text in tagged))
    terms = list(dict.fromkeys(text for tag, text in tagged if tag in TERM_TAGS))
    headers = [text for tag, text in tagged if tag == "th"]
    return Look([Element.of(item) for item in raw], texts, terms, headers)


def count(locator: Locator) -> int:
    """How many elements match; a locator the browser cannot evaluate matches none."""
    try:
        return locator.count()
    except PlaywrightError:
        return 0


def text_shown(screen: PageLookup, text: str) -> int:
    """How many elements show `text` exactly (a field name, an option, a label)."""
    if "{" in text:
        return 0
    return count(screen.page.get_by_text(text, exact=True))


def status_of(matches: int) -> Status:
    if matches == 1:
        return "found"
    return "missing" if matches == 0 else "ambiguous"
