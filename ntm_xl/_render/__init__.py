"""Rendering: sheets described once (``_spec``), written by xlsxwriter or into the open workbook."""
