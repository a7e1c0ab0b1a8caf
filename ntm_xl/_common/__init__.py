"""Helpers every layer may use: text folding, cell references, XML-safe text, output files."""
