"""Decree and invoice PDFs."""
