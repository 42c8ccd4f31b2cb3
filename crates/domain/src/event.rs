//! Events: the append-only history of a complaint, with typed details per kind.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::wire::wire_enum;
use crate::{ActionKind, CallOutcome, Complaint, Offender, Principal, RejectReason, Role, Status};

/// What happened: registration or one of the actions.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumIter,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum EventKind {
    Registered,
    Accept,
    AssignExecutor,
    ReportDone,
    NotOurBuilding,
    Reroute,
    RecordCall,
    ResidentAnswer,
    SendToInspection,
    Reject,
    Withdraw,
    RecordFindings,
    IssueOrder,
    CheckCompliance,
    RecordFine,
    PauseClock,
    ResumeClock,
    ExtendAnswer,
    Recategorise,
}

wire_enum!(EventKind, "event kind");

impl From<ActionKind> for EventKind {
    fn from(kind: ActionKind) -> Self {
        match kind {
            ActionKind::Accept => EventKind::Accept,
            ActionKind::AssignExecutor => EventKind::AssignExecutor,
            ActionKind::ReportDone => EventKind::ReportDone,
            ActionKind::NotOurBuilding => EventKind::NotOurBuilding,
            ActionKind::Reroute => EventKind::Reroute,
            ActionKind::RecordCall => EventKind::RecordCall,
            ActionKind::ResidentAnswer => EventKind::ResidentAnswer,
            ActionKind::SendToInspection => EventKind::SendToInspection,
            ActionKind::Reject => EventKind::Reject,
            ActionKind::Withdraw => EventKind::Withdraw,
            ActionKind::RecordFindings => EventKind::RecordFindings,
            ActionKind::IssueOrder => EventKind::IssueOrder,
            ActionKind::CheckCompliance => EventKind::CheckCompliance,
            ActionKind::RecordFine => EventKind::RecordFine,
            ActionKind::PauseClock => EventKind::PauseClock,
            ActionKind::ResumeClock => EventKind::ResumeClock,
            ActionKind::ExtendAnswer => EventKind::ExtendAnswer,
            ActionKind::Recategorise => EventKind::Recategorise,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// What an event records beyond its status change, by kind. The variant is the event's kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "details", rename_all = "snake_case")]
pub enum EventDetails {
    Registered {
        /// The category's code.
        category: String,
        urgent: bool,
        /// Free text: kept out of the hashed payload (see [`PERSONAL_FIELDS`]); empty once erased.
        #[serde(default)]
        description: String,
        // No applicant's phone (issue 14): who complained lives in the complaint's person and
        // the history shows it at read time. Events written before migration 000100 lost it there.
    },
    Accept {},
    AssignExecutor {
        /// A name: kept out of the hashed payload (see [`PERSONAL_FIELDS`]).
        #[serde(default)]
        executor: String,
    },
    ReportDone {
        /// The execution deadline the report is measured against.
        execution_due_at: Option<DateTime<Utc>>,
        on_time: bool,
    },
    NotOurBuilding {
        /// The company that declined.
        declined_by: Option<Uuid>,
    },
    Reroute {
        from_company_id: Option<Uuid>,
        /// The company it goes to (absent in reroutes recorded before it was).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to_company_id: Option<Uuid>,
        /// The building's management changed and its open complaints moved with it (the
        /// administrator's choice), rather than a dispatcher's reroute.
        #[serde(default, skip_serializing_if = "is_false")]
        management_change: bool,
    },
    RecordCall {
        outcome: CallOutcome,
        /// The count of unanswered calls so far, for `no_answer`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        attempt: Option<u32>,
        /// The result was unsatisfactory at the escalation round: it went to the inspection.
        #[serde(default, skip_serializing_if = "is_false")]
        auto_escalated: bool,
        /// The last unanswered call: the person is asked by SMS to answer before it closes.
        #[serde(default, skip_serializing_if = "is_false")]
        reply_requested: bool,
        /// An order was in force: instead of closing, the complaint went to the inspection,
        /// whose compliance check alone closes it.
        #[serde(default, skip_serializing_if = "is_false")]
        compliance_check: bool,
    },
    ResidentAnswer {
        satisfied: bool,
        #[serde(default, skip_serializing_if = "is_false")]
        auto_escalated: bool,
        /// As for a call: an order in force sent it to the inspection's compliance check.
        #[serde(default, skip_serializing_if = "is_false")]
        compliance_check: bool,
    },
    SendToInspection {},
    Reject {
        reason: RejectReason,
        /// The original a duplicate is linked to (absent for other reasons and older events).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duplicate_of: Option<Uuid>,
    },
    Withdraw {},
    RecordFindings {
        violation: bool,
    },
    IssueOrder {
        order_id: Uuid,
        order_due_at: DateTime<Utc>,
    },
    CheckCompliance {
        order_id: Uuid,
        complied: bool,
    },
    RecordFine {
        /// The order not complied with; `None` for a violation fined as found on site.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        order_id: Option<Uuid>,
        amount_rub: u64,
        /// How the article is cited, e.g. `КоАП РФ ст. 7.22`.
        legal_basis: String,
        /// The article's code in the registry (absent in fines recorded before it existed).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        article: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offender: Option<Offender>,
    },
    PauseClock {},
    ResumeClock {
        paused_seconds: i64,
    },
    ExtendAnswer {
        /// The new 59-ФЗ answer deadline.
        answer_due_at: DateTime<Utc>,
        extended_by_days: u32,
    },
    /// The dispatcher corrected the category (the reason is the event's comment).
    Recategorise {
        from_category_id: Uuid,
        /// The old category's code.
        from_category: String,
        to_category_id: Uuid,
        /// The new category's code.
        to_category: String,
        /// The stage deadline after the change (recomputed in the execution stage).
        due_at: Option<DateTime<Utc>>,
    },
}

impl EventDetails {
    /// The kind these details belong to.
    pub fn kind(&self) -> EventKind {
        match self {
            EventDetails::Registered { .. } => EventKind::Registered,
            EventDetails::Accept {} => EventKind::Accept,
            EventDetails::AssignExecutor { .. } => EventKind::AssignExecutor,
            EventDetails::ReportDone { .. } => EventKind::ReportDone,
            EventDetails::NotOurBuilding { .. } => EventKind::NotOurBuilding,
            EventDetails::Reroute { .. } => EventKind::Reroute,
            EventDetails::RecordCall { .. } => EventKind::RecordCall,
            EventDetails::ResidentAnswer { .. } => EventKind::ResidentAnswer,
            EventDetails::SendToInspection {} => EventKind::SendToInspection,
            EventDetails::Reject { .. } => EventKind::Reject,
            EventDetails::Withdraw {} => EventKind::Withdraw,
            EventDetails::RecordFindings { .. } => EventKind::RecordFindings,
            EventDetails::IssueOrder { .. } => EventKind::IssueOrder,
            EventDetails::CheckCompliance { .. } => EventKind::CheckCompliance,
            EventDetails::RecordFine { .. } => EventKind::RecordFine,
            EventDetails::PauseClock {} => EventKind::PauseClock,
            EventDetails::ResumeClock { .. } => EventKind::ResumeClock,
            EventDetails::ExtendAnswer { .. } => EventKind::ExtendAnswer,
            EventDetails::Recategorise { .. } => EventKind::Recategorise,
        }
    }

    /// The kind-specific fields as one JSON object (what the API shows as an event's `details`).
    pub fn fields(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(mut tagged)) => match tagged.remove("details") {
                Some(Value::Object(fields)) => fields,
                _ => Map::new(),
            },
            _ => Map::new(),
        }
    }

    /// Reads the details of `kind` back from their fields; unknown fields are ignored.
    pub fn from_fields(
        kind: EventKind,
        fields: Map<String, Value>,
    ) -> Result<Self, EventDecodeError> {
        let mut tagged = Map::new();
        tagged.insert("kind".to_owned(), Value::String(kind.as_str().to_owned()));
        tagged.insert("details".to_owned(), Value::Object(fields));
        serde_json::from_value(Value::Object(tagged))
            .map_err(|e| EventDecodeError(format!("details of a `{kind}` event: {e}")))
    }
}

/// The details' fields that are personal data or free text. They are never part of an event's
/// stored (hashed) payload: they are stored beside it, in a column that erasure may redact
/// without breaking the hash chain (152-ФЗ). A redacted event reads back with these fields
/// empty (`""`) or absent.
pub const PERSONAL_FIELDS: [&str; 2] = ["description", "executor"];

/// Splits details' fields (with or without `company_id` and `round`) into the hashed part and
/// the personal part (`None` when there is none).
pub fn split_personal(mut fields: Map<String, Value>) -> (Map<String, Value>, Option<Value>) {
    let mut personal = Map::new();
    for key in PERSONAL_FIELDS {
        if let Some(value) = fields.remove(key) {
            personal.insert(key.to_owned(), value);
        }
    }
    let personal = (!personal.is_empty()).then_some(Value::Object(personal));
    (fields, personal)
}

/// A stored event that does not decode: a fault in the data, never guessed around.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("undecodable event: {0}")]
pub struct EventDecodeError(pub String);

/// One entry of a complaint's history.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub complaint_id: Uuid,
    /// Who did it: a person, an organisation's service account, or the system.
    pub actor: Principal,
    pub actor_role: Role,
    /// `None` only for `registered`.
    pub from: Option<Status>,
    pub to: Status,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
    /// The company the complaint is routed to after this event.
    pub company_id: Option<Uuid>,
    /// The round after this event.
    pub round: u32,
    pub details: EventDetails,
}

