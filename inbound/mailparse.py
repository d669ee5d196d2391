"""Reading an RFC 822 message: who sent it, whether a person did, what it replies to, its new text and files.

Pure functions over `email.message.EmailMessage` (parsed with `email.policy.default`, which decodes RFC 2047
headers and any charset Python knows, koi8-r and windows-1251 included); no database.
"""

import email
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

TICKET_NUMBER = re.compile(r"\bPS-(\d{6})\b")
MESSAGE_ID = re.compile(r"<[^<>\s]+>")
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster")
REPLY_PREFIX = re.compile(r"^\s*((re|fw|fwd|aw|wg|ha|відп|відповідь|пересл|ответ)\s*(\[\d+\])?\s*:\s*)+", re.I)

# Where the quoted previous message starts in common mail clients; everything from there on is dropped.
QUOTE_HEADERS = [
    re.compile(r"^-{2,}\s*(Original Message|Оригінальне повідомлення|Исходное сообщение)\s*-{2,}$", re.I),  # Outlook
    re.compile(r"^(On|Am|Le)\s.*\s(wrote|schrieb|a écrit)\s*:$", re.I),  # Gmail, Apple Mail, Thunderbird
    re.compile(r"^.*\s(написав\(ла\)|написал\(а\))\s*:$", re.I),  # noqa: RUF001 (Cyrillic on purpose)
]
# "... wrote:" alone is a quote header only when quoted lines follow it.
QUOTE_HEADER_LOOSE = re.compile(r"^.*\s(wrote|написав|написала|написал|пише|пишет)\s*:$", re.I)
OUTLOOK_RULE = re.compile(r"^_{10,}$")
OUTLOOK_HEADER = re.compile(r"^(From|Від|От):\s", re.I)
OUTLOOK_NEXT = re.compile(r"^(Sent|Date|Надіслано|Отправлено):\s", re.I)


@dataclass(frozen=True)
class MailFile:
    name: str
    content: bytes
    content_type: str


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=default_policy)


def message_id_of(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID, or a stable stand-in made from the content, so that a message without one is stored once."""
    found = MESSAGE_ID.findall(str(message.get("Message-ID", "")))
    return found[0][:255] if found else f"<sha256-{hashlib.sha256(raw).hexdigest()}@no-message-id>"


def sender_of(message: EmailMessage) -> str:
    return parseaddr(str(message.get("From", "")))[1].strip().lower()


def recipients_of(message: EmailMessage) -> list[str]:
    """The addresses the message was sent to, as the receiving server and the sender recorded them."""
    headers = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")
    values = [str(value) for header in headers for value in (message.get_all(header) or [])]
    return [address for _name, address in getaddresses(values) if address]


def subject_of(message: EmailMessage) -> str:
    return " ".join(str(message.get("Subject", "")).split())


def referenced_ids(message: EmailMessage) -> list[str]:
    """Message-IDs this one answers: In-Reply-To first, then References from the newest."""
    in_reply_to = MESSAGE_ID.findall(str(message.get("In-Reply-To", "")))
    references = MESSAGE_ID.findall(str(message.get("References", "")))
    return list(dict.fromkeys([*in_reply_to, *reversed(references)]))


def ticket_numbers(subject: str) -> list[int]:
    return [int(number) for number in TICKET_NUMBER.findall(subject)]


def clean_subject(subject: str) -> str:
    """The subject without "Re:"/"Fwd:" prefixes, for a new ticket's title."""
    return REPLY_PREFIX.sub("", subject).strip()


def automatic_reason(message: EmailMessage) -> str:
    """Why the message is an auto-reply or a bounce (RFC 3834 and common practice), or "" for a person's mail."""
    auto_submitted = str(message.get("Auto-Submitted", "")).strip().lower()
    if auto_submitted and auto_submitted != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = str(message.get("Precedence", "")).strip().lower()
    if precedence in AUTOMATIC_PRECEDENCE:
        return f"Precedence: {precedence}"
    if message.get("X-Autoreply") or message.get("X-Autorespond"):
        return "X-Autoreply"
    if sender_of(message).split("@")[0] in AUTOMATIC_SENDERS:
        return f"From: {sender_of(message)}"
    if message.get_content_type() == "multipart/report":
        return "Content-Type: multipart/report"
    return ""


class _TextExtractor(HTMLParser):
    """HTML to plain text: block elements become line breaks; scripts, styles and quoted blocks are dropped."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre"}
    SKIPPED = {"script", "style", "head", "title", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_startendtag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag):
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.chunks.append(re.sub(r"[ \t\r\n]+", " ", data))


def html_to_text(html: str) -> str:
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = [line.strip() for line in "".join(extractor.chunks).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def body_text(message: EmailMessage) -> str:
    """The text/plain body, or the HTML body turned into text; "" when there is neither."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeDecodeError):
        content = part.get_payload(decode=True).decode("utf-8", errors="replace")
    content = content.replace("\r\n", "\n")
    return html_to_text(content) if part.get_content_type() == "text/html" else content


def _next_line(lines: list[str], index: int) -> str:
    """The first non-blank line after `index`, stripped; "" at the end."""
    return next((line.strip() for line in lines[index + 1 :] if line.strip()), "")


def _quote_starts(lines: list[str], index: int) -> bool:
    line = lines[index].strip()
    if not line:
        return False
    if any(pattern.match(line) for pattern in QUOTE_HEADERS):
        return True
    following = _next_line(lines, index)
    if QUOTE_HEADER_LOOSE.match(line) and following.startswith(">"):
        return True
    if index + 1 < len(lines) and ("<" in line or "@" in line):  # a client wrapped "On ... <address> wrote:"
        joined = f"{line} {lines[index + 1].strip()}"
        if any(pattern.match(joined) for pattern in QUOTE_HEADERS[1:]):
            return True
    if OUTLOOK_RULE.match(line) and OUTLOOK_HEADER.match(following):
        return True
    return bool(OUTLOOK_HEADER.match(line) and OUTLOOK_NEXT.match(following))


def strip_quoted(text: str) -> str:
    """The new text of a reply: quoted lines (">") and the quoted previous message with its header go."""
    lines = text.replace("\r\n", "\n").split("\n")
    kept = []
    for index, line in enumerate(lines):
        if _quote_starts(lines, index):
            break
        if line.lstrip().startswith(">"):
            continue
        kept.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()


def attachments_of(message: EmailMessage) -> list[MailFile]:
    """Every attached file (inline images with a file name included), as bytes."""
    files = []
    for part in message.walk():
        if part.is_multipart() or part is message:
            continue
        name = part.get_filename()
        if not name and part.get_content_disposition() != "attachment":
            continue
        payload = part.get_payload(decode=True) or b""
        files.append(MailFile(name=name or "attachment", content=payload, content_type=part.get_content_type()))
    return files
