"""CV screening: text out of PDF/DOCX/TXT files, safely, and a structured profile out of the text."""
