"""A local run: DEBUG on unless the environment says otherwise, so a dev secret key is allowed."""

import os

os.environ.setdefault("DEBUG", "true")

from .base import *  # noqa: F403
