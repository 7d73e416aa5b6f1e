"""Page and FAQ text: Markdown written by staff, turned into safe HTML, and the shop's seeded texts
(customer_service/content/) loaded into the tables after migrate.

Staff write Markdown, so the HTML is cleaned with nh3 (an allow-list): a pasted <script> or onclick never
reaches a page."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import nh3

CONTENT_DIR = Path(__file__).resolve().parent / "content"
ALLOWED_TAGS = {
    "p", "h2", "h3", "h4", "ul", "ol", "li", "strong", "em", "a", "blockquote", "code", "hr", "br",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align", "scope"}, "td": {"align"}}


def render_markdown(text: str) -> str:
    html = markdown.markdown(text, extensions=["tables", "sane_lists"], output_format="html")
    html = html.replace("<th>", '<th scope="col">')
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
    )


def plain_text(text: str) -> str:
    """Markdown without its markup, for search and previews."""
    return re.sub(r"\s+", " ", nh3.clean(render_markdown(text), tags=set())).strip()


# --- Seeded texts --------------------------------------------------------------------------------------------------
def parse_page(source: str) -> dict:
    """A page file: front matter between '---' lines (title, section, summary, position), then the Markdown body."""
    match = re.match(r"^---\n(.*?)\n---\n(.*)$", source, re.S)
    if not match:
        raise ValueError("A page file starts with front matter between --- lines")
    meta = dict(line.split(":", 1) for line in match.group(1).splitlines() if ":" in line)
    meta = {key.strip(): value.strip() for key, value in meta.items()}
    return {
        "title": meta["title"],
        "section": meta.get("section", "guarantee"),
        "summary": meta.get("summary", "")[:200],
        "position": int(meta.get("position", 0)),
        "body": match.group(2).strip() + "\n",
    }


def parse_faq(source: str) -> list[dict]:
    """'## Category', then '### Question' followed by its Markdown answer, in order."""
    entries, category, question, answer = [], "", None, []

    def flush():
        if question:
            entries.append({"category": category, "question": question, "answer": "\n".join(answer).strip()})

    for line in source.splitlines():
        if line.startswith("### "):
            flush()
            question, answer = line[4:].strip(), []
        elif line.startswith("## "):
            flush()
            category, question, answer = line[3:].strip(), None, []
        elif question is not None:
            answer.append(line)
    flush()
    return entries


def seed_pages(*, page_model, faq_model, using: str = "default") -> int:
    """Create each seeded page and FAQ entry that is not in the tables yet (by slug / question): staff edits are kept,
    a new database gets the shop's texts, and a seeded entry staff deleted comes back (unpublish it instead)."""
    created = 0
    pages_dir = CONTENT_DIR / "pages"
    existing = set(page_model.objects.using(using).values_list("slug", flat=True))
    for path in sorted(pages_dir.glob("*.md")) if pages_dir.exists() else []:
        if path.stem not in existing:
            page_model.objects.using(using).create(slug=path.stem, **parse_page(path.read_text(encoding="utf-8")))
            created += 1
    faq_path = CONTENT_DIR / "faq.md"
    if faq_path.exists():
        known = set(faq_model.objects.using(using).values_list("question", flat=True))
        new = [
            faq_model(position=position, **entry)
            for position, entry in enumerate(parse_faq(faq_path.read_text(encoding="utf-8")), start=1)
            if entry["question"] not in known
        ]
        faq_model.objects.using(using).bulk_create(new)
        created += len(new)
    return created
