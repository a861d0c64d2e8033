"""The question set, in three rooms: `promptset` (the shape of themes and prompts), `load`
(reading, validating and caching the prompt files) and `choose` (the pure chooser of the
prompt of the day, DESIGN.md section 4). Import from the room, not from here."""
