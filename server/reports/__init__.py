"""Report output: labelling report tables in a language and writing them as CSV or XLSX."""
