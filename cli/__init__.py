"""deriv's command line: parse options, call the core, pick a view, write, exit."""
