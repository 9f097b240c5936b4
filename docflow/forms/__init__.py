"""Forms units fill: their specs (from config), reading filled files, writing blank ones."""
