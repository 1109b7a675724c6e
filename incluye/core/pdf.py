"""Documents that leave Incluye as PDF and must last: certificates and skills profiles are archived
by registries and employers and read aloud by screen readers. They are written as PDF/A-3b (XMP
metadata that names the document, an sRGB output intent, every font embedded) and tagged (a
structure tree and the document's language, for PDF/UA readers), by WeasyPrint.

Templates rendered here set one font family on the root element (`html`, so that page margin boxes
such as footers inherit it): DejaVu Sans, installed with the system packages."""

PDF_OPTIONS = {"pdf_variant": "pdf/a-3b", "pdf_tags": True}


def write_archival_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf(**PDF_OPTIONS)
