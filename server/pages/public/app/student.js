// Student page: filled in by its module.
