"""Access-matrix rows for export, erasure, PDFs and the privacy page."""

ROWS = []
