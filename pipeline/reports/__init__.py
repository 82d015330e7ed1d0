"""The coordinator's reports: gathered once (data), written as Excel (xlsx) and HTML (html), cells kept inert."""
