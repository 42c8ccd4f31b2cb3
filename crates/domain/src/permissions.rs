//! What one viewer may do with one complaint, for its screen: the lifecycle's actions and the
//! other operations, from the rules of [`crate::access`] and [`crate::lifecycle`].

use serde::{Deserialize, Serialize};

use crate::access::{attach, reveal_phone, sees_applicant_contact};
use crate::lifecycle::allowed_actions;
use crate::{ActionKind, Actor, Complaint};

/// Everything a viewer may do with one complaint, for its screen: the lifecycle actions whose
/// preconditions hold now, and the other operations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions {
    pub allowed_actions: Vec<ActionKind>,
    /// The applicant's phone is shown in full.
    pub sees_applicant_contact: bool,
    pub may_reveal_phone: bool,
    pub may_attach: bool,
}

/// What `actor` may do with `c`; nothing at all when they may not see it.
pub fn permissions(c: &Complaint, actor: &Actor) -> Permissions {
    Permissions {
        allowed_actions: allowed_actions(c, actor),
        sees_applicant_contact: sees_applicant_contact(c, actor),
        may_reveal_phone: reveal_phone(c, actor).is_ok(),
        may_attach: attach(c, actor).is_ok(),
    }
}
