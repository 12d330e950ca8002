"""Bulk import of existing reception registers (XLSX and CSV) through `receive_person`."""
