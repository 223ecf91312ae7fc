"""The emails the app sends, as plain text and HTML, from a message catalogue per locale
(``fileshare/messages/<locale>.json``).

A recipient's locale (the owner's Cognito ``locale`` attribute; a link's recipients get the
sender's) picks the catalogue: ``fr-CA`` tries ``fr-ca``, then ``fr``, then English. Every value
that comes from a person (file names, request titles, the owner's note, addresses) is HTML-escaped
in the HTML part and stripped of control characters in the subject. The renderers take no password
and no token other than the one link they are given: an email cannot carry what it is never given.
"""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from fileshare.core import clock

CATALOGUES = Path(__file__).resolve().parent.parent / "messages"
DEFAULT_LOCALE = "en"
SUBJECT_MAX_CHARS = 200
_QUOTE_STYLE = "border-left:3px solid #999;margin:0;padding-left:12px"
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]+")


class Email(NamedTuple):
    locale: str  # the catalogue used
    subject: str
    text: str
    html: str


class Paragraph(NamedTuple):
    kind: str  # "text", "quote" (a person's own words) or "link"
    template: str = ""
    value: str = ""  # quote: the words; link: the URL


def available_locales() -> list[str]:
    return sorted(p.stem for p in CATALOGUES.glob("*.json"))


@cache
def _catalogue(locale: str) -> dict[str, Any]:
    return dict(json.loads((CATALOGUES / f"{locale}.json").read_text(encoding="utf-8")))


def resolve_locale(requested: str | None) -> str:
    """The catalogue for a Cognito ``locale`` value (``fr``, ``fr-CA``, ``fr_CA``), falling back to
    the language and then to English."""
    known = set(available_locales())
    tag = (requested or "").strip().lower().replace("_", "-")
    for candidate in (tag, tag.split("-", 1)[0]):
        if candidate and candidate in known:
            return candidate
    return DEFAULT_LOCALE


def human_size(n: int) -> str:
    for unit, scale in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if n >= scale:
            return f"{n / scale:.1f} {unit}"
    return f"{n} bytes"


def human_time(iso: str) -> str:
    return clock.from_iso(iso).strftime("%Y-%m-%d %H:%M UTC")


def one_line(text: str) -> str:
    return _CONTROL.sub(" ", text).strip()


def _render(locale: str, subject: str, paragraphs: list[Paragraph], values: dict[str, str]) -> Email:
    safe = {k: html.escape(v, quote=True) for k, v in values.items()}
    text_parts: list[str] = []
    html_parts: list[str] = []
    for paragraph in paragraphs:
        if paragraph.kind == "quote":
            text_parts.append("\n".join(f"> {line}" for line in paragraph.value.splitlines() or [""]))
            quoted = "<br>".join(html.escape(line, quote=True) for line in paragraph.value.splitlines())
            html_parts.append(f'<blockquote style="{_QUOTE_STYLE}">{quoted}</blockquote>')
        elif paragraph.kind == "link":
            text_parts.append(f"{paragraph.template.format_map(values)}\n{paragraph.value}")
            url = html.escape(paragraph.value, quote=True)
            html_parts.append(f'<p>{html.escape(paragraph.template).format_map(safe)}<br><a href="{url}">{url}</a></p>')
        else:
            text_parts.append(paragraph.template.format_map(values))
            html_parts.append(f"<p>{html.escape(paragraph.template).format_map(safe)}</p>")
    title = one_line(subject.format_map({k: one_line(v) for k, v in values.items()}))[:SUBJECT_MAX_CHARS]
    body = "\n".join(html_parts)
    document = (
        f'<!DOCTYPE html>\n<html lang="{locale}"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n"
        f'<body style="font-family:sans-serif;line-height:1.5">\n{body}\n</body></html>\n'
    )
    return Email(locale=locale, subject=title, text="\n\n".join(text_parts) + "\n", html=document)


def share_link_email(
    locale: str | None,
    *,
    sender: str,
    name: str,
    size: int,
    url: str,
    expires_at: str,
    password_protected: bool,
    message: str | None,
) -> Email:
    """A link sent by its owner: exactly that link's URL; a password link says that it needs one."""
    chosen = resolve_locale(locale)
    words = _catalogue(chosen)["share_link"]
    paragraphs = [Paragraph("text", words["intro"])]
    if message:
        paragraphs += [Paragraph("text", words["note"]), Paragraph("quote", value=message)]
    paragraphs.append(Paragraph("link", words["link"], url))
    if password_protected:
        paragraphs.append(Paragraph("text", words["password"]))
    paragraphs += [Paragraph("text", words["expiry"]), Paragraph("text", words["footer"])]
    values = {"sender": sender, "name": name, "size": human_size(size), "expiresAt": human_time(expires_at)}
    return _render(chosen, words["subject"], paragraphs, values)


def request_file_received_email(
    locale: str | None,
    *,
    request_title: str,
    name: str,
    size: int,
    status: str,
    uploader_name: str | None,
    app_url: str,
) -> Email:
    """To a file request's owner: the request received a file."""
    chosen = resolve_locale(locale)
    catalogue = _catalogue(chosen)
    words = catalogue["request_file_received"]
    paragraphs = [Paragraph("text", words["intro"])]
    if uploader_name:
        paragraphs.append(Paragraph("text", words["uploader"]))
    paragraphs += [
        Paragraph("text", words["status"]),
        Paragraph("link", words["link"], app_url),
        Paragraph("text", words["footer"]),
    ]
    values = {
        "requestTitle": request_title,
        "name": name,
        "size": human_size(size),
        "status": catalogue["statuses"].get(status, status),
        "uploaderName": uploader_name or "",
    }
    return _render(chosen, words["subject"], paragraphs, values)


def upload_problem_email(locale: str | None, *, name: str, status: str, reason: str, app_url: str) -> Email:
    """To an owner who asked for it: an upload ended REJECTED or INFECTED, and why."""
    chosen = resolve_locale(locale)
    catalogue = _catalogue(chosen)
    words = catalogue["upload_problem"]
    paragraphs = [
        Paragraph("text", words["intro"]),
        Paragraph("link", words["link"], app_url),
        Paragraph("text", words["footer"]),
    ]
    values = {"name": name, "status": catalogue["statuses"].get(status, status), "reason": reason}
    return _render(chosen, words["subject"], paragraphs, values)
