"""The notice: sections I.2 and I.3, its configuration, the Word template and document."""
