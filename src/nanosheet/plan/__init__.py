"""Plan: a chapter in, a planned Prompt out."""
