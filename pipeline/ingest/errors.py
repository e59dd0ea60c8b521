"""The one exception ingest raises: it becomes an error row, never a crash of the batch."""


class IngestError(Exception):
    """A file that cannot be turned into text. ``error_type`` is a short stable code for the errors table."""

    def __init__(self, error_type: str, message: str):
        super().__init__(message)
        self.error_type = error_type
        self.message = message
