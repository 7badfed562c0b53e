"""What the commands ask: an answer checked, a catalog checked three ways, backpropagation through
modules."""
