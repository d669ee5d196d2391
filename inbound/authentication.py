"""Whether an inbound message proves its sender: the `From:` address alone proves nothing.

A message is authenticated when one of these holds for the domain of its `From:` address:

- an `Authentication-Results` header written by our own receiving mail server (its authserv-id is the setting
  INBOUND_AUTHSERV_ID; headers of any other id are ignored, since anyone can write them) shows `dmarc=pass` for
  that domain, or an SPF or DKIM pass for an aligned domain;
- we verify a DKIM signature ourselves (dkimpy) whose signing domain is aligned with it (INBOUND_DKIM_VERIFY).

Alignment is DMARC's relaxed alignment, approximated without a public-suffix list: the two domains are equal or
one is a subdomain of the other, and the shorter one has at least two labels.

The receiving server must remove `Authentication-Results` headers carrying its own authserv-id from incoming mail
before adding its own (see the README), otherwise a sender could forge one.
"""

import logging
from dataclasses import dataclass
from email.message import EmailMessage

import authres
import dkim
from dkim import dnsplug

from . import mailparse

logger = logging.getLogger(__name__)
MAX_SIGNATURES = 5  # verifying is DNS look-ups and RSA: a message cannot make us do it without bound
DNS_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class Verdict:
    authenticated: bool
    reason: str


def dns_txt(name: bytes, timeout: int = DNS_TIMEOUT_SECONDS) -> bytes | None:
    """The TXT record DKIM asks for (a DKIM key); the tests replace this function, so that no test needs DNS."""
    return dnsplug.get_txt(name, timeout=timeout)


def _dns_lookup(name: bytes, timeout: int = DNS_TIMEOUT_SECONDS) -> bytes | None:
    return dns_txt(name, timeout)  # looked up at call time, so that replacing dns_txt takes effect


def domain_of(address: str) -> str:
    """The domain of an address ("local@domain" or a bare domain), lowercased, without a trailing dot."""
    return address.rpartition("@")[2].strip().strip(".").lower()


def aligned(domain: str, from_domain: str) -> bool:
    domain, from_domain = domain_of(domain), domain_of(from_domain)
    if not domain or not from_domain:
        return False
    shorter, longer = sorted((domain, from_domain), key=len)
    return shorter.count(".") >= 1 and (longer == shorter or longer.endswith("." + shorter))


def _property(result, ptype: str, name: str) -> str:
    for prop in result.properties:
        if prop.type == ptype and prop.name == name:
            return str(prop.value or "")
    return ""


def _trusted_results(message: EmailMessage, authserv_id: str) -> list:
    """The results of every Authentication-Results header that our own receiving server wrote."""
    results = []
    for value in message.get_all("Authentication-Results") or []:
        try:
            header = authres.AuthenticationResultsHeader.parse_value(" ".join(str(value).split()))
        except Exception as error:  # a malformed header proves nothing; authres raises several unrelated types
            logger.info("Unreadable Authentication-Results header ignored: %s", error)
            continue
        if str(header.authserv_id).lower() == authserv_id.lower():
            results.extend(header.results)
    return results


def verdict_from_results(message: EmailMessage, authserv_id: str) -> Verdict | None:
    """A pass from our server's Authentication-Results for the From: domain, or None."""
    if not authserv_id:
        return None
    from_domain = domain_of(mailparse.sender_of(message))
    for result in _trusted_results(message, authserv_id):
        method, outcome = str(result.method).lower(), str(result.result).lower()
        if outcome != "pass":
            continue
        if method == "dmarc" and domain_of(_property(result, "header", "from")) == from_domain:
            return Verdict(True, f"dmarc=pass ({authserv_id})")
        if method == "dkim":
            signer = _property(result, "header", "d") or _property(result, "header", "i")
            if aligned(signer, from_domain):
                return Verdict(True, f"dkim=pass header.d={domain_of(signer)} ({authserv_id})")
        if method == "spf":
            envelope = _property(result, "smtp", "mailfrom") or _property(result, "smtp", "helo")
            if aligned(envelope, from_domain):
                return Verdict(True, f"spf=pass smtp.mailfrom={domain_of(envelope)} ({authserv_id})")
    return None


def _tags(signature: bytes) -> dict[bytes, bytes]:
    try:
        return dkim.parse_tag_value(b"".join(signature.split()))
    except dkim.InvalidTagValueList:
        return {}


def verdict_from_dkim(message: EmailMessage, raw: bytes) -> Verdict | None:
    """A DKIM signature we verify ourselves, by a domain aligned with the From: domain, or None."""
    from_domain = domain_of(mailparse.sender_of(message))
    verifier = dkim.DKIM(raw, logger=logger)
    signatures = [value for name, value in verifier.headers if name.lower() == b"dkim-signature"]
    for index, signature in enumerate(signatures[:MAX_SIGNATURES]):
        tags = _tags(signature)
        signer = tags.get(b"d", b"").decode("ascii", errors="replace")
        if b"l" in tags or not aligned(signer, from_domain):
            continue  # a body length limit (l=) would let anyone append text under someone else's signature
        try:
            passed = verifier.verify(idx=index, dnsfunc=_dns_lookup)
        except dkim.DKIMException as error:
            logger.info("DKIM signature %d of d=%s does not verify: %s", index, signer, error)
            continue
        if passed:
            return Verdict(True, f"dkim=pass d={domain_of(signer)} (verified here)")
    return None


def sender_verdict(message: EmailMessage, raw: bytes, *, authserv_id: str, dkim_verify: bool) -> Verdict:
    """Whether the message proves that its From: address sent it, and why."""
    verdict = verdict_from_results(message, authserv_id)
    if verdict is None and dkim_verify:
        verdict = verdict_from_dkim(message, raw)
    if verdict is not None:
        return verdict
    checked = [f"no pass for {domain_of(mailparse.sender_of(message)) or '(no domain)'}"]
    checked.append(f"in Authentication-Results of {authserv_id}" if authserv_id else "(INBOUND_AUTHSERV_ID unset)")
    if dkim_verify:
        checked.append("nor an aligned DKIM signature that verifies")
    return Verdict(False, "Sender not authenticated: " + " ".join(checked) + ".")
