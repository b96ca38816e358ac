import socket

import pytest


def test_outside_connections_are_refused():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(RuntimeError, match="network access"):
        s.connect(("198.51.100.7", 443))
    s.close()


def test_dns_is_refused():
    with pytest.raises(RuntimeError, match="DNS"):
        socket.getaddrinfo("huggingface.co", 443)
