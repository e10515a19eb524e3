"""Pages of commendation, by topic. Views stay thin: they find the object the person may see
(404 otherwise), check the rule (403), hand what was typed to a service, and ask the selectors
what the person may do now."""
