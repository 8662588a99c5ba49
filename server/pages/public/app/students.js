// Students page: filled in by its module.
