"""Fetch a web page to import it, safely: only the job worker and the command call this,
never a web request.

- http and https only, no user name or password in the address;
- every address the host name resolves to is checked, and the connection is made to the
  checked address (so a name cannot resolve to another address between check and use);
  loopback, private, link-local, multicast, reserved and unspecified addresses are refused
  (IPv4-mapped IPv6 included) unless CLAIMBOOK_FETCH_ALLOWED_HOSTS names the host or a
  network holding the address;
- each redirect is checked the same way (at most MAX_REDIRECTS);
- the body is read in chunks and abandoned past CLAIMBOOK_FETCH_MAX_BYTES, and the whole
  fetch (robots.txt included) must finish within CLAIMBOOK_FETCH_TIMEOUT seconds;
- a clear User-Agent (CLAIMBOOK_FETCH_USER_AGENT), and robots.txt honoured unless
  CLAIMBOOK_FETCH_ROBOTS is off (RFC 9309: a missing robots.txt allows, an unreachable one
  or a server error disallows).
"""
from __future__ import annotations

import datetime as dt
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

from kb.importing.decode import ImportRefused

MAX_REDIRECTS = 5
CHUNK = 64 * 1024
ROBOTS_MAX_BYTES = 512 * 1024
REDIRECTS = {301, 302, 303, 307, 308}


class FetchFailed(ImportRefused):
    """The page could not be fetched for a reason that may pass (no answer, a server error):
    unlike a refusal, trying again later may help."""


@dataclass(frozen=True)
class Fetched:
    url: str  # the address given
    final_url: str  # after redirects
    data: bytes
    content_type: str
    retrieved_at: dt.datetime


@dataclass(frozen=True)
class Policy:
    allowed: tuple[str, ...] = ()  # host names, addresses or networks that may be private
    max_bytes: int = 10 * 1024 * 1024
    timeout: float = 20.0
    user_agent: str = "Claimbook"
    robots: bool = True


def _forbidden(address: ipaddress._BaseAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local or address.is_multicast
            or address.is_reserved or address.is_unspecified or not address.is_global)


def _allowed(host: str, address: ipaddress._BaseAddress, allowed: tuple[str, ...]) -> bool:
    for entry in allowed:
        if entry.lower() == host.lower():
            return True
        try:
            if address in ipaddress.ip_network(entry, strict=False):
                return True
        except ValueError:
            continue
    return False


