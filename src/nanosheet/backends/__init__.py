"""Optional AI backends, each behind one narrow seam; nothing here runs unless a command asks for it.

- ``image``: prompt text -> a Nano Banana image padded to A4 (seam: ``ImageModel.generate``).
- ``llm`` / ``llm_compose``: chat -> validated JSON; a Sheet -> the same Sheet with LLM-written panel
  content (seam: ``ChatModel.chat``). ``llm_compose.apply_llm`` is what ``render --llm`` calls.
- ``ocr`` / ``verify``: an image -> text (seam: ``OcrEngine.read``) -> per-panel found/garbled/missing.
- ``gemini_sdk`` / ``openai_sdk``: the only places SDK exceptions are translated into BackendError.
"""
