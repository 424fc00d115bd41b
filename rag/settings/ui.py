"""Where the web UI listens, who may log in, and how much one upload may hold.

The UI's field group of `Settings`; where uploads are kept follows from the data folder
(`rag.settings.store`).
"""

from __future__ import annotations

from pydantic import BaseModel, Field, SecretStr


class UIFields(BaseModel):
    """Web UI knobs."""

    ui_host: str = Field("127.0.0.1", description="Address the web UI binds to.")
    ui_port: int = Field(7860, description="Port of the web UI.")
    ui_auth: SecretStr | None = Field(
        None, description="'user:password' to require a login on every UI and API route."
    )
    ui_max_upload_mb: float = Field(20.0, gt=0, description="Largest file the UI accepts.")
    ui_max_files: int = Field(50, ge=1, description="Most files one UI upload may hold.")
