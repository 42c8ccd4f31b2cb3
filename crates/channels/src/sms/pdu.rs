//! Building the PDUs this client sends and reading the `deliver_sm` it receives.

use std::str::FromStr;

use rusmpp::{
    pdus::{BindTransceiver, DeliverSm, SubmitSm},
    tlvs::TlvValue,
    types::{COctetString, OctetString},
    values::{DataCoding, EsmClass, InterfaceVersion, Npi, RegisteredDelivery, Ton},
};

use super::{SmppConfig, SmsError, text};

/// `esm_class` bit that says the short message starts with a user data header.
const ESM_UDHI: u8 = 0x40;
/// Type of number: international; numbering plan: ISDN/E.164.
const TON_INTERNATIONAL: u8 = 0x01;
const TON_ALPHANUMERIC: u8 = 0x05;
const NPI_ISDN: u8 = 0x01;
/// `registered_delivery`: an SMSC delivery receipt on final success or failure.
const RECEIPT_ON_FINAL: u8 = 0x01;
/// Command statuses this client reports for problems it finds before sending.
pub(crate) const ESME_RINVMSGLEN: u32 = 0x01;
pub(crate) const ESME_RINVSRCADR: u32 = 0x0A;

/// The digits of an E.164 number written `+79221234567` (spaces, dashes and parentheses are
/// ignored), as SMPP wants them with TON international: without the '+'.
pub(crate) fn destination(to: &str) -> Result<String, SmsError> {
    let invalid = || SmsError::InvalidNumber(to.to_owned());
    let compact: String = to
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')'))
        .collect();
    let digits = compact.strip_prefix('+').ok_or_else(invalid)?;
    let valid = (7..=15).contains(&digits.len())
        && digits.bytes().all(|b| b.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(digits.to_owned())
    } else {
        Err(invalid())
    }
}

/// TON, NPI and address of the configured sender: `+7922…` is international, other digits
/// (a short code) go with TON unknown, and anything else is an alphanumeric sender name.
fn source(addr: &str) -> (u8, u8, String) {
    if let Some(digits) = addr.strip_prefix('+')
        && !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
    {
        (TON_INTERNATIONAL, NPI_ISDN, digits.to_owned())
    } else if !addr.is_empty() && addr.bytes().all(|b| b.is_ascii_digit()) {
        (0, NPI_ISDN, addr.to_owned())
    } else {
        (TON_ALPHANUMERIC, 0, addr.to_owned())
    }
}

pub(crate) fn bind_transceiver(config: &SmppConfig) -> Result<BindTransceiver, String> {
    let system_id = COctetString::from_str(&config.system_id)
        .map_err(|e| format!("system_id {:?} does not fit SMPP: {e}", config.system_id))?;
    let password = COctetString::from_str(&config.password)
        .map_err(|e| format!("the password does not fit SMPP (at most 8 ASCII characters): {e}"))?;
    Ok(BindTransceiver::builder()
        .system_id(system_id)
        .password(password)
        .system_type(COctetString::empty())
        .interface_version(InterfaceVersion::Smpp3_4)
        .addr_ton(Ton::from(0))
        .addr_npi(Npi::from(0))
        .address_range(COctetString::empty())
        .build())
}

/// One `submit_sm` per segment of the text. A text longer than one segment gets a 6-octet
/// concatenation header (IEI 0x00, 8-bit `reference`) in each part and `esm_class` 0x40.
pub(crate) fn submit_sms(
    config: &SmppConfig,
    to_digits: &str,
    text: &str,
    reference: u8,
) -> Result<Vec<SubmitSm>, SmsError> {
    let segmented = text::segment(text).ok_or(SmsError::Rejected {
        command_status: ESME_RINVMSGLEN,
    })?;
    let (src_ton, src_npi, src) = source(&config.source_addr);
    let bad_source = || SmsError::Rejected {
        command_status: ESME_RINVSRCADR,
    };
    let source_addr = COctetString::from_str(&src).map_err(|_| bad_source())?;
    let destination_addr = COctetString::from_str(to_digits)
        .map_err(|_| SmsError::InvalidNumber(format!("+{to_digits}")))?;
    let total = segmented.parts.len();
    let concatenated = total > 1;
    segmented
        .parts
        .into_iter()
        .enumerate()
        .map(|(i, payload)| {
            let body = if concatenated {
                // Both fit a u8: `segment` refuses more than 255 parts.
                let header = [0x05, 0x00, 0x03, reference, total as u8, (i + 1) as u8];
                [&header[..], &payload].concat()
            } else {
                payload
            };
            let short_message = OctetString::from_vec(body).map_err(|_| SmsError::Rejected {
                command_status: ESME_RINVMSGLEN,
            })?;
            Ok(SubmitSm::builder()
                .source_addr_ton(Ton::from(src_ton))
                .source_addr_npi(Npi::from(src_npi))
                .source_addr(source_addr.clone())
                .dest_addr_ton(Ton::from(TON_INTERNATIONAL))
                .dest_addr_npi(Npi::from(NPI_ISDN))
                .destination_addr(destination_addr.clone())
                .esm_class(EsmClass::from(if concatenated { ESM_UDHI } else { 0 }))
                .registered_delivery(RegisteredDelivery::from(RECEIPT_ON_FINAL))
                .data_coding(DataCoding::from(segmented.data_coding))
                .short_message(short_message)
                .build())
        })
        .collect()
}

