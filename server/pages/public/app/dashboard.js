// Dashboard page: filled in by its module.
