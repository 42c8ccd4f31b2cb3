//! Joining the parts of a concatenated mobile-originated message (a long reply from a phone).

use std::{
    collections::HashMap,
    time::{Duration, Instant},
};

use super::{Inbound, pdu::Part, text};

/// How long the first parts of a message wait for the rest before they are passed on as they are.
const PART_WAIT: Duration = Duration::from_secs(300);
/// At most this many unfinished messages are kept; past it the oldest is passed on as it is.
const MAX_PENDING: usize = 256;

struct Buffer {
    data_coding: u8,
    parts: Vec<Option<Vec<u8>>>,
    since: Instant,
}

impl Buffer {
    fn into_reply(self, from: String) -> Inbound {
        // Join the raw bytes before decoding: a sender may cut a character between parts.
        let bytes: Vec<u8> = self.parts.into_iter().flatten().flatten().collect();
        Inbound::Reply {
            from,
            text: text::decode(self.data_coding, &bytes),
        }
    }
}

/// Unfinished messages by sender, reference and part count.
#[derive(Default)]
pub(crate) struct Reassembly {
    pending: HashMap<(String, u16, u8), Buffer>,
}

impl Reassembly {
    /// Adds one part; returns the whole reply once its last part is in.
    pub(crate) fn push(
        &mut self,
        from: String,
        data_coding: u8,
        part: Part,
        payload: Vec<u8>,
    ) -> Option<Inbound> {
        let key = (from, part.reference, part.total);
        let buffer = self.pending.entry(key.clone()).or_insert_with(|| Buffer {
            data_coding,
            parts: vec![None; usize::from(part.total)],
            since: Instant::now(),
        });
        let index = usize::from(part.seq).checked_sub(1);
        if let Some(slot) = index.and_then(|i| buffer.parts.get_mut(i)) {
            *slot = Some(payload);
        }
        if buffer.parts.iter().all(Option::is_some) {
            let buffer = self.pending.remove(&key)?;
            return Some(buffer.into_reply(key.0));
        }
        None
    }

    /// Passes on, as far as they got, the messages whose parts stopped coming (or the oldest ones
    /// when too many are open): a partial reply is worth more than none.
    pub(crate) fn expire(&mut self, now: Instant) -> Vec<Inbound> {
        let mut keys: Vec<_> = self
            .pending
            .iter()
            .filter(|(_, b)| now.duration_since(b.since) >= PART_WAIT)
            .map(|(k, _)| k.clone())
            .collect();
        if self.pending.len() > MAX_PENDING {
            let mut by_age: Vec<_> = self.pending.iter().map(|(k, b)| (b.since, k)).collect();
            by_age.sort();
            let excess = self.pending.len() - MAX_PENDING;
            keys.extend(by_age.into_iter().take(excess).map(|(_, k)| k.clone()));
        }
        keys.into_iter()
            .filter_map(|key| {
                let buffer = self.pending.remove(&key)?;
                tracing::warn!(from = %key.0, reference = key.1, "passing on an incomplete concatenated reply");
                Some(buffer.into_reply(key.0))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(seq: u8) -> Part {
        Part {
            reference: 5,
            total: 2,
            seq,
        }
    }

    #[test]
    fn parts_in_any_order_make_one_reply() {
        let mut r = Reassembly::default();
        let from = "+79220000001".to_owned();
        assert_eq!(r.push(from.clone(), 8, part(2), vec![0x04, 0x30]), None);
        let whole = r.push(from.clone(), 8, part(1), vec![0x04, 0x14]);
        assert_eq!(
            whole,
            Some(Inbound::Reply {
                from,
                text: "Да".to_owned()
            })
        );
        assert!(r.pending.is_empty());
    }

    #[test]
    fn stale_parts_are_passed_on() {
        let mut r = Reassembly::default();
        r.push("+1555000".to_owned(), 0, part(1), b"Hel".to_vec());
        assert!(r.expire(Instant::now()).is_empty());
        let later = Instant::now() + PART_WAIT;
        let out = r.expire(later);
        assert_eq!(
            out,
            vec![Inbound::Reply {
                from: "+1555000".to_owned(),
                text: "Hel".to_owned()
            }]
        );
    }
}