/// What one `deliver_sm` carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Delivered {
    Receipt {
        message_id: String,
        state: String,
    },
    /// A mobile-originated message, whole or one part of a concatenated one.
    Mo {
        from: String,
        data_coding: u8,
        part: Option<Part>,
        payload: Vec<u8>,
    },
}

/// Where a part of a concatenated message belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Part {
    pub reference: u16,
    pub total: u8,
    pub seq: u8,
}

pub(crate) fn read_deliver_sm(sm: &DeliverSm) -> Delivered {
    let esm = u8::from(sm.esm_class);
    let mut payload: Vec<u8> = sm.short_message().to_vec();
    let mut receipted_id = None;
    let mut message_state = None;
    let (mut sar_ref, mut sar_total, mut sar_seq) = (None, None, None);
    for tlv in sm.tlvs() {
        match tlv.value() {
            Some(TlvValue::MessagePayload(p)) if payload.is_empty() => payload = p.value.to_vec(),
            Some(TlvValue::ReceiptedMessageId(id)) => receipted_id = Some(id.as_str().to_owned()),
            Some(TlvValue::MessageState(s)) => message_state = Some(u8::from(*s)),
            Some(TlvValue::SarMsgRefNum(r)) => sar_ref = Some(*r),
            Some(TlvValue::SarTotalSegments(t)) => sar_total = Some(*t),
            Some(TlvValue::SarSegmentSeqnum(s)) => sar_seq = Some(*s),
            _ => {}
        }
    }
    // Message type bits 2-5: 0x04 SMSC delivery receipt, 0x08 SME delivery acknowledgement,
    // 0x20 intermediate delivery notification.
    if matches!(esm & 0x3C, 0x04 | 0x08 | 0x20) {
        let receipt = String::from_utf8_lossy(&payload).into_owned();
        let message_id = receipted_id
            .or_else(|| receipt_field(&receipt, "id"))
            .unwrap_or_default();
        let state = receipt_field(&receipt, "stat")
            .or_else(|| message_state.map(state_name))
            .unwrap_or_else(|| "UNKNOWN".to_owned());
        return Delivered::Receipt { message_id, state };
    }
    let mut part = match (sar_ref, sar_total, sar_seq) {
        (Some(reference), Some(total), Some(seq)) => Some(Part {
            reference,
            total,
            seq,
        }),
        _ => None,
    };
    if esm & ESM_UDHI != 0 {
        let (udh_part, rest) = split_udh(&payload);
        part = part.or(udh_part);
        payload = rest.to_vec();
    }
    Delivered::Mo {
        from: sender(u8::from(sm.source_addr_ton), sm.source_addr.as_str()),
        data_coding: u8::from(sm.data_coding),
        part: part.filter(|p| p.total > 1 && p.seq >= 1 && p.seq <= p.total),
        payload,
    }
}

/// The concatenation information of a user data header, and the user data after it.
fn split_udh(sm: &[u8]) -> (Option<Part>, &[u8]) {
    let Some((&udhl, rest)) = sm.split_first() else {
        return (None, sm);
    };
    let udhl = usize::from(udhl);
    if rest.len() < udhl {
        return (None, sm);
    }
    let (mut header, data) = rest.split_at(udhl);
    let mut part = None;
    while let [iei, len, tail @ ..] = header {
        let len = usize::from(*len);
        if tail.len() < len {
            break;
        }
        let (ie, next) = tail.split_at(len);
        part = match (iei, ie) {
            (0x00, &[reference, total, seq]) => Some(Part {
                reference: u16::from(reference),
                total,
                seq,
            }),
            (0x08, &[hi, lo, total, seq]) => Some(Part {
                reference: u16::from_be_bytes([hi, lo]),
                total,
                seq,
            }),
            _ => part,
        };
        header = next;
    }
    (part, data)
}

