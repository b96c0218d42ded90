"""Reading a delivered xlsx: the package checked before anything reads it (package.py), the
sheet as a grid of cells and its rows' kinds (grid.py), the header found by name (header.py),
cells into values (cells.py), and the whole sheet (sheet.py: `read_file`)."""
