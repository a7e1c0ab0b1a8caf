Attribute VB_Name = "NtmXl"
' The three buttons of the ntm-xl master workbook (sheet "Huong dan").
' Each one runs Python through xlwings' RunPython; the work is done in ntm_xl.excel.
' Each passes XLWINGS_VERSION (xlwings' VBA module in this workbook), so Python
' can tell the clerk when its xlwings package is another version.
' This file is ASCII only: VBA source is stored in a single-byte code page, so
' every Vietnamese text lives in cells and in Python, and cells are reached
' through defined names (NTM_...), never through Vietnamese sheet names.
Option Explicit

' Button "Nhap du lieu xa": pick commune workbooks, then import them.
' The chosen paths go into the cells named NTM_TepChon, never into the Python
' command line, so folder and file names with Vietnamese letters survive.
Public Sub NhapDuLieuXa()
    If ChonTepXa(ThisWorkbook.Names("NTM_TepChon").RefersToRange) = 0 Then Exit Sub
    RunPython "import ntm_xl.excel; ntm_xl.excel.nhap_du_lieu_xa(xlwings_vba='" & XLWINGS_VERSION & "')"
End Sub

' Button "Tinh toan": rewrite the summary sheets from the sheet "Du lieu".
Public Sub TinhToan()
    RunPython "import ntm_xl.excel; ntm_xl.excel.tinh_toan(xlwings_vba='" & XLWINGS_VERSION & "')"
End Sub

' Button "Tao thong bao": write the notice's sections and a draft beside the workbook.
Public Sub TaoThongBao()
    RunPython "import ntm_xl.excel; ntm_xl.excel.tao_thong_bao(xlwings_vba='" & XLWINGS_VERSION & "')"
End Sub

' Writes one path per cell down the first column of target, clearing the rest.
' Returns the number of paths written.
Public Function GhiTepChon(target As Range, paths As Variant) As Long
    Dim i As Long, count As Long
    target.ClearContents
    count = 0
    For i = LBound(paths) To UBound(paths)
        If count >= target.Rows.Count Then Exit For
        count = count + 1
        target.Cells(count, 1).Value = CStr(paths(i))
    Next i
    GhiTepChon = count
End Function
