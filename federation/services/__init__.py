"""Every change to the union tree and its people, by topic: ``imports`` (units created in bulk
and imported from a spreadsheet), ``units`` (one unit at a time: create, edit, move, merge,
delete) and ``people`` (memberships, departments, the import of people)."""
