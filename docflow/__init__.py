"""docflow: a hot-folder document workflow for Vietnamese emulation and commendation campaigns."""

__version__ = "0.1.0"
