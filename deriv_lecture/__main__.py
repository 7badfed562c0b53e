"""python -m deriv_lecture: the same program as the `deriv` console script."""

from deriv_lecture.cli.launch import main

main()