/// The sender in E.164 with '+' when the SMSC gives it as an international (or untyped) number;
/// an alphanumeric sender or a national/short number is passed on as the SMSC wrote it.
fn sender(ton: u8, addr: &str) -> String {
    let digits = addr.strip_prefix('+').unwrap_or(addr);
    let numeric = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    if numeric && (ton == TON_INTERNATIONAL || ton == 0) {
        format!("+{digits}")
    } else {
        addr.to_owned()
    }
}

/// A `key:value` field of the de-facto receipt text (`id:… sub:… dlvrd:… stat:DELIVRD err:…`).
fn receipt_field(receipt: &str, key: &str) -> Option<String> {
    receipt.split_ascii_whitespace().find_map(|token| {
        let (k, v) = token.split_once(':')?;
        (k.eq_ignore_ascii_case(key) && !v.is_empty()).then(|| v.to_owned())
    })
}

/// The receipt-text name of a `message_state` TLV value.
fn state_name(state: u8) -> String {
    match state {
        0 => "SCHEDULED",
        1 => "ENROUTE",
        2 => "DELIVRD",
        3 => "EXPIRED",
        4 => "DELETED",
        5 => "UNDELIV",
        6 => "ACCEPTD",
        8 => "REJECTD",
        9 => "SKIPPED",
        _ => "UNKNOWN",
    }
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> SmppConfig {
        SmppConfig::new("127.0.0.1", 2775, "esme", "secret", "DISPATCH")
    }

    #[test]
    fn numbers_are_e164_with_plus() {
        assert_eq!(destination("+79221234567").unwrap(), "79221234567");
        assert_eq!(destination("+7 (922) 123-45-67").unwrap(), "79221234567");
        for bad in [
            "89221234567",
            "+",
            "+0123456789",
            "+7922abc4567",
            "+1234567890123456",
        ] {
            assert_eq!(
                destination(bad),
                Err(SmsError::InvalidNumber(bad.to_owned()))
            );
        }
    }

    #[test]
    fn a_short_latin_text_is_one_plain_submit() {
        let parts = submit_sms(&config(), "79221234567", "Hello", 7).unwrap();
        assert_eq!(parts.len(), 1);
        let sm = &parts[0];
        assert_eq!(u8::from(sm.esm_class), 0);
        assert_eq!(u8::from(sm.data_coding), 0);
        assert_eq!(u8::from(sm.registered_delivery), 1);
        assert_eq!(u8::from(sm.dest_addr_ton), 1);
        assert_eq!(u8::from(sm.source_addr_ton), 5);
        assert_eq!(sm.source_addr.as_str(), "DISPATCH");
        assert_eq!(sm.short_message().to_vec(), b"Hello".to_vec());
    }

    #[test]
    fn a_long_cyrillic_text_is_concatenated_with_one_reference() {
        let text = "ж".repeat(100);
        let parts = submit_sms(&config(), "79221234567", &text, 42).unwrap();
        assert_eq!(parts.len(), 2);
        for (i, sm) in parts.iter().enumerate() {
            assert_eq!(u8::from(sm.esm_class), 0x40);
            assert_eq!(u8::from(sm.data_coding), 0x08);
            let body = sm.short_message().to_vec();
            assert_eq!(body[..6], [5, 0, 3, 42, 2, i as u8 + 1]);
        }
        assert_eq!(parts[0].short_message().len(), 6 + 134);
        assert_eq!(parts[1].short_message().len(), 6 + 66);
    }

    #[test]
    fn udh_parts_are_read() {
        let sm = [5, 0, 3, 9, 3, 2, b'h', b'i'];
        let (part, data) = split_udh(&sm);
        let expected = Part {
            reference: 9,
            total: 3,
            seq: 2,
        };
        assert_eq!(part, Some(expected));
        assert_eq!(data, b"hi");
        let sm16 = [6, 8, 4, 1, 2, 2, 1, b'x'];
        assert_eq!(split_udh(&sm16).0.map(|p| p.reference), Some(0x0102));
    }

    #[test]
    fn receipt_text_fields() {
        let text = "id:0A1B sub:001 dlvrd:001 submit date:2611011200 done date:2611011200 stat:UNDELIV err:001 text:Hi";
        assert_eq!(receipt_field(text, "id").as_deref(), Some("0A1B"));
        assert_eq!(receipt_field(text, "stat").as_deref(), Some("UNDELIV"));
        assert_eq!(sender(1, "79220000001"), "+79220000001");
        assert_eq!(sender(5, "BANK"), "BANK");
        assert_eq!(sender(2, "9220000001"), "9220000001");
    }
}
