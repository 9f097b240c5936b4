"""Allow `python -m docflow`."""

from docflow.cli import main

raise SystemExit(main())
