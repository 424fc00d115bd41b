"""The child process behind `rag.index.torch_bf16.Bf16InChild`: embeds texts it is sent.

`python -m rag.index.bf16_child THREADS` loads MiniLM in bf16 (THREADS 0: all cores), then
answers each list of texts read from standard input with ("vectors", float32 array) or
("error", message), framed and pickled by `multiprocessing.connection`; it exits when its
input closes. Standard output carries only those replies: anything a library prints goes to
standard error instead. What it leaves out: everything but embedding.
"""

from __future__ import annotations

import os
import signal
import sys
from multiprocessing.connection import Connection


def main(threads: int) -> None:
    # Ctrl-C in a terminal reaches the whole process group: the parent decides, and its
    # exit closes our input, which ends us after the batch in hand (no second traceback)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = Connection(os.dup(1), readable=False)
    os.dup2(2, 1)  # print() and library chatter must not reach the reply pipe
    requests = Connection(os.dup(0), writable=False)
    import numpy as np

    from rag.index.memory import give_back_memory
    from rag.index.torch_bf16 import Bf16MiniLM

    model = Bf16MiniLM(threads=threads or None)
    while True:
        try:
            texts = requests.recv()
        except EOFError:
            return
        try:
            replies.send(("vectors", np.asarray(model._embed(texts), dtype=np.float32)))
        except Exception as err:  # said to the parent, which raises it
            replies.send(("error", f"{type(err).__name__}: {err}"))
        give_back_memory()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