def _target(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an address we may fetch; ImportRefused otherwise."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise ImportRefused("bad_url", f"{url!r} is not a valid address") from None
    if parts.scheme not in ("http", "https"):
        raise ImportRefused("bad_url", f"only http and https addresses are fetched, not {parts.scheme or 'this'}:")
    if parts.username or parts.password:
        raise ImportRefused("bad_url", "an address with a user name or password is not fetched")
    if not parts.hostname:
        raise ImportRefused("bad_url", f"{url!r} names no host")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve_checked(host: str, port: int, allowed: tuple[str, ...]) -> str:
    """The address to connect to: every address `host` resolves to must be public (or allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise FetchFailed("unreachable", f"the host {host!r} could not be found") from None
    addresses = []
    for info in infos:
        address = ipaddress.ip_address(info[4][0].split("%", 1)[0])
        if _forbidden(address) and not _allowed(host, address, allowed):
            raise ImportRefused(
                "private_address", f"{host} resolves to {address}, a local or private address: not "
                "fetched (an admin may allow it with CLAIMBOOK_FETCH_ALLOWED_HOSTS)",
            )
        addresses.append(str(address))
    if not addresses:
        raise FetchFailed("unreachable", f"the host {host!r} has no address")
    return addresses[0]


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPS(http.client.HTTPSConnection):
    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self.address = address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # certificate for the name


def _get(url: str, policy: Policy, deadline: float, max_bytes: int) -> tuple[int, dict, bytes, str]:
    """(status, headers, body, final url) after following checked redirects."""
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = _target(url)
        address = resolve_checked(host, port, policy.allowed)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchFailed("timeout", f"{url} did not answer within {policy.timeout:g} seconds")
        connection_type = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
        connection = connection_type(host, port, address, remaining)
        try:
            connection.request("GET", path, headers={
                "User-Agent": policy.user_agent, "Accept": "text/html,application/xhtml+xml,application/pdf,*/*;q=0.5",
                "Accept-Encoding": "identity",
            })
            response = connection.getresponse()
            headers = {key.lower(): value for key, value in response.getheaders()}
            if response.status in REDIRECTS and headers.get("location"):
                url = urljoin(url, headers["location"])
                continue
            body = _read(response, headers, url, deadline, max_bytes, policy.timeout)
            return response.status, headers, body, url
        except (socket.timeout, TimeoutError):
            raise FetchFailed("timeout", f"{url} did not answer within {policy.timeout:g} seconds") from None
        except ssl.SSLError as exc:
            raise FetchFailed("tls", f"{url}: the secure connection failed ({exc.reason or exc})") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchFailed("unreachable", f"{url} could not be fetched ({type(exc).__name__})") from None
        finally:
            connection.close()
    raise ImportRefused("redirects", f"{url}: more than {MAX_REDIRECTS} redirects")


def _read(response, headers: dict, url: str, deadline: float, max_bytes: int, timeout: float) -> bytes:
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise ImportRefused("too_large", f"{url} is {int(declared):,} bytes, over the {max_bytes:,}-byte limit")
    chunks, size = [], 0
    while chunk := response.read1(CHUNK) if hasattr(response, "read1") else response.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise ImportRefused("too_large", f"{url} sends more than {max_bytes:,} bytes: stopped reading")
        if time.monotonic() > deadline:
            raise FetchFailed("timeout", f"{url} did not finish within {timeout:g} seconds")
        chunks.append(chunk)
    return b"".join(chunks)


def _robots_allow(url: str, policy: Policy, deadline: float) -> bool:
    scheme, host, port, _path = _target(url)
    default_port = port == (443 if scheme == "https" else 80)
    robots_url = f"{scheme}://{host}{'' if default_port else f':{port}'}/robots.txt"
    try:
        status, _headers, body, _final = _get(robots_url, policy, deadline, ROBOTS_MAX_BYTES)
    except FetchFailed:
        return False  # unreachable: RFC 9309 says assume disallowed
    except ImportRefused as refused:
        if refused.code == "too_large":
            return True  # past the size a parser must read: what was read is not kept; allow
        raise
    if 400 <= status < 500:
        return True
    if status >= 500:
        return False
    parser = RobotFileParser()
    parser.parse(body.decode("utf-8", errors="replace").splitlines())
    return parser.can_fetch(policy.user_agent, url)


def fetch_url(url: str, policy: Policy) -> Fetched:
    """The page at `url` (ImportRefused, or FetchFailed, with a reason otherwise)."""
    deadline = time.monotonic() + policy.timeout
    _target(url)
    if policy.robots and not _robots_allow(url, policy, deadline):
        raise ImportRefused("robots", f"{url}: the site's robots.txt does not allow Claimbook to fetch it "
                            "(or it could not be read); save the page from a browser and upload the file")
    status, headers, body, final = _get(url, policy, deadline, policy.max_bytes)
    if status >= 400:
        failure = FetchFailed if status >= 500 or status == 429 else ImportRefused
        raise failure("http_error", f"{url} answered HTTP {status}")
    if not body.strip():
        raise ImportRefused("empty", f"{url} answered with an empty page")
    return Fetched(url=url, final_url=final, data=body, content_type=headers.get("content-type", ""),
                   retrieved_at=dt.datetime.now(dt.timezone.utc))


def policy_from_settings(settings) -> Policy:
    return Policy(
        allowed=tuple(settings.CLAIMBOOK_FETCH_ALLOWED_HOSTS), max_bytes=settings.CLAIMBOOK_FETCH_MAX_BYTES,
        timeout=settings.CLAIMBOOK_FETCH_TIMEOUT, user_agent=settings.CLAIMBOOK_FETCH_USER_AGENT,
        robots=settings.CLAIMBOOK_FETCH_ROBOTS,
    )
