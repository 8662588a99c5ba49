// My tasks page: filled in by its module.
