"""Cognito's SRP-6a (``USER_SRP_AUTH``): sign in without sending the password.

Cognito's variant of RFC 5054's 3072-bit group, as the AWS SDKs implement it: ``k = H(0x00 N 0x02)``,
``x = H(salt | H(poolName username ":" password))``, the session key is HKDF-SHA256 of ``S`` with
``u`` as salt and "Caldera Derived Key" as info (16 bytes), and the client proves it with an HMAC of
``poolName | userId | secretBlock | timestamp``. Hex values are "padded" the way Java's BigInteger
prints them (a leading ``00`` when the high bit is set), which the hashes depend on.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime

N_HEX = (
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD"
    "EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED"
    "EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F"
    "83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B"
    "E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510"
    "15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7"
    "ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C"
    "BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF"
)
N = int(N_HEX, 16)
G = 2
INFO = b"Caldera Derived Key\x01"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def pad_hex(value: int | str) -> str:
    text = value if isinstance(value, str) else f"{value:x}"
    if len(text) % 2:
        return f"0{text}"
    return f"00{text}" if text[0] in "89abcdefABCDEF" else text


def hex_hash(hex_text: str) -> str:
    return hashlib.sha256(bytes.fromhex(hex_text)).hexdigest()


K = int(hex_hash("00" + N_HEX + "02"), 16)


def timestamp(moment: datetime) -> str:
    """``Tue Jul 10 11:01:00 UTC 2018``: English names, unpadded day, whatever the locale."""
    t = moment.astimezone(UTC)
    return f"{_DAYS[t.weekday()]} {_MONTHS[t.month - 1]} {t.day} {t:%H:%M:%S} UTC {t.year}"


class SrpClient:
    """One sign-in attempt: ``srp_a`` goes into InitiateAuth, ``answer`` meets PASSWORD_VERIFIER."""

    def __init__(self, pool_id: str, password: str, small_a: int | None = None) -> None:
        self.pool_name = pool_id.split("_", 1)[1]
        self.password = password
        self.a = small_a if small_a is not None else secrets.randbits(1024) % N
        self.big_a = pow(G, self.a, N)
        if self.big_a % N == 0:
            raise ValueError("SRP: A must not be 0 mod N")

    @property
    def srp_a(self) -> str:
        return f"{self.big_a:x}"

    def session_key(self, user_id: str, big_b: int, salt_hex: str) -> bytes:
        if big_b % N == 0:
            raise ValueError("SRP: the server's B is 0 mod N")
        u = int(hex_hash(pad_hex(self.big_a) + pad_hex(big_b)), 16)
        if u == 0:
            raise ValueError("SRP: u is 0")
        inner = hashlib.sha256(f"{self.pool_name}{user_id}:{self.password}".encode()).hexdigest()
        x = int(hex_hash(pad_hex(salt_hex) + inner), 16)
        s = pow(big_b - K * pow(G, x, N), self.a + u * x, N)
        prk = hmac.digest(bytes.fromhex(pad_hex(u)), bytes.fromhex(pad_hex(s)), "sha256")
        return hmac.digest(prk, INFO, "sha256")[:16]

    def answer(self, challenge: dict[str, str], moment: datetime) -> dict[str, str]:
        """The PASSWORD_VERIFIER challenge responses for Cognito's challenge parameters."""
        user_id = challenge["USER_ID_FOR_SRP"]
        key = self.session_key(user_id, int(challenge["SRP_B"], 16), challenge["SALT"])
        secret_block = challenge["SECRET_BLOCK"]
        when = timestamp(moment)
        message = self.pool_name.encode() + user_id.encode() + base64.b64decode(secret_block) + when.encode()
        return {
            "USERNAME": challenge.get("USERNAME", user_id),
            "PASSWORD_CLAIM_SECRET_BLOCK": secret_block,
            "PASSWORD_CLAIM_SIGNATURE": base64.b64encode(hmac.digest(key, message, "sha256")).decode(),
            "TIMESTAMP": when,
        }
