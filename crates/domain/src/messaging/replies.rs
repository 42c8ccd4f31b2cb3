use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Action, Complaint, Status};

/// What a text sent by a person means.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Reply {
    /// "1", "да", "сделано": the work was done.
    Satisfied,
    /// "2", "нет", "не сделано": it was not.
    Unsatisfied,
    /// "СТОП": no more SMS to this number.
    Stop,
    /// Anything else, shown to the dispatchers.
    Other(String),
}

impl fmt::Display for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reply::Satisfied => f.write_str("satisfied"),
            Reply::Unsatisfied => f.write_str("unsatisfied"),
            Reply::Stop => f.write_str("stop"),
            Reply::Other(text) => write!(f, "other: {text}"),
        }
    }
}

/// Reads a reply: case, `ё`, surrounding punctuation and spaces do not matter.
pub fn parse_reply(text: &str) -> Reply {
    let normal: String = text
        .trim()
        .to_lowercase()
        .replace('ё', "е")
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    let words: Vec<&str> = normal.split_whitespace().collect();
    match words.as_slice() {
        ["1"] | ["да"] | ["сделано"] | ["выполнено"] | ["yes"] | ["done"] => {
            Reply::Satisfied
        }
        ["2"] | ["нет"] | ["не", "сделано"] | ["не", "выполнено"] | ["несделано"] | ["no"] => {
            Reply::Unsatisfied
        }
        ["стоп"] | ["stop"] | ["отписаться"] => Reply::Stop,
        _ => Reply::Other(text.trim().to_owned()),
    }
}

/// What a reply does.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyOutcome {
    /// The person's answer to "done?", recorded exactly as one given in the app.
    Answer(Action),
    /// No more SMS to this number.
    StopSms,
    /// Kept and shown to the dispatchers; nothing changes.
    ShowToDispatchers,
}

/// What `reply`, from the number that last heard about `complaint` (if any), does: "1" or "2"
/// while the complaint awaits verification answers it, with the text as the comment; "СТОП"
/// stops SMS; anything else, or an answer to a complaint that is not waiting for one, is shown to
/// the dispatchers.
pub fn reply_outcome(reply: &Reply, text: &str, complaint: Option<&Complaint>) -> ReplyOutcome {
    let waiting = complaint.is_some_and(|c| c.status == Status::AwaitingVerification);
    let answer = |satisfied| {
        ReplyOutcome::Answer(Action::ResidentAnswer {
            satisfied,
            comment: Some(format!("SMS: {}", text.trim())),
        })
    };
    match reply {
        Reply::Stop => ReplyOutcome::StopSms,
        Reply::Satisfied if waiting => answer(true),
        Reply::Unsatisfied if waiting => answer(false),
        Reply::Satisfied | Reply::Unsatisfied | Reply::Other(_) => ReplyOutcome::ShowToDispatchers,
    }
}