impl Event {
    pub fn kind(&self) -> EventKind {
        self.details.kind()
    }

    /// The stored payload, the part the hash chain covers: the details' fields without the
    /// [`PERSONAL_FIELDS`], with `company_id` and `round`.
    pub fn payload(&self) -> Value {
        let (mut payload, _) = split_personal(self.details.fields());
        payload.insert(
            "company_id".to_owned(),
            self.company_id
                .map_or(Value::Null, |id| Value::String(id.to_string())),
        );
        payload.insert("round".to_owned(), Value::from(self.round));
        Value::Object(payload)
    }

    /// The personal part of the details, stored beside the payload and never hashed: `None`
    /// when the event has none.
    pub fn personal(&self) -> Option<Value> {
        split_personal(self.details.fields()).1
    }

    /// `company_id` and the details of a stored payload and its personal part (the inverse of
    /// [`Event::payload`] and [`Event::personal`]). A personal part that is missing (redacted)
    /// reads as empty fields; one that names a field not personal is ignored for that field.
    pub fn decode_payload(
        kind: EventKind,
        payload: Value,
        personal: Option<Value>,
    ) -> Result<(Option<Uuid>, EventDetails), EventDecodeError> {
        let Value::Object(mut fields) = payload else {
            return Err(EventDecodeError(format!(
                "the payload of a `{kind}` event is not an object"
            )));
        };
        match personal {
            None | Some(Value::Null) => {}
            Some(Value::Object(personal)) => {
                for (key, value) in personal {
                    if PERSONAL_FIELDS.contains(&key.as_str()) {
                        fields.insert(key, value);
                    }
                }
            }
            Some(other) => {
                return Err(EventDecodeError(format!(
                    "the personal part of a `{kind}` event is {other}"
                )));
            }
        }
        fields.remove("round");
        let company_id =
            match fields.remove("company_id") {
                None | Some(Value::Null) => None,
                Some(Value::String(id)) => Some(Uuid::parse_str(&id).map_err(|e| {
                    EventDecodeError(format!("company_id of a `{kind}` event: {e}"))
                })?),
                Some(other) => {
                    return Err(EventDecodeError(format!(
                        "company_id of a `{kind}` event is {other}"
                    )));
                }
            };
        Ok((company_id, EventDetails::from_fields(kind, fields)?))
    }

