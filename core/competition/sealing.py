"""Envelope encryption of tender content: sealed until the opening.

- Every procurement with an announced competition has one random 256-bit data key
  (`CompetitionKey`), stored only wrapped (AES-GCM) by the instance's key-encryption key
  (`SAMSPILL_ENCRYPTION_KEY`, or the file `encryption_key` in the instance folder — never in
  the database). A database dump or backup alone holds only ciphertext.
- Tender answers (JSON) and file bytes are encrypted with the data key (AES-GCM, a fresh
  96-bit nonce each time, the tender/file identity as associated data so a ciphertext cannot
  be moved to another tender).
- `release(...)` is the one place that decides whether the data key may be used to read: for
  the supplier's own tender (it wrote it), or for anyone else only once the tenders are opened.
  Every read by someone other than the supplier is audit-logged by the caller (`opening`).
"""

from __future__ import annotations

import base64
import hashlib
import os
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, g, has_app_context
from sqlalchemy import select

from core.competition.models import Competition, CompetitionKey
from core.db import db
from core.errors import Conflict
from core.i18n import _l

NONCE = 12


class SealedError(Conflict):
    """The tenders are still sealed (before the opening)."""


def _kek() -> bytes:
    raw = current_app.config.get("SAMSPILL_ENCRYPTION_KEY") or ""
    try:
        key = base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4))
    except ValueError as exc:
        raise RuntimeError("SAMSPILL_ENCRYPTION_KEY must be the base64 of 32 random bytes") from exc
    if len(key) != 32:
        raise RuntimeError("SAMSPILL_ENCRYPTION_KEY must be the base64 of 32 random bytes")
    # The same setting is the Fernet key of tenant secrets: derive a key of the sealing's own.
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"samspill", info=b"competition-key-encryption")
    return hkdf.derive(key)


def kek_fingerprint() -> str:
    return hashlib.sha256(b"samspill-kek" + _kek()).hexdigest()[:16]


def _encrypt(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def _decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes:
    return AESGCM(key).decrypt(blob[:NONCE], blob[NONCE:], aad)


def _key_aad(procurement_id: uuid.UUID) -> bytes:
    return b"samspill-data-key:" + procurement_id.bytes


def create_data_key(procurement_id: uuid.UUID) -> CompetitionKey:
    """A new data key for the procurement, stored wrapped (at announcement, once)."""
    existing = db.session.execute(
        select(CompetitionKey).where(CompetitionKey.procurement_id == procurement_id)).scalar_one_or_none()
    if existing is not None:
        return existing
    row = CompetitionKey(id=uuid.uuid4(), procurement_id=procurement_id, kek_fingerprint=kek_fingerprint(),
                         wrapped_key=_encrypt(_kek(), AESGCM.generate_key(bit_length=256),
                                              _key_aad(procurement_id)))
    db.session.add(row)
    db.session.flush()
    return row


def _data_key(procurement_id: uuid.UUID) -> bytes:
    """The unwrapped data key, remembered for the rest of the request (one query per page, none
    when `competition_with_key` read it along with the competition)."""
    cache = g.setdefault("competition_data_keys", {}) if has_app_context() else {}
    if procurement_id not in cache:
        wrapped = g.get("competition_wrapped_keys", {}).pop(procurement_id, None) if has_app_context() else None
        cache[procurement_id] = (_unwrap(procurement_id) if wrapped is None
                                 else _decrypt(_kek(), wrapped, _key_aad(procurement_id)))
    return cache[procurement_id]


def competition_with_key(procurement_id: uuid.UUID) -> Competition | None:
    """The procurement's competition, its wrapped data key read in the same statement and kept
    for the request (unwrapped only when `unseal` uses it, after `release` allowed it)."""
    row = db.session.execute(
        select(Competition, CompetitionKey.wrapped_key)
        .outerjoin(CompetitionKey, CompetitionKey.procurement_id == Competition.procurement_id)
        .where(Competition.procurement_id == procurement_id)).first()
    if row is None:
        return None
    competition, wrapped = row
    if wrapped is not None and has_app_context():
        g.setdefault("competition_wrapped_keys", {})[procurement_id] = wrapped
    return competition


def _unwrap(procurement_id: uuid.UUID) -> bytes:
    row = db.session.execute(
        select(CompetitionKey).where(CompetitionKey.procurement_id == procurement_id)).scalar_one_or_none()
    if row is None:
        raise Conflict(_l("The competition is not announced."))
    return _decrypt(_kek(), row.wrapped_key, _key_aad(procurement_id))


def aad(kind: str, object_id: uuid.UUID) -> bytes:
    return f"samspill-{kind}:{object_id}".encode()


def seal(procurement_id: uuid.UUID, plaintext: bytes, associated: bytes) -> bytes:
    """Encrypt with the procurement's data key (suppliers writing their tenders)."""
    return _encrypt(_data_key(procurement_id), plaintext, associated)


def release(competition: Competition, *, own_supplier: bool) -> None:
    """May the data key be used to read now? The supplier for its own tender; anyone else only
    after the opening (refused with 409 before)."""
    if own_supplier:
        return
    if competition.opened_at is None:
        raise SealedError(_l("The tenders are sealed until they are opened after the opening time."))


def unseal(competition: Competition, blob: bytes, associated: bytes, *, own_supplier: bool) -> bytes:
    release(competition, own_supplier=own_supplier)
    return _decrypt(_data_key(competition.procurement_id), blob, associated)
