"""Use cases as plain functions: they take repositories, mailer, file store and clock as arguments."""
