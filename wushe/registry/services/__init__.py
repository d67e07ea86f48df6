"""Every write to the registry. Views, the API, imports and the demo all come through here.

Each function takes keyword-only arguments including ``acting_user`` (``None`` for the system
itself), validates, runs in one transaction and leaves a history record naming the actor.
Errors are ``ValidationError`` keyed by the field at fault, with the rule in the message.

- ``persons``: the interactive writes of one person (register, change, move, deregister, tags,
  certificate, reveal);
- ``households``: households and their members (create, add, move, new head, relation,
  leaving), one at a time and from a ledger in bulk;
- ``drafts`` and ``bulk``: the bulk path of the ledger imports (drafts checked without the
  database, whole batches written with their history);
- ``_rules``: the checks both paths share. The values derived from a name, an ID number and a
  phone (hashes, masks, pinyin) come from one function, ``wushe.registry.identity.derive``.
"""

from ..identity import id_hash, phone_hash
from ._rules import PERSON_REGION_LEVELS, id_not_registrable_message, registered_outside_scope
from .bulk import BULK_FIELDS, PERSON_INSERT_COLUMNS, BulkResult, PersonChange, person_bulk_upsert
from .drafts import (
    PersonDraft,
    RegisteredPerson,
    SealedPerson,
    person_bulk_registered,
    person_draft,
    person_draft_seal,
)
from .households import (
    HouseholdLink,
    household_add_member,
    household_bulk_link,
    household_change_head,
    household_count_members,
    household_create,
    household_move_member,
    household_remove_member,
    household_set_relation,
)
from .persons import (
    UPDATABLE,
    PersonResult,
    certificate_set,
    person_create,
    person_deregister,
    person_move,
    person_reveal,
    person_tags_set,
    person_update,
)

__all__ = [
    "BULK_FIELDS",
    "PERSON_INSERT_COLUMNS",
    "PERSON_REGION_LEVELS",
    "UPDATABLE",
    "BulkResult",
    "HouseholdLink",
    "PersonChange",
    "PersonDraft",
    "PersonResult",
    "RegisteredPerson",
    "SealedPerson",
    "certificate_set",
    "household_add_member",
    "household_bulk_link",
    "household_change_head",
    "household_count_members",
    "household_create",
    "household_move_member",
    "household_remove_member",
    "household_set_relation",
    "id_hash",  # wushe.registry.identity (re-exported: a pure helper, not a write)
    "id_not_registrable_message",
    "person_bulk_registered",
    "person_bulk_upsert",
    "person_create",
    "person_deregister",
    "person_draft",
    "person_draft_seal",
    "person_move",
    "person_reveal",
    "person_tags_set",
    "person_update",
    "phone_hash",  # wushe.registry.identity
    "registered_outside_scope",
]
