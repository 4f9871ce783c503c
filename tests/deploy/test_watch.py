"""The watcher's rule (deploy/cluster.py out_of_rotation) and what one health check reports."""

from __future__ import annotations

import socket
import threading

import pytest

from deploy.cluster import FAILED, OK, REFUSED, check, free_port, nginx_config, out_of_rotation

# (latest checks, failures in a row, instances out, failing open)
CASES = [
    ([OK, OK], [0, 0], [], False),
    ([OK, FAILED], [0, 1], [], False),  # one late answer is not enough
    ([OK, FAILED], [0, 2], [1], False),  # hung, and the other answers: out
    ([FAILED, FAILED], [2, 2], [], True),  # both hung: both stay in
    ([FAILED, FAILED], [2, 1], [], True),  # one hung, one late: fewer than half answer
    ([OK, REFUSED], [0, 1], [1], False),  # dead: out at once
    ([REFUSED, REFUSED], [1, 1], [0, 1], False),  # all dead: nothing to fail open to
    ([REFUSED, FAILED], [1, 2], [0], True),  # dead out, the hung one kept
    ([OK, FAILED, FAILED], [0, 2, 2], [], True),  # one of three answering: under half
    ([OK, OK, FAILED], [0, 0, 2], [2], False),  # two of three answering
    ([OK, OK, FAILED, FAILED], [0, 0, 2, 2], [2, 3], False),  # half answering is enough
]


@pytest.mark.parametrize(("checks", "fails", "out", "fail_open"), CASES)
def test_the_watcher_takes_out_the_dead_and_the_hung_but_never_every_live_one(
    checks, fails, out, fail_open
):
    assert out_of_rotation(checks, fails) == (out, fail_open)


def test_a_port_nothing_listens_on_is_refused():
    assert check(free_port(), timeout_s=1) == REFUSED


def test_a_server_that_accepts_but_never_answers_fails():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        assert check(listener.getsockname()[1], timeout_s=0.3) == FAILED


def test_a_server_that_answers_something_else_fails():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()

        def answer() -> None:
            connection, _ = listener.accept()
            with connection:
                connection.recv(4096)
                connection.sendall(b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n")

        server = threading.Thread(target=answer)
        server.start()
        assert check(listener.getsockname()[1], timeout_s=2) == FAILED
        server.join()


def test_nginx_has_no_passive_checks_and_marks_down_what_the_watcher_took_out(tmp_path):
    from deploy.cluster import State

    state = State(str(tmp_path), 8080, [9001, 9002], "sqlite://", down=[1])
    servers = [line.strip() for line in nginx_config(state).splitlines() if "server 127" in line]
    assert servers == [
        "server 127.0.0.1:9001 max_fails=0;",
        "server 127.0.0.1:9002 max_fails=0 down;",
    ]
