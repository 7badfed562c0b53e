"""Text to trees and back: the tree, the vocabulary, the lexer and parser, the printers (input
syntax, readable Unicode, LaTeX)."""
