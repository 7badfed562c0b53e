"""Derivatives by the lecture's rules, as steps, and their simplification into the form a student
or an answer key writes."""
