"""Classification against the ten criteria: the model (model), the title block and guideline rules it combines
with (titleblock, guideline), and the stage that classifies what the ledger holds (stage)."""
