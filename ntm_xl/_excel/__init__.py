"""The master workbook: its input sheets and the .xlsm build (the buttons live in ``ntm_xl.excel``)."""
