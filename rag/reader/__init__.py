"""The answer reader: a model trained here that reads a question with passages."""
