"""Trygg: brottsförebyggande och trygghetsskapande arbete för kommuner."""
