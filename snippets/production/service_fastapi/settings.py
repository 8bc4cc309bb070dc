"""The service's settings, read from the environment once, at start-up."""

from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    # APP_PORT=8080 sets port; a variable that is not set keeps the default.
    model_config = SettingsConfigDict(env_prefix="APP_")

    port: int = Field(default=3000, ge=0, le=65535)  # 0 picks a free port
    log_level: Literal["error", "warn", "info", "debug"] = "info"
    # How long a stop waits for requests in progress.
    grace_seconds: float = Field(default=2.0, ge=0, le=60)
