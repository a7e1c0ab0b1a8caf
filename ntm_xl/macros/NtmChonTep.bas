Attribute VB_Name = "NtmChonTep"
' The file picker of the button "Nhap du lieu xa" (see NtmXl.bas). ASCII only.
' Kept in a module of its own: it is the one piece that needs a person at
' the screen, so an automated test can put another module in its place.
Option Explicit

' Shows a multi-select picker for commune workbooks, starting in the folder
' named NTM_ThuMucXa, and writes the chosen paths into target.
' Returns the number of files chosen (0 when the clerk cancels).
Public Function ChonTepXa(target As Range) As Long
    Const msoFileDialogFilePicker As Long = 3
    Dim picker As Object, folder As String, title As String, i As Long
    Dim paths() As String

    Set picker = Application.FileDialog(msoFileDialogFilePicker)
    picker.AllowMultiSelect = True
    title = ThisWorkbook.Names("NTM_TieuDeChonTep").RefersTo
    ' The name holds a text constant: ="..."
    If Left$(title, 2) = "=""" Then title = Mid$(title, 3, Len(title) - 3)
    picker.Title = title
    picker.Filters.Clear
    picker.Filters.Add "Excel", "*.xlsx; *.xlsm; *.xls; *.xlsb; *.ods"
    folder = Trim$(CStr(ThisWorkbook.Names("NTM_ThuMucXa").RefersToRange.Value))
    If Len(folder) > 0 Then
        If Right$(folder, 1) <> "\" Then folder = folder & "\"
        picker.InitialFileName = folder
    End If
    If picker.Show <> -1 Then
        ChonTepXa = 0
        Exit Function
    End If
    ReDim paths(1 To picker.SelectedItems.Count)
    For i = 1 To picker.SelectedItems.Count
        paths(i) = picker.SelectedItems(i)
    Next i
    ChonTepXa = GhiTepChon(target, paths)
End Function
