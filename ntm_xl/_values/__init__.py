"""The values that pass between the steps: criteria sets, marks, located entries, problems.

Nothing here reads a file or writes one; every other layer imports from here.
"""
