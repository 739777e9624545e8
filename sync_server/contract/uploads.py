"""What the upload-related endpoints answer (the tus protocol itself speaks in headers)."""

from pydantic import BaseModel, Field


class TranscriptStored(BaseModel):
    response_id: str
    changed: bool = Field(description="False when this exact transcript was already stored (a repeat).")
