"""Each document as a PDF file: its bytes in a language and the file name it is downloaded under."""

from billing.models import Invoice

from .models import Act
from .pdf import DEFAULT_DOCUMENT_LANGUAGE, DOCUMENT_LANGUAGES, document_pdf
from .selectors import act_document, invoice_document


def document_language(asked: str | None, default: str = DEFAULT_DOCUMENT_LANGUAGE) -> str:
    """The language asked for when it is one documents are made in, else `default` (Ukrainian)."""
    return asked if asked in DOCUMENT_LANGUAGES else default


def invoice_pdf(invoice: Invoice, *, language: str = DEFAULT_DOCUMENT_LANGUAGE) -> bytes:
    return document_pdf(lambda: invoice_document(invoice), language=language)


def act_pdf(act: Act, *, language: str = DEFAULT_DOCUMENT_LANGUAGE) -> bytes:
    return document_pdf(lambda: act_document(act), language=language)


def pdf_filename(document: Invoice | Act) -> str:
    return f"{document.number}.pdf"