    /// The event of a change that left `after`.
    pub(crate) fn of(after: &Complaint, change: Change, details: EventDetails) -> Event {
        Event {
            complaint_id: after.id,
            actor: change.actor,
            actor_role: change.actor_role,
            from: change.from,
            to: after.status,
            at: change.at,
            comment: change.comment,
            company_id: after.company_id,
            round: after.round,
            details,
        }
    }
}

/// Who changed a complaint, when, from which status, and what they wrote.
pub(crate) struct Change {
    pub actor: Principal,
    pub actor_role: Role,
    pub from: Option<Status>,
    pub at: DateTime<Utc>,
    pub comment: Option<String>,
}

/// The result of a successful operation: the new snapshot (version + 1) and its one event.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transition {
    pub complaint: Complaint,
    pub event: Event,
    /// The clocks of a new category, started by a recategorisation (empty otherwise): what
    /// [`crate::after_transition`] puts in place of the old category's open clocks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub started_clocks: Vec<crate::Clock>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registered() -> EventDetails {
        EventDetails::Registered {
            category: "heating".to_owned(),
            urgent: false,
            description: "Холодно в кв. 12, Иванов".to_owned(),
        }
    }

    #[test]
    fn personal_fields_are_split_off_and_read_back() {
        let (hashed, personal) = split_personal(registered().fields());
        assert_eq!(hashed.get("description"), None);
        assert_eq!(hashed["category"], "heating");
        let mut payload = hashed.clone();
        payload.insert("round".to_owned(), Value::from(1));
        let (_, back) =
            Event::decode_payload(EventKind::Registered, Value::Object(payload), personal).unwrap();
        assert_eq!(back, registered());
    }

    #[test]
    fn a_redacted_event_reads_back_with_empty_personal_fields() {
        let (hashed, _) = split_personal(registered().fields());
        let (_, back) =
            Event::decode_payload(EventKind::Registered, Value::Object(hashed), None).unwrap();
        assert_eq!(
            back,
            EventDetails::Registered {
                category: "heating".to_owned(),
                urgent: false,
                description: String::new(),
            }
        );
        let assign = EventDetails::AssignExecutor {
            executor: "Петров".to_owned(),
        };
        let (hashed, personal) = split_personal(assign.fields());
        assert!(hashed.is_empty());
        assert!(personal.is_some());
        let (_, back) =
            Event::decode_payload(EventKind::AssignExecutor, Value::Object(hashed), None).unwrap();
        assert_eq!(
            back,
            EventDetails::AssignExecutor {
                executor: String::new()
            }
        );
    }

    #[test]
    fn a_personal_part_cannot_smuggle_in_other_fields() {
        let (hashed, _) = split_personal(registered().fields());
        let personal = serde_json::json!({ "category": "gas", "description": "x" });
        let (_, back) =
            Event::decode_payload(EventKind::Registered, Value::Object(hashed), Some(personal))
                .unwrap();
        let EventDetails::Registered {
            category,
            description,
            ..
        } = back
        else {
            panic!("not registered")
        };
        assert_eq!(category, "heating");
        assert_eq!(description, "x");
    }
}
