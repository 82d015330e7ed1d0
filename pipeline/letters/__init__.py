"""Request letters (issue 16): one per responsible OPD, in the form a Bagian Hukum sends (content.py), written as
DOCX (docx.py, editable) and PDF (pdf.py), only when the requests changed (write.py)."""
