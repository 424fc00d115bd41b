"""A real, minimal PDF written byte by byte (one page of Helvetica lines), for ingest tests.

No PDF-writing library is needed: the file has a catalog, one page, one text stream and an
/Info dictionary whose /CreationDate a test chooses (e.g. today, as a fresh export has).
"""

from __future__ import annotations


def minimal_pdf(lines: list[str], creation_date: str = "") -> bytes:
    """A one-page PDF showing `lines`; `creation_date` like "D:20261122080000Z" or ""."""

    def escaped(line: str) -> str:
        return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    ops = (
        ["BT", "/F1 12 Tf", "72 720 Td", "14 TL"]
        + [f"({escaped(line)}) Tj T*" for line in lines]
        + ["ET"]
    )
    stream = "\n".join(ops).encode("latin-1")
    info = f"<< /CreationDate ({creation_date}) >>" if creation_date else "<< >>"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        info.encode("latin-1"),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)
