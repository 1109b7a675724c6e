"""Reading a PDF back as a PDF/A and PDF/UA check does (used by test_archival_pdfs.py)."""

import io
import shutil
import subprocess
import tempfile

import pikepdf


def archival_pdf_facts(content: bytes) -> dict:
    """What a PDF/A and PDF/UA check reads from a PDF, with two independent tools: pikepdf (qpdf) for
    the XMP metadata, the output intent and the structure tree; poppler's pdfinfo and pdffonts for
    the document information, the tagging and the fonts."""
    facts: dict = {}
    with pikepdf.open(io.BytesIO(content)) as pdf:
        with pdf.open_metadata() as xmp:
            facts["pdfa_part"] = xmp.get("pdfaid:part")
            facts["pdfa_conformance"] = xmp.get("pdfaid:conformance")
            facts["xmp_title"] = xmp.get("dc:title")
            facts["xmp"] = str(xmp)
        intents = pdf.Root.get("/OutputIntents") or []
        facts["output_intents"] = [(str(i.get("/S")), "/DestOutputProfile" in i) for i in intents]
        facts["struct_tree"] = "/StructTreeRoot" in pdf.Root
        facts["marked"] = bool(pdf.Root.get("/MarkInfo", {}).get("/Marked", False))
        facts["lang"] = str(pdf.Root.get("/Lang", ""))
        facts["info_title"] = str(pdf.docinfo.get("/Title", ""))
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(content)
        handle.flush()
        poppler = {tool: shutil.which(tool) for tool in ("pdfinfo", "pdffonts")}
        assert all(poppler.values()), "poppler-utils is missing: run scripts/install.sh dev"
        info = subprocess.run(
            [poppler["pdfinfo"], handle.name], capture_output=True, text=True, check=True
        ).stdout
        fonts = subprocess.run(
            [poppler["pdffonts"], handle.name], capture_output=True, text=True, check=True
        ).stdout
    facts["pdfinfo"] = {
        key.strip(): value.strip() for key, _sep, value in (line.partition(":") for line in info.splitlines())
    }
    facts["fonts"] = [
        {"name": line.split()[0].split("+", 1)[-1], "embedded": line.split()[-5] == "yes"}
        for line in fonts.splitlines()[2:]
        if line.strip()
    ]
    return facts
