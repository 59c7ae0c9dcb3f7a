"""Pages of the plans app: the plans and their content (``plans``, ``items``), their decisions
(``decisions``), their history (``history``) and the promotors' follow-up board (``board``)."""
