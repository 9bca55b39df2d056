"""The ``cablelint`` program: ``python -m cablelint`` and the console script."""

import gc
import sys


def run() -> None:
    """Run :func:`cablelint.cli.main` as the program, and exit with its status.

    Start-up (the modules, the rule packs, the OCR tables) makes some 100,000 objects that
    live until the process ends. With the collector's default threshold it searches them
    for reference cycles dozens of times while they are made, and once more at exit, which
    together cost a one-file run (a pre-commit hook) about a tenth of its time. Linting makes
    next to no cyclic garbage, so the collector runs less often (and still runs), and the
    objects left at exit are frozen: the process ends without searching them.
    """
    gc.set_threshold(50_000)
    from .cli import main  # after the threshold: importing it is most of start-up

    status = main()
    gc.freeze()
    sys.exit(status)


if __name__ == "__main__":
    run()
