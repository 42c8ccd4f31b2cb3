//! Who hears of what by which channel: a person's choices per kind of message, over defaults by
//! role, and the channels a message then takes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{Channel, MessageKind};
use crate::{DomainError, Role};

/// One choice of a person: a kind of message on a channel, on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Choice {
    pub kind: MessageKind,
    pub channel: Channel,
    pub enabled: bool,
}

/// A person's choices; what they never chose follows the defaults of their role.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    chosen: BTreeMap<(MessageKind, Channel), bool>,
    /// A company's staff: new complaints as one e-mail every so many minutes instead of one each.
    pub digest_minutes: Option<u32>,
}

/// The shortest and longest digest interval a person may choose, in minutes.
pub const DIGEST_MINUTES: std::ops::RangeInclusive<u32> = 5..=1440;

impl Preferences {
    /// The choices as stored, over the defaults.
    pub fn new(choices: impl IntoIterator<Item = Choice>, digest_minutes: Option<u32>) -> Self {
        Preferences {
            chosen: choices
                .into_iter()
                .map(|c| ((c.kind, c.channel), c.enabled))
                .collect(),
            digest_minutes,
        }
    }

    /// What a person of `role` may switch on or off in their profile, in screen order.
    pub fn offered(role: Role) -> Vec<(MessageKind, Channel)> {
        use Channel::{Email, InApp, Sms};
        use MessageKind as K;
        let kinds: &[MessageKind] = match role {
            Role::Resident => &[
                K::Routed,
                K::Done,
                K::SecondRound,
                K::ToInspection,
                K::Closed,
            ],
            Role::Company => &[K::NewForCompany, K::OverdueDigest],
            Role::Dispatcher => &[K::DailySummary],
            Role::Clerk | Role::Inspector | Role::Admin => &[],
        };
        let channels: &[Channel] = match role {
            Role::Resident => &[InApp, Sms, Email],
            _ => &[InApp, Email],
        };
        kinds
            .iter()
            .flat_map(|kind| channels.iter().map(move |channel| (*kind, *channel)))
            .filter(|(kind, channel)| kind.travels_by(*channel))
            .collect()
    }

    /// Whether a person of `role` hears of `kind` by `channel` unless they choose otherwise:
    /// everything offered is on, so that nobody misses a step before they find the settings.
    pub fn default_for(role: Role, kind: MessageKind, channel: Channel) -> bool {
        Self::offered(role).contains(&(kind, channel))
    }

    /// Whether this person hears of `kind` by `channel`. Messages nobody may switch off (a
    /// receipt, a one-time code, a request to answer) always go by the channels they travel by.
    pub fn wants(&self, role: Role, kind: MessageKind, channel: Channel) -> bool {
        if !kind.travels_by(channel) {
            return false;
        }
        if !kind.is_optional() {
            return true;
        }
        if !Self::offered(role).contains(&(kind, channel)) {
            return false;
        }
        self.chosen
            .get(&(kind, channel))
            .copied()
            .unwrap_or_else(|| Self::default_for(role, kind, channel))
    }

    /// Every offered choice of a person of `role`, as the profile screen shows them.
    pub fn choices(&self, role: Role) -> Vec<Choice> {
        Self::offered(role)
            .into_iter()
            .map(|(kind, channel)| Choice {
                kind,
                channel,
                enabled: self.wants(role, kind, channel),
            })
            .collect()
    }

    /// Refuses what a person of `role` may not choose: a kind or channel not offered to them, a
    /// digest for anyone but a company's staff, an interval out of [`DIGEST_MINUTES`].
    pub fn check(
        role: Role,
        choices: &[Choice],
        digest_minutes: Option<u32>,
    ) -> Result<(), DomainError> {
        let offered = Self::offered(role);
        if let Some((i, choice)) = choices
            .iter()
            .enumerate()
            .find(|(_, c)| !offered.contains(&(c.kind, c.channel)))
        {
            return Err(DomainError::validation(
                format!("choices[{i}]"),
                format!(
                    "{} by {} is not a choice for this account",
                    choice.kind, choice.channel
                ),
            ));
        }
        match digest_minutes {
            Some(_) if role != Role::Company => Err(DomainError::validation(
                "digest_minutes",
                "only a management company's staff receive digests of new complaints",
            )),
            Some(minutes) if !DIGEST_MINUTES.contains(&minutes) => Err(DomainError::validation(
                "digest_minutes",
                format!(
                    "between {} and {} minutes",
                    DIGEST_MINUTES.start(),
                    DIGEST_MINUTES.end()
                ),
            )),
            _ => Ok(()),
        }
    }
}

/// Whether saving `choices` lifts a "СТОП" the person's number sent: they switch some SMS on
/// again in their profile, which is their own, explicit wish to hear by SMS.
pub fn resumes_sms(choices: &[Choice]) -> bool {
    choices
        .iter()
        .any(|c| c.channel == Channel::Sms && c.enabled)
}

/// Where a person can be reached off the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    /// A mobile number in E.164 (`+7…`).
    pub phone: Option<String>,
    pub email: Option<String>,
    /// The number replied "СТОП".
    pub sms_stopped: bool,
}

/// The channels off the screen (SMS, e-mail) by which a message of `kind` reaches a person of
/// `role` with `contact` and `preferences`. A one-time code goes even to a stopped number: the
/// person asked for it.
pub fn channels_for(
    kind: MessageKind,
    role: Role,
    contact: &Contact,
    preferences: &Preferences,
) -> Vec<Channel> {
    let mut channels = Vec::new();
    let sms_open = !contact.sms_stopped || kind == MessageKind::VerificationCode;
    if contact.phone.is_some() && sms_open && preferences.wants(role, kind, Channel::Sms) {
        channels.push(Channel::Sms);
    }
    if contact.email.is_some() && preferences.wants(role, kind, Channel::Email) {
        channels.push(Channel::Email);
    }
    channels
}
