// Audit page: filled in by its module.
