"""Shared fixtures. Every test runs with the network blocked (loopback excepted)."""

from __future__ import annotations

import os
import socket

import pytest

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex
_LOOPBACK = ("127.", "::1", "localhost")


def _guard(sock, address):
    if sock.family in (socket.AF_INET, socket.AF_INET6):
        host = str(address[0])
        if not host.startswith(_LOOPBACK):
            raise RuntimeError(f"network access attempted in a test: {address!r}")


@pytest.fixture(autouse=True)
def block_network(monkeypatch):
    def connect(self, address):
        _guard(self, address)
        return _real_connect(self, address)

    def connect_ex(self, address):
        _guard(self, address)
        return _real_connect_ex(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)

    def no_dns(*a, **k):
        host = a[0] if a else k.get("host")
        if host and not str(host).startswith(_LOOPBACK):
            raise RuntimeError(f"DNS lookup attempted in a test: {host!r}")
        return _real_getaddrinfo(*a, **k)

    monkeypatch.setattr(socket, "getaddrinfo", no_dns)


_real_getaddrinfo = socket.getaddrinfo


@pytest.fixture(scope="session")
def article():
    from index.loaders import default_corpus, load_paths

    return load_paths([default_corpus()])[0]


@pytest.fixture(scope="session")
def fake_embedder():
    from index.embedding import HashEmbedder

    return HashEmbedder(dim=256)


@pytest.fixture(scope="session")
def built_index(tmp_path_factory, article, fake_embedder):
    from index.build import build_index
    from index.loaders import default_corpus
    from index.store import open_index
    from index.vocabulary import read_pack

    d = tmp_path_factory.mktemp("index")
    build_index([article], d, fake_embedder, domain_pack=read_pack([default_corpus()]))
    return open_index(d, fake_embedder.name, fake_embedder.dim)


@pytest.fixture(scope="session")
def pipeline(built_index, fake_embedder):
    from qa.generators.echo import EchoGenerator
    from qa.pipeline import Pipeline

    return Pipeline(built_index, fake_embedder, EchoGenerator(), min_score=0.2)
