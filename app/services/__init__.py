"""Use cases that views, API endpoints and commands call: applying, registers, statistics,
surveys, renewal, revocation, the process designer and its dry run. They run on the
workflow layer below them (app.workflow) and never import the API or the screens."""
