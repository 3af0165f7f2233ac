"""The cluster driver keeps every Ctrl-C/SIGTERM, even one whose KeyboardInterrupt is lost."""

from __future__ import annotations

import os
import signal

import pytest

from engine.cluster.driver import _terminate_as_interrupt


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_raises_and_is_kept_when_library_code_swallows_the_interrupt(signum):
    before = signal.getsignal(signum)
    with _terminate_as_interrupt() as received:
        try:  # library code that catches everything, as code on the main thread may
            os.kill(os.getpid(), signum)  # os.kill runs the handler before it returns
            raised = False
        except KeyboardInterrupt as exc:
            raised = exc.args == (signum,)
        assert raised
        assert received == [signum]  # the driver's loop sees it even though it was caught
    assert signal.getsignal(signum) is before
