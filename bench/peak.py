"""Runs a command and prints its peak resident memory in MB (the largest of its processes that
were waited for): ``python bench/peak.py -- manage.py documents_worker --batch``."""

import resource
import subprocess
import sys

if __name__ == "__main__":
    command = sys.argv[sys.argv.index("--") + 1 :]
    code = subprocess.call(command)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f'{{"peak_memory_mb": {peak:.1f}, "exit": {code}}}')
    sys.exit(code)
