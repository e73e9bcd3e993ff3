"""The workflow layer: the engine, one declarative definition per built-in kind
(pkkpr_nb, aset), the configured processes' palette (configured), and everything a
transition does inside its transaction — the service-time clock, numbering and registers,
corrections, rejections, withdrawals, initials, fees and invoices, documents drawn from
their templates, signers and signatures. It imports models and the support packages,
never app.services, the API or the screens (pyproject.toml's layers contract)."""
