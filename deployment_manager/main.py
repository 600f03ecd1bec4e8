#!/usr/bin/env python3
"""Stand-in for the old Woosoo Deployment Manager's deployment_manager/main.py.

Copy it over the old one in the project folder, so that `python deployment_manager\\main.py check --verbose` keeps
working: it hands the command line to the `woosoo` command of the Woosoo PowerShell module and returns its exit code
(0 done, 1 failed, 2 bad usage). It finds woosoo through WOOSOO_CMD (the full path of woosoo.cmd, or of the sh
wrapper `woosoo`), else on PATH. Nothing else of the old tool is needed: no packages, only Python itself.
"""
import os
import shutil
import subprocess
import sys


def main() -> int:
    command = os.environ.get("WOOSOO_CMD") or shutil.which("woosoo")
    if not command:
        sys.stderr.write(
            "deployment_manager/main.py: the woosoo command was not found: put the Woosoo module folder on PATH, "
            "or set WOOSOO_CMD to its woosoo.cmd (docs/legacy-cli.md)\n"
        )
        return 1
    return subprocess.call([command] + sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
